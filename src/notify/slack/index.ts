/** Slack incoming webhook: mrkdwn text plus a section per alert, with links back to the dashboard. */

import { type Notification, notificationTitle } from '../../alerting/notification.ts';
import type { SlackReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

const MAX_BLOCKS = 45; // Slack allows 50 blocks per message.

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackPayload(config: SlackReceiverConfig, n: Notification): Record<string, unknown> {
  const title = notificationTitle(n);
  const lines = n.alerts.map(
    (a) =>
      `${a.status === 'firing' ? ':red_circle:' : ':large_green_circle:'} <${a.url}|${escapeMrkdwn(a.annotations.summary)}>${a.annotations.description ? ` - ${escapeMrkdwn(a.annotations.description)}` : ''}`,
  );
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
  ];
  for (let i = 0; i < lines.length && blocks.length < MAX_BLOCKS; i += 10) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: lines
          .slice(i, i + 10)
          .join('\n')
          .slice(0, 2900),
      },
    });
  }
  if (lines.length > (MAX_BLOCKS - 1) * 10) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and more: <${n.externalUrl}|dashboard>` }],
    });
  }
  const payload: Record<string, unknown> = { text: `${title}\n${lines.join('\n')}`.slice(0, 39_000), blocks };
  if (config.channel) payload.channel = config.channel;
  return payload;
}

export function sendSlack(
  config: SlackReceiverConfig,
  n: Notification,
  opts: Omit<PostOptions, 'headers'>,
): Promise<DeliveryResult> {
  return postBody(config.url, JSON.stringify(slackPayload(config, n)), opts);
}
