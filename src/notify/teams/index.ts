/** Microsoft Teams incoming webhook (Workflows): a message with one Adaptive Card attachment. */

import { alertDetail, alertWord, type Notification, notificationTitle } from '../../alerting/notification.ts';
import type { TeamsReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

/** Adaptive Card colours: problems red, recoveries green, flapping amber, the rest neutral. */
function colorOf(n: Notification): string {
  if (n.type === 'alert') return n.status === 'firing' ? 'Attention' : 'Good';
  if (n.type === 'flapping_start') return 'Warning';
  return 'Accent';
}

export function teamsPayload(n: Notification): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Medium',
              weight: 'Bolder',
              wrap: true,
              color: colorOf(n),
              text: notificationTitle(n),
            },
            ...n.alerts.slice(0, 100).map((a) => ({
              type: 'TextBlock',
              wrap: true,
              text: `${alertWord(n, a)} [${a.annotations.summary}](${a.url})${alertDetail(a) ? `: ${alertDetail(a)}` : ''}`,
            })),
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open dashboard', url: n.externalUrl }],
        },
      },
    ],
  };
}

export function sendTeams(
  config: TeamsReceiverConfig,
  n: Notification,
  opts: Omit<PostOptions, 'headers'>,
): Promise<DeliveryResult> {
  return postBody(config.url, JSON.stringify(teamsPayload(n)), opts);
}
