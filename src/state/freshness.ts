/**
 * Freshness (Nagios' is_service_result_fresh / is_host_result_fresh, base/checks.c): a result older
 * than the threshold is stale. Where Nagios then forces an active check (usually check_dummy
 * returning the stale state), Steward produces that result directly.
 */
import { type CheckResult, formatDuration, type ObjectStatus } from '../core/index.ts';
import type { MonitoredObject } from './monitored-object.ts';

/**
 * The synthetic stale result when the object's last check is older than its freshness threshold at
 * `now`, else null (also when the object has no freshness settings).
 *
 * As Nagios, expiry counts from the last check (a stale result is a check too, so stale results
 * repeat once per threshold, not on every tick), and an object never checked expires `threshold`
 * after monitoring began: pass `monitoringSince` (Nagios' program start) for that; without it a
 * never-checked object is not judged. Nagios' extra grace for passive checks after a long shutdown
 * needs the time of the last shutdown, which is not known here, and is left out.
 */
export function checkFreshness(
  obj: MonitoredObject,
  status: ObjectStatus,
  now: number,
  monitoringSince?: number,
): CheckResult | null {
  const freshness = obj.freshness;
  if (!freshness) return null;
  const threshold = freshness.thresholdMs;
  const reference = status.hasBeenChecked && status.lastCheck !== null ? status.lastCheck : monitoringSince;
  if (reference === undefined) return null;
  const expiresAt = reference + threshold;
  if (!(expiresAt < now)) return null;

  let what: string;
  if (status.lastResultAt !== null)
    what = `last result received ${formatDuration(now - status.lastResultAt)} ago`;
  else if (monitoringSince !== undefined) {
    what = `no result received since monitoring began ${formatDuration(now - monitoringSince)} ago`;
  } else what = 'no result received yet';
  return {
    state: freshness.staleState,
    output: `Result is stale: ${what} (freshness threshold ${formatDuration(threshold)})`,
    longOutput: '',
    perfdata: [],
    startedAt: now,
    finishedAt: now,
    stale: true,
  };
}
