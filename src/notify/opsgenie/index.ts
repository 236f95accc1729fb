/**
 * Opsgenie Alert API: create while firing, close on recovery, identified by alias = the problem id
 * (Opsgenie deduplicates open alerts by alias, so a resend only bumps the count). Acknowledgements
 * acknowledge it; flapping and downtime news (when a route asks for it) become notes on the open
 * alert of that problem, never a new alert.
 */

import { alertWord, type Notification, type NotifiedAlert } from '../../alerting/notification.ts';
import type { OpsgenieReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

const PRIORITY: Record<string, string> = { critical: 'P1', warning: 'P3', info: 'P5' };

/** Opsgenie aliases are at most 512 characters. */
function alias(a: NotifiedAlert): string {
  return a.problemId.slice(0, 512);
}

export function opsgenieRequest(
  config: OpsgenieReceiverConfig,
  n: Notification,
  a: NotifiedAlert,
): { url: string; body: Record<string, unknown> } {
  const base = config.url.replace(/\/+$/, '');
  if (n.type === 'acknowledgement') {
    return {
      url: `${base}/v2/alerts/${encodeURIComponent(alias(a))}/acknowledge?identifierType=alias`,
      body: {
        source: 'Steward',
        user: n.acknowledgedBy?.author ?? '',
        note: n.acknowledgedBy?.comment ?? '',
      },
    };
  }
  if (n.type !== 'alert') {
    const by = n.by ?? n.acknowledgedBy;
    return {
      url: `${base}/v2/alerts/${encodeURIComponent(alias(a))}/notes?identifierType=alias`,
      body: {
        source: 'Steward',
        user: by?.author ?? 'Steward',
        note: `${alertWord(n, a)}: ${a.annotations.summary}${by?.comment ? ` (${by.comment})` : ''}`.slice(
          0,
          25000,
        ),
      },
    };
  }
  if (a.status === 'resolved') {
    return {
      url: `${base}/v2/alerts/${encodeURIComponent(alias(a))}/close?identifierType=alias`,
      body: { source: 'Steward', note: `Recovered: ${a.annotations.summary}` },
    };
  }
  return {
    url: `${base}/v2/alerts`,
    body: {
      message: a.annotations.summary.slice(0, 130),
      alias: alias(a),
      description: `${a.annotations.description}\n${a.url}`.slice(0, 15000),
      source: 'Steward',
      entity: a.fingerprint,
      priority: PRIORITY[a.labels.severity ?? 'info'] ?? 'P3',
      tags: [a.labels.environment, a.labels.severity].filter((t): t is string => Boolean(t)),
      details: { ...a.labels, deployment: n.deployment },
    },
  };
}

export async function sendOpsgenie(
  config: OpsgenieReceiverConfig,
  n: Notification,
  opts: Omit<PostOptions, 'headers'>,
): Promise<DeliveryResult> {
  const headers = { authorization: `GenieKey ${config.apiKey}` };
  const alerts: NotifiedAlert[] =
    n.type !== 'test' && n.type !== 'heartbeat'
      ? // Notes need an open alert: only problems that fire have one.
        n.alerts.filter((a) => n.type === 'alert' || a.status === 'firing')
      : [
          {
            status: 'firing',
            fingerprint: n.groupKey,
            problemId: `${n.groupKey}/${n.createdAt}`,
            labels: { severity: 'info' },
            annotations: { summary: `Steward ${n.deployment}: ${n.type} notification`, description: '' },
            startsAt: n.createdAt,
            endsAt: null,
            notificationNumber: 0,
            url: n.externalUrl,
          },
        ];
  const answers: string[] = [];
  for (const a of alerts) {
    const req = opsgenieRequest(config, n, a);
    const r = await postBody(req.url, JSON.stringify(req.body), { ...opts, headers });
    if (!r.ok) return { ...r, response: [...answers, r.response].join('\n') };
    answers.push(r.response);
  }
  if (alerts.length === 0) {
    return { ok: true, status: 0, response: `nothing to tell Opsgenie: no open alert for this ${n.type}` };
  }
  return { ok: true, status: 202, response: answers.join('\n') };
}
