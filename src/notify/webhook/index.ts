/**
 * Generic webhook: Alertmanager's webhook payload, version 4, so receivers written for Alertmanager
 * work unchanged; with a secret, X-Steward-Signature: sha256=<hex HMAC-SHA256 of the body>.
 */
import { createHmac } from 'node:crypto';
import type { Notification } from '../../alerting/notification.ts';
import { isEventNotificationType, nagiosNotificationType } from '../../alerting/notification-kinds.ts';
import type { WebhookReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * The body. Steward's additions stay inside what Alertmanager receivers already read as free-form:
 * every alert's annotations carry `notificationType` (Nagios' PROBLEM, RECOVERY, MOVED,
 * ACKNOWLEDGEMENT, FLAPPINGSTART/STOP/DISABLED, DOWNTIMESTART/END/CANCELLED), `commonAnnotations`
 * too when all agree, plus `movedTo` (receivers now in charge) and `author`/`comment` where they
 * apply. Labels are untouched, so fingerprints and existing routing do not change. A notification
 * that is not about a group's alerts has its own groupKey (`<group>/<type>`), so receivers that
 * keep one thread per group do not read a downtime notice as the group's new status.
 */
export function alertmanagerPayload(n: Notification): Record<string, unknown> {
  const by = n.by ?? n.acknowledgedBy;
  const alerts = n.alerts.map((a) => {
    const annotations: Record<string, string> = {
      ...a.annotations,
      notificationType: nagiosNotificationType(n.type, a),
    };
    if (a.movedTo) annotations.movedTo = a.movedTo.join(',');
    if (by && n.type !== 'alert') {
      annotations.author = by.author;
      if (by.comment) annotations.comment = by.comment;
    }
    return { a, annotations };
  });
  const types = new Set(alerts.map((x) => x.annotations.notificationType));
  const commonAnnotations: Record<string, string> = {};
  if (types.size === 1) commonAnnotations.notificationType = [...types][0]!;
  return {
    version: '4',
    groupKey: isEventNotificationType(n.type) ? `${n.groupKey}/${n.type}` : n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver: n.receiver,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations,
    externalURL: n.externalUrl,
    alerts: alerts.map(({ a, annotations }) => ({
      status: a.status,
      labels: a.labels,
      annotations,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: a.endsAt === null ? ZERO_TIME : new Date(a.endsAt).toISOString(),
      generatorURL: a.url,
      fingerprint: a.fingerprint,
    })),
  };
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function sendWebhook(
  config: WebhookReceiverConfig,
  n: Notification,
  opts: Omit<PostOptions, 'headers'>,
): Promise<DeliveryResult> {
  const body = JSON.stringify(alertmanagerPayload(n));
  const headers: Record<string, string> = {};
  if (config.secret) headers['x-steward-signature'] = signature(config.secret, body);
  return postBody(config.url, body, { ...opts, headers });
}
