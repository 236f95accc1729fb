/**
 * The part of result processing hosts and services share, once the SOFT/HARD logic has decided
 * what happened: Nagios' *_state_or_hard_state_type_change (timestamps, acknowledgement removal),
 * the alert log entry, flap detection, and the bookkeeping of the status fields.
 */
import type { CheckResult, MonitoringEvent, ObjectStatus, StateType } from '../core/index.ts';
import {
  acknowledgementRemovalReason,
  activeAcknowledgement,
  expireAcknowledgement,
  removeAcknowledgement,
} from './acknowledgement.ts';
import { updateFlapping } from './flapping.ts';
import { eventSubject, type MonitoredObject } from './monitored-object.ts';

export interface ProcessOutcome {
  /** The new status; the input status is never mutated. */
  status: ObjectStatus;
  /** History entries, in the order they happened. */
  events: MonitoringEvent[];
  /** Delay until the next active check: check interval, or retry interval while in a SOFT problem. */
  nextCheckInMs: number;
}

/** What the SOFT/HARD logic decided for one result. */
export interface Transition {
  state: number;
  output: string;
  /** The state differs from the previous one (or a SOFT recovery happened). */
  stateChange: boolean;
  /** A HARD state change: what alerting acts on. */
  hardStateChange: boolean;
  /** State type and attempt as Nagios logs the result and records it for flap detection. */
  stateType: StateType;
  attempt: number;
  /** What the status keeps afterwards (Nagios stores a service's SOFT recovery as OK HARD 1). */
  finalStateType: StateType;
  finalAttempt: number;
  lastHardState: number;
  /** Nagios stamps last_hard_state_change on every service recovery, SOFT ones included. */
  touchesLastHardStateChange: boolean;
  /** Nagios writes an alert log entry for this result. */
  logEvent: boolean;
  nextCheckInMs: number;
}

function freshnessDetails(obj: MonitoredObject, before: ObjectStatus) {
  return { lastResultAt: before.lastResultAt, thresholdMs: obj.freshness?.thresholdMs ?? null };
}

export function commitTransition(
  obj: MonitoredObject,
  before: ObjectStatus,
  result: CheckResult,
  t: Transition,
  now: number,
): ProcessOutcome {
  // Nagios' check time is the moment the check started; state change times are check times.
  const checkTime = result.startedAt;
  const events: MonitoringEvent[] = [];
  const expired = expireAcknowledgement(obj, before, now);
  events.push(...expired.events);
  const subject = eventSubject(obj);

  let status: ObjectStatus = {
    ...expired.status,
    state: t.state,
    stateType: t.stateType,
    attempt: t.attempt,
    lastHardState: t.lastHardState,
    output: t.output,
    longOutput: result.longOutput,
    perfdata: result.perfdata,
    hasBeenChecked: true,
    lastCheck: checkTime,
    // Nagios leaves these at 0 until the second result, then takes the first check's time; the
    // first result's time is the same value, without the gap.
    lastStateChange: t.stateChange || t.hardStateChange ? checkTime : (before.lastStateChange ?? checkTime),
    lastHardStateChange:
      t.hardStateChange || t.touchesLastHardStateChange
        ? checkTime
        : (before.lastHardStateChange ?? checkTime),
    // A stale (synthetic) result is not a result received.
    lastResultAt: result.stale ? before.lastResultAt : now,
    lastResultPassive: result.stale ? before.lastResultPassive : result.passive === true,
    latencyMs: result.scheduledAt === undefined ? 0 : Math.max(0, result.startedAt - result.scheduledAt),
    executionMs: Math.max(0, result.finishedAt - result.startedAt),
  };

  if (result.stale) {
    events.push({
      time: now,
      type: 'stale',
      ...subject,
      state: t.state,
      output: t.output,
      details: freshnessDetails(obj, before),
    });
  }

  if (t.logEvent) {
    events.push({
      time: now,
      type: 'state',
      ...subject,
      state: t.state,
      stateType: t.stateType,
      attempt: t.attempt,
      maxAttempts: obj.timing.maxAttempts,
      previousState: before.state,
      previousStateType: before.stateType,
      hard: t.hardStateChange,
      output: t.output,
    });
  }

  const removal = acknowledgementRemovalReason(
    activeAcknowledgement(status, now),
    t.state,
    t.stateChange,
    t.hardStateChange,
  );
  if (removal !== null) {
    const removed = removeAcknowledgement(obj, status, now, undefined, removal);
    status = removed.status;
    events.push(...removed.events);
  }

  const flap = updateFlapping(obj, status, now);
  events.push(...flap.events);
  status = { ...flap.status, stateType: t.finalStateType, attempt: t.finalAttempt };

  return { status, events, nextCheckInMs: t.nextCheckInMs };
}
