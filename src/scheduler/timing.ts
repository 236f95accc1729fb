/**
 * Pure timing rules of the scheduler: where checks start, and when they run next.
 */

/**
 * The next due time after a check that was due at `prevDue`: one interval later, keeping the
 * check's phase so that it does not drift however long the checks take. When the process fell
 * behind by more than an interval (suspended, overloaded), whole intervals are skipped rather
 * than running the missed ones back to back.
 */
export function nextDue(prevDue: number, intervalMs: number, now: number): number {
  const next = prevDue + intervalMs;
  if (next > now) return next;
  return prevDue + (Math.floor((now - prevDue) / intervalMs) + 1) * intervalMs;
}

/**
 * Spreads `count` checks evenly over their interval (Nagios' "smart" inter-check delay), so a
 * start or restart never fires every check at once. `index` is the check's rank in a stable order.
 */
export function spreadOffset(
  index: number,
  count: number,
  intervalMs: number,
  maxSpreadMs = Number.POSITIVE_INFINITY,
): number {
  if (count <= 1) return 0;
  const window = Math.min(intervalMs, maxSpreadMs);
  return Math.floor((index * window) / count);
}

/** A stable pseudo-random offset in [0, intervalMs) from an id: for checks added one at a time (reload). */
export function hashOffset(id: string, intervalMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % Math.max(1, Math.floor(intervalMs));
}

/**
 * Where a check starts after a (re)start: keep a persisted due time that is still ahead and within
 * one interval; otherwise place it at its spread offset from now.
 */
export function initialDue(
  persistedDue: number | null,
  intervalMs: number,
  now: number,
  offsetMs: number,
): number {
  if (persistedDue !== null && persistedDue > now && persistedDue <= now + intervalMs) return persistedDue;
  return now + offsetMs;
}
