import { resolve } from 'node:path';
import { specialNotification } from '../alerting/index.ts';
import { sendNotification } from '../notify/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { DEFAULT_SPEC, parseCommandArgs } from './args.ts';

const HELP = `Usage: steward notify test RECEIVER [--spec FILE]

Sends a test notification to a receiver of the spec's alerting section, directly (not through the
outbox), and prints exactly what the receiver answered. Exit status 0 when it accepted the message.
`;

export async function notifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('notify', args, {
    spec: { type: 'string', default: DEFAULT_SPEC },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, name] = positionals;
  if (values.help || action !== 'test' || !name) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const loaded = loadSpec(resolve(values.spec));
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    return 1;
  }
  const alerting = loaded.deployment.alerting;
  const receiver = alerting?.receivers.find((r) => r.name === name);
  if (!alerting || !receiver) {
    const known =
      alerting?.receivers.map((r) => r.name).join(', ') || 'none (the spec has no alerting.receivers)';
    process.stderr.write(`steward notify: no receiver named "${name}"; receivers: ${known}\n`);
    return 1;
  }
  const n = specialNotification(
    'test',
    receiver.name,
    loaded.deployment.name,
    alerting.externalUrl,
    Date.now(),
  );
  const started = performance.now();
  const r = await sendNotification(receiver, n);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `${receiver.kind} receiver ${receiver.name} ${r.ok ? 'accepted' : 'refused'} the test in ${ms} ms:\n${r.response}\n`,
  );
  if (!r.ok && r.retryAfterMs !== undefined)
    process.stdout.write(`(it asks to retry after ${r.retryAfterMs} ms)\n`);
  return r.ok ? 0 : 1;
}
