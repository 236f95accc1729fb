/**
 * Which kinds of notifications a receiver gets (Nagios' notification_options), and the Nagios name
 * of each notification ($NOTIFICATIONTYPE$: PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART...).
 */
import {
  NOTIFY_KINDS,
  type NotifyKind,
  type ReceiverKind,
  type ReceiverModel,
  type RouteModel,
} from '../core/alerting-model.ts';

/** Notifications about one event of an object rather than about a group's alerts. */
export const EVENT_NOTIFICATION_TYPES = [
  'acknowledgement',
  'flapping_start',
  'flapping_stop',
  'flapping_disabled',
  'downtime_start',
  'downtime_end',
  'downtime_cancelled',
] as const;
export type EventNotificationType = (typeof EVENT_NOTIFICATION_TYPES)[number];

export function isEventNotificationType(type: string): type is EventNotificationType {
  return (EVENT_NOTIFICATION_TYPES as readonly string[]).includes(type);
}

/**
 * Defaults by kind: chat, mail and scripts get everything; pagers get problems, recoveries and
 * acknowledgements (an ack stops the page, it never starts one) but no flapping or downtime news, so
 * nobody is woken for a maintenance window; a webhook gets what Alertmanager would send (problems
 * and recoveries), since a receiver written for Alertmanager would read anything else as an alert.
 */
export function defaultNotifyOn(kind: ReceiverKind): readonly NotifyKind[] {
  switch (kind) {
    case 'pagerduty':
    case 'opsgenie':
      return ['problem', 'recovery', 'acknowledgement'];
    case 'webhook':
      return ['problem', 'recovery'];
    default:
      return NOTIFY_KINDS;
  }
}

/** What a receiver gets through a route: the route's `notifyOn`, else the receiver's, else its kind's. */
export function notifyKindsOf(
  route: Pick<RouteModel, 'notifyOn'> | null,
  receiver: Pick<ReceiverModel, 'kind' | 'notifyOn'>,
): readonly NotifyKind[] {
  return route?.notifyOn ?? receiver.notifyOn ?? defaultNotifyOn(receiver.kind);
}

export function notifyKindOfEvent(type: EventNotificationType): NotifyKind {
  if (type === 'acknowledgement') return 'acknowledgement';
  return type.startsWith('flapping') ? 'flapping' : 'downtime';
}

/** Nagios' $NOTIFICATIONTYPE$ for one alert of a notification. */
export function nagiosNotificationType(
  type: string,
  alert: { status: 'firing' | 'resolved'; movedTo?: string[] },
): string {
  if (type === 'alert') {
    if (alert.movedTo) return 'MOVED';
    return alert.status === 'firing' ? 'PROBLEM' : 'RECOVERY';
  }
  return type.replace('_', '').toUpperCase();
}

/** Human words for a notification type: "FLAPPING START", "DOWNTIME CANCELLED", "ACK". */
export function notificationTypeWords(type: string): string {
  if (type === 'acknowledgement') return 'ACK';
  return type.replace('_', ' ').toUpperCase();
}
