/**
 * Generic webhook: Alertmanager's webhook payload, version 4, so receivers written for Alertmanager
 * work unchanged; with a secret, X-Steward-Signature: sha256=<hex HMAC-SHA256 of the body>.
 */
import { createHmac } from 'node:crypto';
import type { Notification } from '../../alerting/notification.ts';
import type { WebhookReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function alertmanagerPayload(n: Notification): Record<string, unknown> {
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver: n.receiver,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: {},
    externalURL: n.externalUrl,
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
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
