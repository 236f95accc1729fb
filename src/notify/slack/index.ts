/** Slack incoming webhook: mrkdwn text plus a section per alert, with links back to the dashboard. */

import {
  alertDetail,
  alertWord,
  type Notification,
  type NotifiedAlert,
  notificationTitle,
} from '../../alerting/notification.ts';
import type { SlackReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

const MAX_BLOCKS = 45; // Slack allows 50 blocks per message.

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EMOJI: Record<string, string> = {
  PROBLEM: ':red_circle:',
  RECOVERY: ':large_green_circle:',
  MOVED: ':arrow_right:',
  ACK: ':eyes:',
  'FLAPPING START': ':warning:',
  'FLAPPING STOP': ':large_green_circle:',
  'FLAPPING DISABLED': ':white_circle:',
  'DOWNTIME START': ':wrench:',
  'DOWNTIME END': ':white_check_mark:',
  'DOWNTIME CANCELLED': ':white_check_mark:',
};

function slackLine(n: Notification, a: NotifiedAlert): string {
  const word = alertWord(n, a);
  const emoji = EMOJI[word] ?? (a.status === 'firing' ? ':red_circle:' : ':large_green_circle:');
  // Problems and recoveries read by their colour; other kinds say what they are.
  const label = word === 'PROBLEM' || word === 'RECOVERY' ? '' : `*${word}* `;
  const detail = alertDetail(a);
  return `${emoji} ${label}<${a.url}|${escapeMrkdwn(a.annotations.summary)}>${detail ? ` - ${escapeMrkdwn(detail)}` : ''}`;
}

export function slackPayload(config: SlackReceiverConfig, n: Notification): Record<string, unknown> {
  const title = notificationTitle(n);
  const lines = n.alerts.map((a) => slackLine(n, a));
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
