/**
 * An alert whose severity changes the route (WARNING in chat → CRITICAL at the pager, and back):
 * the group it leaves tells it as moved (resolved there, with where it went), the new route fires,
 * and the recovery goes only to who holds it. Real engine, store and dispatcher; loopback peers.
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

test('WARNING → CRITICAL moves the alert from chat to the pager; back to WARNING moves it back', async () => {
  const chat = await new RecordingReceiver().start();
  const pd = await new RecordingReceiver((r) => ({
    status: 202,
    body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: r.body.dedup_key }),
  })).start();
  cleanups.push(
    () => chat.stop(),
    () => pd.stop(),
  );
  const h = await startInProcess(`alerting:
  groupWait: 0s
  groupInterval: 50ms
  groupBy: ["..."]
  receivers:
    - { name: chat, webhook: { url: "${chat.url('/chat')}" } }
    - { name: pager, pagerduty: { routingKey: K, url: "${pd.url('/v2/enqueue')}" } }
  routes:
    - { match: { severity: critical }, receiver: pager }
    - { receiver: chat }
`);
  cleanups.push(() => h.stop());
  const chatSaid = () =>
    chat.received.map((r) => `${r.body.status}/${r.body.alerts[0].annotations.notificationType}`);

  h.engine.submitResult('db/a', result(1, 'disk 91%'));
  await chat.waitFor((r) => r.length >= 1);
  assert.deepEqual(chatSaid(), ['firing/PROBLEM']);

  h.engine.submitResult('db/a', result(2, 'disk 99%'));
  await pd.waitFor((r) => r.length >= 1);
  await chat.waitFor((r) => r.length >= 2);
  const moved = chat.received[1]!.body;
  assert.equal(moved.status, 'resolved', 'Alertmanager receivers see the alert leave the group');
  assert.equal(moved.alerts[0].annotations.notificationType, 'MOVED');
  assert.equal(moved.alerts[0].annotations.movedTo, 'pager');
  assert.notEqual(moved.alerts[0].endsAt, '0001-01-01T00:00:00Z');
  const trigger = pd.received[0]!.body;
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(trigger.payload.severity, 'critical');

  // Repeats and later flushes of the chat group stay quiet: the alert is the pager's now.
  await sleep(400);
  assert.deepEqual(chatSaid(), ['firing/PROBLEM', 'resolved/MOVED']);

  // Back to WARNING: the pager's incident is resolved (moved), chat holds it again.
  h.engine.submitResult('db/a', result(1, 'disk 92%'));
  await pd.waitFor((r) => r.length >= 2);
  assert.equal(pd.received[1]!.body.event_action, 'resolve');
  assert.equal(pd.received[1]!.body.dedup_key, trigger.dedup_key);
  await chat.waitFor((r) => r.length >= 3);
  assert.deepEqual(chatSaid(), ['firing/PROBLEM', 'resolved/MOVED', 'firing/PROBLEM']);

  // Recovery: only chat, which holds it, hears it.
  h.engine.submitResult('db/a', result(0));
  await chat.waitFor((r) => r.length >= 4);
  await sleep(300);
  assert.deepEqual(chatSaid(), ['firing/PROBLEM', 'resolved/MOVED', 'firing/PROBLEM', 'resolved/RECOVERY']);
  assert.equal(pd.received.length, 2, 'the pager heard trigger and resolve, nothing more');
  assert.deepEqual(h.dispatcher!.alerts(), [], 'nothing owed anywhere');
});

test('a moved notice owed at a restart is still told after it', async () => {
  const chat = await new RecordingReceiver().start();
  const pager = await new RecordingReceiver().start();
  cleanups.push(
    () => chat.stop(),
    () => pager.stop(),
  );
  const h = await startInProcess(`alerting:
  groupWait: 0s
  groupInterval: 1s
  groupBy: ["..."]
  receivers:
    - { name: chat, webhook: { url: "${chat.url('/chat')}" } }
    - { name: pager, webhook: { url: "${pager.url('/pager')}" } }
  routes:
    - { match: { severity: critical }, receiver: pager }
    - { receiver: chat }
`);
  cleanups.push(() => h.stop());
  h.engine.submitResult('db/a', result(1));
  await chat.waitFor((r) => r.length >= 1);
  // CRITICAL: the chat group owes a moved notice at its next flush (1s); stop before that.
  h.engine.submitResult('db/a', result(2));
  await pager.waitFor((r) => r.length >= 1);
  assert.equal(chat.received.length, 1);
  await h.restartDispatcher();
  await chat.waitFor((r) => r.length >= 2, 5000);
  assert.equal(chat.received[1]!.body.alerts[0].annotations.notificationType, 'MOVED');
  await sleep(1500);
  assert.equal(chat.received.length, 2);
  assert.equal(pager.received.length, 1, 'the pager was not told again after the restart');
});

test('moving between two routes of the same PagerDuty receiver never resolves the open incident', async () => {
  const pd = await new RecordingReceiver((r) => ({
    status: 202,
    body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: r.body.dedup_key }),
  })).start();
  cleanups.push(() => pd.stop());
  const h = await startInProcess(`alerting:
  groupWait: 0s
  groupInterval: 50ms
  receivers:
    - { name: pager, pagerduty: { routingKey: K, url: "${pd.url('/v2/enqueue')}" } }
  routes:
    - { match: { severity: critical }, receiver: pager, groupBy: ["..."] }
    - { receiver: pager, groupBy: [alertname] }
`);
  cleanups.push(() => h.stop());
  h.engine.submitResult('db/a', result(1));
  await pd.waitFor((r) => r.length >= 1);
  h.engine.submitResult('db/a', result(2));
  await pd.waitFor((r) => r.length >= 2);
  await sleep(400);
  assert.deepEqual(
    pd.received.map((r) => r.body.event_action),
    ['trigger', 'trigger'],
    'the CRITICAL route updates the same incident; the WARNING route does not resolve it',
  );
  h.engine.submitResult('db/a', result(0));
  await pd.waitFor((r) => r.length >= 3);
  await sleep(300);
  assert.deepEqual(
    pd.received.map((r) => r.body.event_action),
    ['trigger', 'trigger', 'resolve'],
  );
  assert.deepEqual(h.dispatcher!.alerts(), [], 'the old group forgot it too');
});
