/**
 * Scheduled downtimes (Nagios' common/downtime.c): fixed ones are in effect from start to end;
 * flexible ones start when the object is in a problem state (non-OK / non-UP, SOFT or HARD) inside
 * [start, end] and then last durationMs, even past end; a flexible downtime that never started
 * expires after end. As Nagios' scheduled_downtime_depth, the object's history gets one
 * downtime_start when it enters downtime (first downtime in effect) and one downtime_end when it
 * leaves it (last downtime over), however many downtimes overlap.
 *
 * Deviations:
 * - Nagios starts a pending flexible downtime only on a state change (or when it is scheduled while
 *   the object is already in a problem). Here it starts whenever it is evaluated inside its window
 *   with the object in a problem state, so a problem that began before the window opened is
 *   covered too: that is what whoever scheduled it meant.
 * - Triggered downtimes (triggered_by) are not in Steward's model.
 * - A service is also in downtime while a downtime of its host with includeServices is in effect
 *   (Nagios schedules one downtime per service for that; here the host's downtime covers them).
 * - A fixed downtime whose whole window passed without being evaluated (engine stopped) ends
 *   without start and end events: the object was never in downtime while it was monitored.
 */
import type { Downtime, MonitoringEvent, ObjectStatus } from '../core/index.ts';
import { eventSubject, type MonitoredObject, NO_PROBLEM } from './monitored-object.ts';

export interface DowntimeEvaluation {
  /** The new status (the same object when nothing changed). */
  status: ObjectStatus;
  /** Downtimes of this object whose record changed (started, ended); to be persisted. */
  downtimes: Downtime[];
  events: MonitoringEvent[];
}

/** When a downtime that took effect ends: its end for fixed ones, start + duration for flexible ones. */
export function downtimeEndsAt(d: Downtime): number | null {
  if (d.fixed) return d.end;
  return d.startedAt === null ? null : d.startedAt + d.durationMs;
}

/** A host downtime that covers this service. */
function isInherited(obj: MonitoredObject, d: Downtime): boolean {
  return obj.kind === 'service' && d.includeServices && d.objectId === obj.host;
}

/** Whether an inherited host downtime is in effect now; the host's own evaluation owns its record. */
function inheritedInEffect(d: Downtime, now: number): boolean {
  if (d.cancelled || d.endedAt !== null) return false;
  if (d.fixed) return d.start <= now && now < d.end;
  const endsAt = downtimeEndsAt(d);
  return endsAt !== null && now < endsAt;
}

/**
 * Decides which downtimes are in effect for the object now and keeps status.activeDowntimes in
 * step. `downtimes` must hold every downtime that concerns the object (its own, and its host's with
 * includeServices); an id in activeDowntimes that is not among them is dropped.
 */
export function evaluateDowntimes(
  obj: MonitoredObject,
  status: ObjectStatus,
  downtimes: readonly Downtime[],
  now: number,
): DowntimeEvaluation {
  const changed: Downtime[] = [];
  const inEffect = new Set<number>();
  const known = new Map<number, Downtime>();
  const inProblem = status.state !== NO_PROBLEM;

  for (const d of downtimes) {
    if (isInherited(obj, d)) {
      known.set(d.id, d);
      if (inheritedInEffect(d, now)) inEffect.add(d.id);
      continue;
    }
    if (d.objectId !== obj.id) continue;
    known.set(d.id, d);
    if (d.cancelled || d.endedAt !== null) continue;

    let current = d;
    if (current.startedAt === null) {
      if (current.fixed) {
        if (now >= current.end) {
          changed.push({ ...current, endedAt: now });
          continue;
        }
        if (now >= current.start) current = { ...current, startedAt: now };
      } else if (inProblem && current.start <= now && now <= current.end) {
        current = { ...current, startedAt: now };
      } else if (now > current.end) {
        // Never triggered: expires (Nagios' check_for_expired_downtime), no history entry.
        changed.push({ ...current, endedAt: now });
        continue;
      }
    }
    if (current.startedAt === null) continue;
    const endsAt = downtimeEndsAt(current)!;
    if (now >= endsAt) {
      changed.push({ ...current, endedAt: now });
      continue;
    }
    if (current !== d) changed.push(current);
    inEffect.add(current.id);
  }

  const before = status.activeDowntimes;
  const after = [...inEffect].sort((a, b) => a - b);
  const same = before.length === after.length && before.every((id) => inEffect.has(id));
  if (same) return { status, downtimes: changed, events: [] };

  const events: MonitoringEvent[] = [];
  const event = (
    type: 'downtime_start' | 'downtime_end',
    d: Downtime | undefined,
    id: number,
  ): MonitoringEvent => ({
    time: now,
    type,
    ...eventSubject(obj),
    state: status.state,
    ...(d ? { author: d.author, comment: d.comment } : {}),
    details: d
      ? {
          downtimeId: id,
          fixed: d.fixed,
          start: d.start,
          end: d.end,
          durationMs: d.durationMs,
          ...(d.objectId !== obj.id ? { inheritedFrom: d.objectId } : {}),
          ...(d.cancelled ? { cancelled: true } : {}),
        }
      : { downtimeId: id },
  });
  const latest = (id: number) => changed.find((c) => c.id === id) ?? known.get(id);
  if (before.length === 0 && after.length > 0) {
    events.push(event('downtime_start', latest(after[0]!), after[0]!));
  } else if (before.length > 0 && after.length === 0) {
    const last = before[before.length - 1]!;
    events.push(event('downtime_end', latest(last), last));
  }
  return { status: { ...status, activeDowntimes: after }, downtimes: changed, events };
}
