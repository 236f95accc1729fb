/**
 * A script receiver: runs the command with the notification as JSON on stdin and the essentials in
 * STEWARD_* environment variables; exit 0 is delivered, anything else is retried.
 */
import { spawn } from 'node:child_process';
import { type Notification, notificationTitle } from '../../alerting/notification.ts';
import { nagiosNotificationType } from '../../alerting/notification-kinds.ts';
import type { CommandReceiverConfig } from '../../core/alerting-model.ts';
import type { DeliveryResult } from '../delivery.ts';

export function sendCommand(
  config: CommandReceiverConfig,
  n: Notification,
  opts: { timeoutMs: number },
): Promise<DeliveryResult> {
  return new Promise((done) => {
    const child = spawn(config.command, config.args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        STEWARD_NOTIFICATION_TYPE: n.type,
        // Nagios' $NOTIFICATIONTYPE$ (PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART, DOWNTIMEEND...),
        // so scripts written for Nagios keep working.
        NOTIFICATIONTYPE: n.alerts[0] ? nagiosNotificationType(n.type, n.alerts[0]) : n.type.toUpperCase(),
        STEWARD_STATUS: n.status,
        STEWARD_RECEIVER: n.receiver,
        STEWARD_TITLE: notificationTitle(n),
        STEWARD_ALERT_COUNT: String(n.alerts.length),
      },
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let output = '';
    const collect = (d: Buffer) => {
      if (output.length < 4000) output += d.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.stdin.on('error', () => {}); // a command that ignores stdin is fine
    child.on('error', (err) =>
      done({ ok: false, response: `cannot run ${config.command}: ${err.message}`, permanent: true }),
    );
    child.on('close', (code, signal) => {
      const text = output.trim();
      if (code === 0) done({ ok: true, status: 0, response: `exit 0${text ? `: ${text}` : ''}` });
      else
        done({
          ok: false,
          status: code ?? -1,
          response: signal
            ? `killed by ${signal} (timeout ${opts.timeoutMs} ms)`
            : `exit ${code}${text ? `: ${text}` : ''}`,
        });
    });
    child.stdin.end(JSON.stringify(n));
  });
}
