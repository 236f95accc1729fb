import type { RangePoint, Resolution, RetentionSettings } from './types.ts';

export const FIVE_MINUTES_MS = 300_000;
export const ONE_HOUR_MS = 3_600_000;

/** Width of one stored point at each resolution (raw points have no width). */
export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = {
  raw: 0,
  '5m': FIVE_MINUTES_MS,
  '1h': ONE_HOUR_MS,
};

/** Coarsest first: the order fallbacks walk in. */
const COARSE_TO_FINE: readonly Resolution[] = ['1h', '5m', 'raw'];

export function floorTo(t: number, unit: number): number {
  return t - (((t % unit) + unit) % unit);
}

/**
 * Raw when the whole range is still within raw retention and the step is finer than 5 minutes;
 * else 5m when the range is within 5m retention and the step is finer than an hour; else 1h.
 */
export function pickResolution(
  from: number,
  stepMs: number,
  now: number,
  retention: RetentionSettings,
): Resolution {
  if (from >= now - retention.rawMs && stepMs < FIVE_MINUTES_MS) return 'raw';
  if (from >= now - retention.fiveMinuteMs && stepMs < ONE_HOUR_MS) return '5m';
  return '1h';
}

/** The time span [lo, hi) a table holds complete data for, for one series. */
export interface Coverage {
  lo: number;
  hi: number;
}

/** One part of a range query, read from one table: rows with from <= t < to. */
export interface Segment {
  resolution: Resolution;
  from: number;
  to: number;
}

/**
 * Splits [from, to) between tables: the preferred resolution where it has data; before its
 * coverage (raw or 5m rows already deleted by retention) the next coarser table; after it (buckets
 * not rolled up yet) the next finer one. Segments come out in time order and do not overlap.
 * `coverage` is called lazily, only for the tables the range actually needs.
 */
export function planSegments(
  preferred: Resolution,
  from: number,
  to: number,
  coverage: (r: Resolution) => Coverage,
): Segment[] {
  const out: Segment[] = [];
  const walk = (i: number, a: number, b: number, direction: -1 | 0 | 1): void => {
    const resolution = COARSE_TO_FINE[i];
    if (resolution === undefined || a >= b) return;
    const c = coverage(resolution);
    if (direction <= 0) walk(i - 1, a, Math.min(b, c.lo), -1);
    const lo = Math.max(a, c.lo);
    const hi = Math.min(b, c.hi);
    if (lo < hi) out.push({ resolution, from: lo, to: hi });
    if (direction >= 0) walk(i + 1, Math.max(a, c.hi), b, 1);
  };
  walk(COARSE_TO_FINE.indexOf(preferred), from, to, 0);
  return out;
}

/** Partial aggregate of one step bucket: [bucket start, sum, count, min, max]. */
export type BucketRow = [number, number, number, number, number];

/**
 * Turns bucket rows (in time order, possibly from several segments that share a boundary bucket)
 * into points: avg weighted by count, min of mins, max of maxes.
 */
export function mergeBuckets(rows: readonly BucketRow[]): RangePoint[] {
  const points: RangePoint[] = [];
  let t = Number.NaN;
  let sum = 0;
  let count = 0;
  let min = 0;
  let max = 0;
  for (const [b, s, c, lo, hi] of rows) {
    if (b === t) {
      sum += s;
      count += c;
      if (lo < min) min = lo;
      if (hi > max) max = hi;
      continue;
    }
    if (count > 0) points.push({ t, avg: sum / count, min, max });
    t = b;
    sum = s;
    count = c;
    min = lo;
    max = hi;
  }
  if (count > 0) points.push({ t, avg: sum / count, min, max });
  return points;
}
