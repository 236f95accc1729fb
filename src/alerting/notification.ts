/**
 * What goes into the outbox: one message for one receiver, channel-neutral. Channels render it
 * (src/notify/<channel>/); it is plain JSON so it survives a restart in the store.
 */
import type { EventNotificationType } from './notification-kinds.ts';
import { nagiosNotificationType, notificationTypeWords } from './notification-kinds.ts';

export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  /** Object id (host or host/service): Alertmanager's fingerprint role. */
  fingerprint: string;
  problemId: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
  startsAt: number;
  endsAt: number | null;
  notificationNumber: number;
  /** Link to the object on the dashboard. */
  url: string;
  /**
   * Set when the alert left this group because its labels now route it elsewhere (e.g. WARNING →
   * CRITICAL moved it from chat to the pager): the receivers now in charge. Told as resolved here.
   */
  movedTo?: string[];
}

export interface Notification {
  /**
   * alert: a group's change (problems, recoveries, moves); acknowledgement: someone took the
   * problems on (paging services stop escalating); flapping_* and downtime_*: Nagios' FLAPPINGSTART,
   * DOWNTIMEEND... for the objects listed; test: `steward notify test`; heartbeat: the watchdog.
   */
  type: 'alert' | EventNotificationType | 'test' | 'heartbeat';
  /** Who acknowledged, for type acknowledgement (kept for entries written by older versions). */
  acknowledgedBy?: { author: string; comment: string };
  /** Who did it and why, for acknowledgements and downtimes. */
  by?: { author: string; comment: string };
  receiver: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: NotifiedAlert[];
  externalUrl: string;
  deployment: string;
  /** When the notification was decided (epoch ms); latency is measured from here. */
  createdAt: number;
}

export function commonLabelsOf(
  alerts: readonly { labels: Record<string, string> }[],
): Record<string, string> {
  if (alerts.length === 0) return {};
  const [first, ...rest] = alerts;
  const common: Record<string, string> = {};
  for (const [k, v] of Object.entries(first!.labels)) {
    if (rest.every((a) => a.labels[k] === v)) common[k] = v;
  }
  return common;
}

/** One line for titles and subjects: "[FIRING:3] environment=prod" like Alertmanager's default. */
export function notificationTitle(n: Notification): string {
  if (n.type === 'test') return `[TEST] Steward ${n.deployment}: test notification to ${n.receiver}`;
  if (n.type === 'heartbeat') return `[WATCHDOG] Steward ${n.deployment} is alive`;
  if (n.type !== 'alert') {
    const by = n.by ?? n.acknowledgedBy;
    const shown = n.alerts.slice(0, 5).map((a) => a.annotations.summary);
    if (n.alerts.length > shown.length) shown.push(`and ${n.alerts.length - shown.length} more`);
    const count = n.alerts.length > 1 ? `:${n.alerts.length}` : '';
    const who =
      n.type === 'acknowledgement'
        ? ` acknowledged by ${by?.author ?? 'someone'}`
        : by?.author
          ? ` by ${by.author}`
          : '';
    return `[${notificationTypeWords(n.type)}${count}] ${n.deployment}: ${shown.join(', ')}${who}${by?.comment ? `: ${by.comment}` : ''}`;
  }
  const moved = n.alerts.filter((a) => a.movedTo).length;
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const resolved = n.alerts.length - firing - moved;
  const counts = [
    firing > 0 ? `FIRING:${firing}` : '',
    resolved > 0 ? `RESOLVED:${resolved}` : '',
    moved > 0 ? `MOVED:${moved}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const only = n.alerts.length === 1 ? n.alerts[0]!.annotations.summary : '';
  const labels = Object.entries(n.groupLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `[${counts}] ${n.deployment}${only ? `: ${only}` : labels ? ` ${labels}` : ''}`;
}

/** The word in front of one alert's line: PROBLEM, RECOVERY, MOVED, FLAPPING START, ACK... */
export function alertWord(n: Pick<Notification, 'type'>, a: NotifiedAlert): string {
  if (n.type === 'alert') return nagiosNotificationType(n.type, a);
  return notificationTypeWords(n.type);
}

/** What follows the summary: the check output, and where a moved alert now goes. */
export function alertDetail(a: NotifiedAlert): string {
  const parts = [a.annotations.description];
  if (a.movedTo) parts.push(`(no longer routed here: now sent to ${a.movedTo.join(', ') || 'no receiver'})`);
  return parts.filter(Boolean).join(' ');
}

/** Plain text body: one line per alert, problems first. */
export function notificationText(n: Notification): string {
  const lines = n.alerts.map((a) => {
    const detail = alertDetail(a);
    return `${alertWord(n, a)} ${a.annotations.summary}${detail ? ` - ${detail}` : ''} ${a.url}`;
  });
  return lines.join('\n');
}
