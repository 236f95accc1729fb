/**
 * The dispatcher in process with the real engine and store: escalation after time unacknowledged,
 * acknowledgement stops it, first notification delay swallows a short blip, and the watchdog beats.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { result, startInProcess } from './in-process.ts';
import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(alerting: string) {
  const h = await startInProcess(alerting);
  cleanups.push(() => h.stop());
  return h;
}

test('escalation: chat first, the pager once a problem stays unacknowledged; acknowledged ones do not escalate', async () => {
  const chat = await new RecordingReceiver().start();
  const pager = await new RecordingReceiver().start();
  cleanups.push(
    () => chat.stop(),
    () => pager.stop(),
  );
  const { engine } = await start(`alerting:
  groupWait: 0s
  groupInterval: 50ms
  groupBy: ["..."]
  receivers:
    - { name: chat, webhook: { url: "${chat.url('/chat')}" } }
    - { name: pager, webhook: { url: "${pager.url('/pager')}" } }
  routes:
    - receiver: chat
      escalations: [{ after: 600ms, receiver: pager }]
`);
  engine.submitResult('db/a', result(2));
  engine.submitResult('db/b', result(2));
  await chat.waitFor((r) => r.length >= 2, 3000);
  assert.equal(pager.received.length, 0, 'not paged at once');
  const ack = engine.acknowledge('db/b', { type: 'sticky', author: 'ann', comment: 'on it' });
  assert.equal(ack.ok, true);
  await pager.waitFor((r) => r.length >= 1, 3000);
  await sleep(300);
  assert.deepEqual(
    pager.received.flatMap((r) => r.body.alerts.map((a: any) => a.fingerprint)),
    ['db/a'],
    'only the unacknowledged problem escalates',
  );
  // Recovery reaches both receivers that were told.
  engine.submitResult('db/a', result(0));
  await pager.waitFor((r) => r.some((x) => x.body.status === 'resolved'), 3000);
  await chat.waitFor(
    (r) => r.some((x) => x.body.status === 'resolved' && x.body.alerts[0].fingerprint === 'db/a'),
    3000,
  );
});

test('first notification delay: a problem shorter than the delay notifies nothing, a longer one does', async () => {
  const hook = await new RecordingReceiver().start();
  cleanups.push(() => hook.stop());
  const { engine } = await start(`alerting:
  groupWait: 0s
  groupInterval: 50ms
  firstNotificationDelay: 500ms
  groupBy: ["..."]
  receivers: [{ name: hook, webhook: { url: "${hook.url('/')}" } }]
`);
  engine.submitResult('db/a', result(2));
  await sleep(200);
  engine.submitResult('db/a', result(0));
  engine.submitResult('db/b', result(2));
  await hook.waitFor((r) => r.length >= 1, 3000);
  await sleep(700);
  assert.deepEqual(
    hook.received.map((r) => [r.body.status, r.body.alerts[0].fingerprint]),
    [['firing', 'db/b']],
    'the blip on db/a was never told, so no recovery either',
  );
});

test('watchdog: a heartbeat every interval to its receiver', async () => {
  const beat = await new RecordingReceiver().start();
  cleanups.push(() => beat.stop());
  await start(`alerting:
  receivers: [{ name: deadman, webhook: { url: "${beat.url('/beat')}" } }]
  watchdog: { receiver: deadman, interval: 200ms }
`);
  await beat.waitFor((r) => r.length >= 3, 3000);
  assert.equal(beat.received[0]!.body.alerts[0].labels.alertname, 'Watchdog');
});

test('acknowledgement: PagerDuty hears acknowledge on the incident it was triggered with', async () => {
  const pd = await new RecordingReceiver((r) => ({
    status: 202,
    body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: r.body.dedup_key }),
  })).start();
  cleanups.push(() => pd.stop());
  const { engine } = await start(`alerting:
  groupWait: 0s
  groupInterval: 50ms
  groupBy: ["..."]
  receivers: [{ name: pd, pagerduty: { routingKey: K, url: "${pd.url('/v2/enqueue')}" } }]
`);
  engine.submitResult('db/a', result(2));
  await pd.waitFor((r) => r.length >= 1, 3000);
  assert.equal(engine.acknowledge('db/a', { type: 'sticky', author: 'ann', comment: 'looking' }).ok, true);
  await pd.waitFor((r) => r.length >= 2, 3000);
  const [trigger, ack] = pd.received.map((r) => r.body);
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(ack.event_action, 'acknowledge');
  assert.equal(ack.dedup_key, trigger.dedup_key);
  await sleep(300);
  assert.equal(pd.received.length, 2, 'acknowledged: no repeats');
});
