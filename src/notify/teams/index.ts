/** Microsoft Teams incoming webhook (Workflows): a message with one Adaptive Card attachment. */

import { type Notification, notificationTitle } from '../../alerting/notification.ts';
import type { TeamsReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';
import { type PostOptions, postBody } from '../http-post.ts';

export function teamsPayload(n: Notification): Record<string, unknown> {
  const firing = n.status === 'firing';
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
              color: firing ? 'Attention' : 'Good',
              text: notificationTitle(n),
            },
            ...n.alerts.slice(0, 100).map((a) => ({
              type: 'TextBlock',
              wrap: true,
              text: `${a.status === 'firing' ? 'PROBLEM' : 'RECOVERY'} [${a.annotations.summary}](${a.url})${a.annotations.description ? `: ${a.annotations.description}` : ''}`,
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
