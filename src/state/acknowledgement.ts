/**
 * Acknowledgements (Nagios' acknowledge_*_problem, remove_*_acknowledgement in base/commands.c, and
 * the removal rules of *_state_or_hard_state_type_change in base/checks.c).
 */
import { type Acknowledgement, type ObjectStatus, stateName } from '../core/index.ts';
import { eventSubject, type MonitoredObject, NO_PROBLEM, type StatusChange } from './monitored-object.ts';

/** The acknowledgement in force at `now`: null when there is none or it has expired. */
export function activeAcknowledgement(status: ObjectStatus, now: number): Acknowledgement | null {
  const ack = status.acknowledgement;
  if (!ack) return null;
  if (ack.expiresAt != null && now >= ack.expiresAt) return null;
  return ack;
}

/** Acknowledges the object's current problem. As Nagios: "cannot acknowledge a nonexistent problem". */
export function acknowledge(
  obj: MonitoredObject,
  status: ObjectStatus,
  ack: Acknowledgement,
  now: number,
): StatusChange | { error: string } {
  if (status.state === NO_PROBLEM) {
    return {
      error: `${obj.kind} "${obj.id}" is ${stateName(obj.kind, status.state)}: only a problem (a non-${stateName(obj.kind, NO_PROBLEM)} state) can be acknowledged`,
    };
  }
  if (ack.expiresAt != null && ack.expiresAt <= now) {
    return {
      error: `acknowledgement of "${obj.id}" would expire at once: give an expiry in the future, or none`,
    };
  }
  return {
    status: { ...status, acknowledgement: { ...ack } },
    events: [
      {
        time: now,
        type: 'acknowledgement',
        ...eventSubject(obj),
        state: status.state,
        stateType: status.stateType,
        author: ack.author,
        comment: ack.comment,
        details: { ackType: ack.type, expiresAt: ack.expiresAt ?? null },
      },
    ],
  };
}

/**
 * Removes the acknowledgement, if any. `reason` says why, for history: 'removed' (by an operator),
 * 'state change' (a normal acknowledgement), 'recovery' (a sticky one), 'expired'.
 */
export function removeAcknowledgement(
  obj: MonitoredObject,
  status: ObjectStatus,
  now: number,
  author?: string,
  reason = 'removed',
): StatusChange {
  const ack = status.acknowledgement;
  if (!ack) return { status, events: [] };
  return {
    status: { ...status, acknowledgement: null },
    events: [
      {
        time: now,
        type: 'acknowledgement_removed',
        ...eventSubject(obj),
        state: status.state,
        stateType: status.stateType,
        ...(author !== undefined ? { author } : {}),
        comment: ack.comment,
        details: { reason, ackType: ack.type, acknowledgedBy: ack.author },
      },
    ],
  };
}

/**
 * Removes an acknowledgement whose expiry has passed (Nagios 4 has no expiry; Steward's model
 * does). Returns the status unchanged when there is nothing to remove.
 */
export function expireAcknowledgement(obj: MonitoredObject, status: ObjectStatus, now: number): StatusChange {
  if (!status.acknowledgement || activeAcknowledgement(status, now)) return { status, events: [] };
  return removeAcknowledgement(obj, status, now, undefined, 'expired');
}

/**
 * Nagios' rule on a state change or HARD state type change: a normal acknowledgement goes on any
 * state change (but survives SOFT → HARD in the same state); a sticky one goes only when the
 * object is back to OK/UP.
 */
export function acknowledgementRemovalReason(
  ack: Acknowledgement | null,
  state: number,
  stateChange: boolean,
  hardStateChange: boolean,
): string | null {
  if (!ack || !(stateChange || hardStateChange)) return null;
  if (ack.type === 'normal' && (stateChange || !hardStateChange)) return 'state change';
  if (ack.type === 'sticky' && state === NO_PROBLEM) return 'recovery';
  return null;
}
