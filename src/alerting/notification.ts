/**
 * What goes into the outbox: one message for one receiver, channel-neutral. Channels render it
 * (src/notify/<channel>/); it is plain JSON so it survives a restart in the store.
 */
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
}

export interface Notification {
  /**
   * alert: a group's change; acknowledgement: someone took the problems on (paging services stop
   * escalating); test: `steward notify test`; heartbeat: the watchdog.
   */
  type: 'alert' | 'acknowledgement' | 'test' | 'heartbeat';
  /** Who acknowledged, for type acknowledgement. */
  acknowledgedBy?: { author: string; comment: string };
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
  if (n.type === 'acknowledgement') {
    const what = n.alerts.map((a) => a.annotations.summary).join(', ');
    return `[ACK] ${n.deployment}: ${what} acknowledged by ${n.acknowledgedBy?.author ?? 'someone'}${n.acknowledgedBy?.comment ? `: ${n.acknowledgedBy.comment}` : ''}`;
  }
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const resolved = n.alerts.length - firing;
  const counts = [firing > 0 ? `FIRING:${firing}` : '', resolved > 0 ? `RESOLVED:${resolved}` : '']
    .filter(Boolean)
    .join(' ');
  const only = n.alerts.length === 1 ? n.alerts[0]!.annotations.summary : '';
  const labels = Object.entries(n.groupLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `[${counts}] ${n.deployment}${only ? `: ${only}` : labels ? ` ${labels}` : ''}`;
}

/** Plain text body: one line per alert, problems first. */
export function notificationText(n: Notification): string {
  const lines = n.alerts.map(
    (a) =>
      `${a.status === 'firing' ? 'PROBLEM' : 'RECOVERY'} ${a.annotations.summary}${a.annotations.description ? ` - ${a.annotations.description}` : ''} ${a.url}`,
  );
  return lines.join('\n');
}
