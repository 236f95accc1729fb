/**
 * PagerDuty Events API v2: one event per alert, trigger while firing and resolve on recovery, with
 * dedup_key = the problem id, so a resend (after a crash) updates the same incident, never a new one.
 * Acknowledgements acknowledge that incident. Flapping and downtime news (when a route asks for it)
 * go out as Change Events (/v2/change/enqueue): they show on the service's timeline next to its
 * incidents and never open one.
 */

import { alertWord, type Notification, type NotifiedAlert } from '../../alerting/notification.ts';
import type { PagerDutyReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

export function pagerDutyEvent(
  config: PagerDutyReceiverConfig,
  n: Notification,
  a: NotifiedAlert,
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    routing_key: config.routingKey,
    event_action:
      n.type === 'acknowledgement' ? 'acknowledge' : a.status === 'firing' ? 'trigger' : 'resolve',
    dedup_key: a.problemId,
  };
  if (a.status === 'firing' && n.type !== 'acknowledgement') {
    const severity =
      a.labels.severity === 'critical' ? 'critical' : a.labels.severity === 'warning' ? 'warning' : 'info';
    event.payload = {
      summary: a.annotations.summary.slice(0, 1024),
      source: a.labels.host ?? n.deployment,
      severity,
      timestamp: new Date(a.startsAt).toISOString(),
      component: a.labels.service ?? a.labels.host,
      group: a.labels.environment,
      class: a.labels.alertname,
      custom_details: { output: a.annotations.description, labels: a.labels },
    };
    event.links = [{ href: a.url, text: 'Steward dashboard' }];
    event.client = 'Steward';
    event.client_url = n.externalUrl;
  }
  return event;
}

/** The Change Events endpoint next to the configured Events endpoint. */
export function changeEventsUrl(eventsUrl: string): string {
  const url = new URL(eventsUrl);
  url.pathname = /\/v2\/enqueue\/?$/.test(url.pathname)
    ? url.pathname.replace(/\/v2\/enqueue\/?$/, '/v2/change/enqueue')
    : '/v2/change/enqueue';
  return url.toString();
}

export function pagerDutyChangeEvent(
  config: PagerDutyReceiverConfig,
  n: Notification,
  a: NotifiedAlert,
): Record<string, unknown> {
  const by = n.by ?? n.acknowledgedBy;
  const summary = `${alertWord(n, a)}: ${a.annotations.summary}${by?.author ? ` by ${by.author}` : ''}${by?.comment ? `: ${by.comment}` : ''}`;
  return {
    routing_key: config.routingKey,
    payload: {
      summary: summary.slice(0, 1024),
      timestamp: new Date(n.createdAt).toISOString(),
      source: a.labels.host ?? n.deployment,
      custom_details: { notification_type: n.type, output: a.annotations.description, labels: a.labels },
    },
    links: [{ href: a.url, text: 'Steward dashboard' }],
  };
}

export async function sendPagerDuty(
  config: PagerDutyReceiverConfig,
  n: Notification,
  opts: Omit<PostOptions, 'headers'>,
): Promise<DeliveryResult> {
  if (n.type === 'test' || n.type === 'heartbeat') {
    // A test or heartbeat: a trigger immediately resolved, on its own dedup key.
    const key = `${n.groupKey}/${n.createdAt}`;
    const alert: NotifiedAlert = {
      status: 'firing',
      fingerprint: key,
      problemId: key,
      labels: { severity: 'info', alertname: n.type },
      annotations: { summary: `Steward ${n.deployment}: ${n.type} notification`, description: '' },
      startsAt: n.createdAt,
      endsAt: null,
      notificationNumber: 0,
      url: n.externalUrl,
    };
    const trigger = await postBody(config.url, JSON.stringify(pagerDutyEvent(config, n, alert)), opts);
    if (!trigger.ok) return trigger;
    const resolve = await postBody(
      config.url,
      JSON.stringify(pagerDutyEvent(config, n, { ...alert, status: 'resolved' })),
      opts,
    );
    return resolve.ok ? { ...trigger, response: `${trigger.response}\n${resolve.response}` } : resolve;
  }
  const change = n.type !== 'alert' && n.type !== 'acknowledgement';
  const url = change ? changeEventsUrl(config.url) : config.url;
  const answers: string[] = [];
  for (const a of n.alerts) {
    const event = change ? pagerDutyChangeEvent(config, n, a) : pagerDutyEvent(config, n, a);
    const r = await postBody(url, JSON.stringify(event), opts);
    // Events already sent are harmless to send again (same dedup_key), so a failure retries all.
    if (!r.ok) return { ...r, response: [...answers, r.response].join('\n') };
    answers.push(r.response);
  }
  return { ok: true, status: 202, response: answers.join('\n') };
}
