/**
 * Downtime, flapping and acknowledgement notifications end to end: the real engine and store, the
 * dispatcher and the deliverer, and loopback receivers speaking Slack's, PagerDuty's and
 * Alertmanager-webhook's documented formats.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { result, startInProcess } from './in-process.ts';
import { type Received, RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function receivers() {
  const pdAnswer = (r: Received) => ({
    status: 202,
    body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: r.body?.dedup_key }),
  });
  const slack = await new RecordingReceiver(() => ({ status: 200, body: 'ok' })).start();
  const pager = await new RecordingReceiver(pdAnswer).start();
  const pagerChanges = await new RecordingReceiver(pdAnswer).start();
  const hook = await new RecordingReceiver().start();
  const hookAll = await new RecordingReceiver().start();
  cleanups.push(
    () => slack.stop(),
    () => pager.stop(),
    () => pagerChanges.stop(),
    () => hook.stop(),
    () => hookAll.stop(),
  );
  const alerting = `alerting:
  groupWait: 0s
  groupInterval: 50ms
  groupBy: ["..."]
  externalUrl: https://steward.example.com
  receivers:
    - { name: chat, slack: { url: "${slack.url('/services/T0/B0/X')}" } }
    - { name: pager, pagerduty: { routingKey: K, url: "${pager.url('/v2/enqueue')}" } }
    - { name: pager-changes, pagerduty: { routingKey: K2, url: "${pagerChanges.url('/v2/enqueue')}" } }
    - { name: hook, webhook: { url: "${hook.url('/am')}" } }
    - name: hook-all
      webhook: { url: "${hookAll.url('/all')}" }
      notifyOn: [problem, recovery, flapping, downtime, acknowledgement]
  routes:
    - { receiver: chat, continue: true }
    - { receiver: pager, continue: true }
    - { receiver: pager-changes, notifyOn: [problem, recovery, downtime], continue: true }
    - { receiver: hook, continue: true }
    - { receiver: hook-all }
`;
  return { slack, pager, pagerChanges, hook, hookAll, alerting };
}

const titles = (r: RecordingReceiver) => r.received.map((x) => String(x.body.text).split('\n')[0]!);

test('downtime start and cancel reach chat and opted-in receivers once per group; pagers and Alertmanager webhooks stay quiet', async () => {
  const { slack, pager, pagerChanges, hook, hookAll, alerting } = await receivers();
  const h = await startInProcess(alerting);
  cleanups.push(() => h.stop());
  const now = Date.now();
  const d = h.engine.scheduleDowntime({
    objectId: 'db',
    includeServices: true,
    start: now - 1000,
    end: now + 3_600_000,
    fixed: true,
    durationMs: 0,
    author: 'ann',
    comment: 'kernel upgrade',
  });
  await slack.waitFor((r) => r.length >= 1);
  await hookAll.waitFor((r) => r.length >= 1);
  await pagerChanges.waitFor((r) => r.length >= 1);
  await sleep(400);
  assert.equal(slack.received.length, 1, `one message for the host and its services: ${titles(slack)}`);
  const [title] = titles(slack);
  assert.match(title!, /^\[DOWNTIME START(:\d+)?\] acme: UP: host db \(prod\).* by ann: kernel upgrade$/);
  assert.match(JSON.stringify(slack.received[0]!.body.blocks), /:wrench: \*DOWNTIME START\*/);

  const am = hookAll.received[0]!.body;
  assert.equal(am.version, '4');
  assert.equal(am.commonAnnotations.notificationType, 'DOWNTIMESTART');
  assert.match(am.groupKey, /\/downtime_start$/);
  assert.equal(am.alerts[0].annotations.author, 'ann');
  assert.equal(am.alerts[0].labels.host, 'db');

  assert.ok(
    pagerChanges.received.every((r) => r.path === '/v2/change/enqueue' && r.body.event_action === undefined),
    'a PagerDuty route that asks for downtimes gets Change Events, never a trigger',
  );
  assert.match(pagerChanges.received[0]!.body.payload.summary, /^DOWNTIME START: .* by ann: kernel upgrade$/);
  assert.equal(pager.received.length, 0, 'the pager (default notifyOn) is not told about downtimes');
  assert.equal(hook.received.length, 0, 'an Alertmanager webhook (default notifyOn) is not told either');

  // A problem in downtime does not notify; cancelling the downtime is news.
  h.engine.submitResult('db/a', result(2));
  await sleep(300);
  assert.equal(slack.received.length, 1, 'no problem notification during downtime');
  assert.ok(h.engine.cancelDowntime(d.id, 'bob'));
  await slack.waitFor((r) => r.some((x) => String(x.body.text).startsWith('[DOWNTIME CANCELLED')));
  const cancelled = titles(slack).find((t) => t.startsWith('[DOWNTIME CANCELLED'))!;
  assert.match(cancelled, /by bob: kernel upgrade$/);
  // ...and the problem, no longer in downtime, notifies at the next flush.
  await slack.waitFor((r) => r.some((x) => String(x.body.text).startsWith('[FIRING:1]')));
  await pager.waitFor((r) => r.some((x) => x.body.event_action === 'trigger'));

  // A downtime cancelled before it started was never news.
  const before = slack.received.length;
  const future = h.engine.scheduleDowntime({
    objectId: 'db/b',
    includeServices: false,
    start: Date.now() + 3_600_000,
    end: Date.now() + 7_200_000,
    fixed: true,
    durationMs: 0,
    author: 'ann',
    comment: 'next week',
  });
  h.engine.cancelDowntime(future.id, 'ann');
  await sleep(400);
  assert.deepEqual(titles(slack).slice(before), []);
});

