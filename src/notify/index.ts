/**
 * Notification channels: render a Notification for one receiver and deliver it, saying exactly what
 * the receiver answered. Never throws; a broken receiver only fails its own deliveries.
 */

import type { Notification } from '../alerting/notification.ts';
import type { ReceiverModel } from '../core/alerting-model.ts';
import { sendCommand } from './command/index.ts';
import type { DeliveryResult } from './delivery.ts';
import { sendEmail } from './email/index.ts';
import { sendOpsgenie } from './opsgenie/index.ts';
import { sendPagerDuty } from './pagerduty/index.ts';
import { sendSlack } from './slack/index.ts';
import { sendTeams } from './teams/index.ts';
import { sendWebhook } from './webhook/index.ts';

export type { DeliveryResult } from './delivery.ts';
export { alertmanagerPayload, signature } from './webhook/index.ts';

export interface SendOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra CA certificates for HTTPS receivers. */
  ca?: string;
}

export async function sendNotification(
  receiver: ReceiverModel,
  n: Notification,
  opts: SendOptions = {},
): Promise<DeliveryResult> {
  const http = { timeoutMs: receiver.timeoutMs, ...opts };
  try {
    switch (receiver.kind) {
      case 'webhook':
        return await sendWebhook(receiver.webhook, n, http);
      case 'slack':
        return await sendSlack(receiver.slack, n, http);
      case 'teams':
        return await sendTeams(receiver.teams, n, http);
      case 'pagerduty':
        return await sendPagerDuty(receiver.pagerduty, n, http);
      case 'opsgenie':
        return await sendOpsgenie(receiver.opsgenie, n, http);
      case 'email':
        return await sendEmail(receiver.email, n, http);
      case 'command':
        return await sendCommand(receiver.command, n, http);
    }
  } catch (err) {
    return { ok: false, response: `${receiver.kind} receiver ${receiver.name}: ${(err as Error).message}` };
  }
}
