/** Mail over SMTP with nodemailer: STARTTLS (required by default) or TLS, optional auth. */
import nodemailer from 'nodemailer';
import {
  alertDetail,
  alertWord,
  type Notification,
  notificationText,
  notificationTitle,
} from '../../alerting/notification.ts';
import type { EmailReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function emailMessage(config: EmailReceiverConfig, n: Notification) {
  const rows = n.alerts
    .map(
      (a) =>
        `<tr><td>${escapeHtml(alertWord(n, a))}</td><td><a href="${escapeHtml(a.url)}">${escapeHtml(a.annotations.summary)}</a></td><td>${escapeHtml(alertDetail(a))}</td></tr>`,
    )
    .join('\n');
  return {
    from: config.from,
    to: config.to,
    subject: notificationTitle(n),
    text: `${notificationTitle(n)}\n\n${notificationText(n)}\n\n${n.externalUrl}\n`,
    html: `<p>${escapeHtml(notificationTitle(n))}</p><table>${rows}</table><p><a href="${escapeHtml(n.externalUrl)}">Dashboard</a></p>`,
  };
}

export async function sendEmail(
  config: EmailReceiverConfig,
  n: Notification,
  opts: { timeoutMs: number },
): Promise<DeliveryResult> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.requireTls,
    ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
    tls: { rejectUnauthorized: !config.insecure },
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  });
  try {
    const info = await transport.sendMail(emailMessage(config, n));
    return {
      ok: true,
      status: 250,
      response: `SMTP ${info.response} (accepted: ${info.accepted.join(', ')})`,
    };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string; response?: string };
    const status = e.responseCode;
    // 5xx replies and auth failures will not get better by themselves; 4xx and network errors may.
    const permanent = (status !== undefined && status >= 500) || e.code === 'EAUTH';
    const result: DeliveryResult = {
      ok: false,
      response: `SMTP ${config.host}:${config.port}: ${e.response ?? e.message}`,
      permanent,
    };
    if (status !== undefined) result.status = status;
    return result;
  } finally {
    transport.close();
  }
}