test('flapping start reaches chat but not the pager; an acknowledgement reaches who was told', async () => {
  const { slack, pager, hook, hookAll, alerting } = await receivers();
  const h = await startInProcess(alerting, ', flapDetection: { low: 5, high: 15 }');
  cleanups.push(() => h.stop());
  for (let i = 0; i < 21 && !h.engine.status('db/a')!.flap.flapping; i++) {
    h.engine.submitResult('db/a', result(i % 2 === 0 ? 2 : 0));
    await sleep(30);
  }
  assert.ok(h.engine.status('db/a')!.flap.flapping, 'the check flaps');
  await slack.waitFor((r) => r.some((x) => String(x.body.text).startsWith('[FLAPPING START]')));
  await hookAll.waitFor((r) => r.some((x) => x.body.commonAnnotations.notificationType === 'FLAPPINGSTART'));
  const flap = slack.received.find((x) => String(x.body.text).startsWith('[FLAPPING START]'))!;
  assert.match(String(flap.body.text), /a on db \(prod\).*started flapping/s);
  await sleep(300);
  assert.ok(
    pager.received.every((r) => r.path === '/v2/enqueue'),
    'no Change Event or anything flapping-related at the default pager',
  );
  assert.ok(!hook.received.some((r) => r.body.commonAnnotations.notificationType === 'FLAPPINGSTART'));

  // b: a plain problem, then an acknowledgement.
  h.engine.submitResult('db/b', result(2));
  await pager.waitFor((r) =>
    r.some((x) => x.body.event_action === 'trigger' && /b on db/.test(x.body.payload.summary)),
  );
  assert.equal(h.engine.acknowledge('db/b', { type: 'sticky', author: 'ann', comment: 'on it' }).ok, true);
  await pager.waitFor((r) => r.some((x) => x.body.event_action === 'acknowledge'));
  await slack.waitFor((r) => r.some((x) => String(x.body.text).startsWith('[ACK]')));
  assert.match(
    titles(slack).find((t) => t.startsWith('[ACK]'))!,
    /b on db \(prod\) acknowledged by ann: on it$/,
  );
  await hookAll.waitFor((r) =>
    r.some((x) => x.body.commonAnnotations.notificationType === 'ACKNOWLEDGEMENT'),
  );
  await sleep(300);
  assert.ok(
    !hook.received.some((r) => r.body.commonAnnotations.notificationType === 'ACKNOWLEDGEMENT'),
    'an Alertmanager webhook is not sent acknowledgements unless it asks',
  );
});

test('a downtime that runs out tells DOWNTIME END', async () => {
  const { slack, alerting } = await receivers();
  const h = await startInProcess(alerting);
  cleanups.push(() => h.stop());
  h.engine.scheduleDowntime({
    objectId: 'db/a',
    includeServices: false,
    start: Date.now() - 1000,
    end: Date.now() + 800,
    fixed: true,
    durationMs: 0,
    author: 'ann',
    comment: 'short one',
  });
  // The engine looks at downtimes every second.
  await slack.waitFor((r) => r.some((x) => String(x.body.text).startsWith('[DOWNTIME END]')), 15_000);
  assert.deepEqual(titles(slack), [
    '[DOWNTIME START] acme: OK: a on db (prod) by ann: short one',
    '[DOWNTIME END] acme: OK: a on db (prod) by ann: short one',
  ]);
});

test('an event stored while alerting was down is notified after the restart, once', async () => {
  const { slack, alerting } = await receivers();
  const h = await startInProcess(alerting);
  cleanups.push(() => h.stop());
  await sleep(100); // the first start writes its cursor
  // Alerting stops (or crashes) while the engine stores a downtime start.
  await h.stopDispatcher();
  h.engine.scheduleDowntime({
    objectId: 'db',
    includeServices: false,
    start: Date.now() - 1000,
    end: Date.now() + 3_600_000,
    fixed: true,
    durationMs: 0,
    author: 'ann',
    comment: 'while down',
  });
  await sleep(100);
  assert.equal(slack.received.length, 0);
  await h.restartDispatcher();
  await slack.waitFor((r) => r.length >= 1);
  await h.restartDispatcher();
  await h.restartDispatcher();
  await sleep(500);
  assert.deepEqual(titles(slack), ['[DOWNTIME START] acme: UP: host db (prod) by ann: while down']);
});
