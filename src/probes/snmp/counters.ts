/**
 * Counter arithmetic shared by every rate the poll computes. SNMP counters only go up, and wrap to
 * zero past their width (2^32 or 2^64); a counter that goes down is either a wrap or a reset
 * (reboot, agent restart, driver reload), and a reset must never turn into a negative or absurd
 * rate.
 */

export const TWO_32 = 2 ** 32;
export const TWO_64 = 2 ** 64;

/**
 * How much a counter grew from prev to cur, or undefined when that cannot be known.
 * - cur >= prev: the difference.
 * - 32-bit and cur < prev: a wrap, if the wrapped delta is within maxDelta (when one is known);
 *   a wrap of a busy 32-bit octet counter happens every ~34 s at 1 Gb/s, so it must be handled.
 * - 64-bit and cur < prev: a reset. A 64-bit octet counter would take decades to wrap at 100 Gb/s.
 */
export function counterDelta(
  prev: number,
  cur: number,
  bits: 32 | 64,
  maxDelta?: number,
): number | undefined {
  if (!Number.isFinite(prev) || !Number.isFinite(cur) || prev < 0 || cur < 0) return undefined;
  if (cur >= prev) return cur - prev;
  if (bits === 64) return undefined;
  const wrapped = TWO_32 - prev + cur;
  if (maxDelta !== undefined && wrapped > maxDelta) return undefined;
  return wrapped;
}

/** A per-second rate from a counter delta over elapsed ms; undefined when either is unusable. */
export function perSecond(delta: number | undefined, elapsedMs: number): number | undefined {
  if (delta === undefined || !(elapsedMs > 0)) return undefined;
  return delta / (elapsedMs / 1000);
}

/**
 * Whether an uptime in TimeTicks (1/100 s) went backwards between two polls elapsedMs apart, i.e.
 * the host rebooted (hrSystemUptime) or the agent restarted (sysUpTime). TimeTicks wrap after
 * 497 days; a value that matches the wrapped expectation is not a restart.
 */
export function uptimeWentBackwards(prevTicks: number, curTicks: number, elapsedMs: number): boolean {
  if (curTicks >= prevTicks) return false;
  const expected = prevTicks + elapsedMs / 10;
  if (expected >= TWO_32) {
    const tolerance = Math.max(1000, elapsedMs / 10 / 10);
    if (Math.abs(curTicks - (expected - TWO_32)) <= tolerance) return false;
  }
  return true;
}
