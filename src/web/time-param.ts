import { parseDuration } from '../core/index.ts';

/**
 * Reads a time given in an API query: ISO 8601, epoch seconds or milliseconds, "now", or a
 * duration relative to now ("-1h", "-30m"). Returns epoch ms, or an error message.
 */
export function parseTimeParam(
  value: string | undefined,
  now: number,
  fallback: number,
): number | { error: string } {
  if (value === undefined || value === '') return fallback;
  if (value === 'now') return now;
  if (/^-\d/.test(value)) {
    const d = parseDuration(value.slice(1));
    if (d !== null) return now - d;
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    // Prometheus clients send seconds; anything before 2001 in ms is taken as seconds.
    return n < 1e12 ? Math.round(n * 1000) : Math.round(n);
  }
  const t = Date.parse(value);
  if (!Number.isNaN(t)) return t;
  return {
    error: `"${value}" is not a time: use ISO 8601 (2026-11-25T10:00:00Z), epoch seconds, "now" or "-1h"`,
  };
}
