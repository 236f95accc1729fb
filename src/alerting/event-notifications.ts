/**
 * Notifications about one event of an object (Nagios' ACKNOWLEDGEMENT, FLAPPINGSTART/STOP/DISABLED,
 * DOWNTIMESTART/END/CANCELLED), as pure functions: whether Nagios' rules let one out, and how the
 * events of one tick become one message per group and type (a maintenance window on a host with
 * 200 services is one message per receiver, not 200).
 */
import { createHash } from 'node:crypto';
import type { NotifiedAlert } from './notification.ts';
import type { EventNotificationType } from './notification-kinds.ts';

export interface EventFacts {
  /** The object, or the host of a service, is in scheduled downtime now. */
  inDowntime: boolean;
  /** For downtime_cancelled: the cancelled downtime had started (Nagios: was in effect). */
  downtimeHadStarted: boolean;
  /** The object is in downtime still (another one), so it did not leave downtime. */
  stillInDowntime: boolean;
  /** The alert's problem fires and was told to someone (what an acknowledgement is about). */
  problemNotified: boolean;
  /** A silence matching the alert's labels, e.g. "#4 (ann)", or null. */
  silencedBy: string | null;
}

/** Why this event must not notify, or null (nagioscore base/notifications.c, per type). */
export function eventBlockedReason(type: EventNotificationType, f: EventFacts): string | null {
  switch (type) {
    case 'acknowledgement':
      // Acknowledgements go to who was told about the problem, silenced or not: it stops their pages.
      return f.problemNotified ? null : 'no problem was notified, so there is nothing to acknowledge';
    case 'flapping_start':
    case 'flapping_stop':
    case 'flapping_disabled':
      if (f.inDowntime) return 'in scheduled downtime: flapping does not notify';
      break;
    case 'downtime_cancelled':
      if (!f.downtimeHadStarted) return 'the downtime was cancelled before it started';
      if (f.stillInDowntime) return 'another downtime is still in effect';
      break;
    default:
      break;
  }
  return f.silencedBy === null ? null : `silenced by ${f.silencedBy}`;
}

/** One message to be: the events of one type that one group's receiver hears about in one tick. */
export interface EventBatch {
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  type: EventNotificationType;
  by?: { author: string; comment: string };
  alerts: NotifiedAlert[];
  /** Identities of the events (object, type, time): the batch's dedup key. */
  eventKeys: string[];
}

export function addToBatch(
  batches: Map<string, EventBatch>,
  target: { groupKey: string; receiver: string; groupLabels: Record<string, string> },
  type: EventNotificationType,
  by: { author: string; comment: string } | undefined,
  alert: NotifiedAlert,
  eventKey: string,
): void {
  // Different authors or comments are different messages ("by ann: kernel upgrade").
  const key = [target.groupKey, type, by?.author ?? '', by?.comment ?? ''].join('\0');
  let batch = batches.get(key);
  if (!batch) {
    batch = { ...target, type, alerts: [], eventKeys: [] };
    if (by) batch.by = by;
    batches.set(key, batch);
  }
  if (batch.eventKeys.includes(eventKey)) return;
  batch.alerts.push(alert);
  batch.eventKeys.push(eventKey);
}

export function eventBatchDedupKey(b: EventBatch): string {
  const h = createHash('sha256');
  h.update(`${b.groupKey}\0${b.type}\0`);
  for (const k of b.eventKeys) h.update(`${k}\0`);
  return `${b.receiver}:${b.type}:${h.digest('hex')}`;
}
