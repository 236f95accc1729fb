import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupKeyOf, groupLabelsOf, matchesLabels, matchRoutes } from '../../src/alerting/index.ts';
import type { RouteModel } from '../../src/core/alerting-model.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { writeSpec } from './spec-file.ts';

function route(receiver: string, extra: Partial<RouteModel> = {}): RouteModel {
  return {
    receiver,
    match: {},
    groupBy: ['environment'],
    groupWaitMs: 0,
    groupIntervalMs: 1000,
    repeatIntervalMs: 60_000,
    firstNotificationDelayMs: 0,
    activeTimePeriods: [],
    escalations: [],
    continue: false,
    routes: [],
    ...extra,
  };
}

test('matchers: exact values and anchored ~regex', () => {
  assert.equal(matchesLabels({ environment: 'prod' }, { environment: 'prod' }), true);
  assert.equal(matchesLabels({ environment: 'prod' }, { environment: 'preprod' }), false);
  assert.equal(matchesLabels({ environment: '~prod|staging' }, { environment: 'staging' }), true);
  assert.equal(matchesLabels({ environment: '~prod' }, { environment: 'preprod' }), false);
  assert.equal(matchesLabels({ team: '' }, { environment: 'x' }), true, 'missing label is ""');
  assert.equal(matchesLabels({}, { anything: 'x' }), true);
});

test('routing: first match wins, continue goes on, nested routes refine, root catches the rest', () => {
  const root = route('fallback', {
    routes: [
      route('pager', {
        match: { environment: 'prod' },
        continue: true,
        routes: [route('db-pager', { match: { team: 'db' } })],
      }),
      route('chat', { match: { environment: '~prod|test' } }),
      route('never', { match: { environment: 'prod' } }),
    ],
  });
  const receivers = (labels: Record<string, string>) =>
    matchRoutes(root, labels).map((m) => m.route.receiver);
  assert.deepEqual(receivers({ environment: 'prod' }), ['pager', 'chat']);
  assert.deepEqual(receivers({ environment: 'prod', team: 'db' }), ['db-pager', 'chat']);
  assert.deepEqual(receivers({ environment: 'test' }), ['chat']);
  assert.deepEqual(receivers({ environment: 'dev' }), ['fallback']);
  assert.deepEqual(
    matchRoutes(root, { environment: 'prod', team: 'db' }).map((m) => m.path),
    ['root.0.0', 'root.1'],
  );
});

test('group keys: by route, receiver and groupBy values; [...] puts each alert alone', () => {
  const r = route('chat', { groupBy: ['environment', 'alertname'] });
  const a = groupLabelsOf(r, { environment: 'prod', alertname: 'disk', host: 'a' });
  const b = groupLabelsOf(r, { environment: 'prod', alertname: 'disk', host: 'b' });
  assert.deepEqual(a, { environment: 'prod', alertname: 'disk' });
  assert.equal(groupKeyOf('root', 'chat', a), groupKeyOf('root', 'chat', b));
  const alone = route('chat', { groupBy: ['...'] });
  assert.notEqual(
    groupKeyOf('root', 'chat', groupLabelsOf(alone, { host: 'a' })),
    groupKeyOf('root', 'chat', groupLabelsOf(alone, { host: 'b' })),
  );
});

test('the default without routes: production pages, the rest goes to chat', () => {
  const file = writeSpec(`
alerting:
  page: pager
  chat: chat
  receivers:
    - { name: pager, webhook: { url: "http://127.0.0.1:9/p" } }
    - { name: chat, slack: { url: "http://127.0.0.1:9/s" } }
`);
  const loaded = loadSpec(file);
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  const root = loaded.deployment.alerting!.route;
  const to = (environment: string) => matchRoutes(root, { environment }).map((m) => m.route.receiver);
  assert.deepEqual(to('prod'), ['pager']);
  assert.deepEqual(to('production'), ['pager']);
  assert.deepEqual(to('test'), ['chat']);
  assert.deepEqual(to('preprod'), ['chat']);
});

test('one route without match sends everything to its receiver', () => {
  const file = writeSpec(`
alerting:
  receivers: [{ name: hook, webhook: { url: "http://127.0.0.1:9/h" } }]
  routes: [{ receiver: hook }]
`);
  const loaded = loadSpec(file);
  assert.ok(loaded.ok);
  const root = loaded.deployment.alerting!.route;
  for (const environment of ['prod', 'dev'])
    assert.deepEqual(
      matchRoutes(root, { environment }).map((m) => m.route.receiver),
      ['hook'],
    );
});

test('spec errors point at the line: unknown receiver, bad regex, two channels, unknown time zone', () => {
  const file = writeSpec(`
alerting:
  receivers:
    - { name: hook, webhook: { url: "http://127.0.0.1:9/h" }, slack: { url: "http://127.0.0.1:9/s" } }
  timePeriods: [{ name: office, timeZone: Mars/Olympus, times: [{ start: "08:00", end: "18:00" }] }]
  routes:
    - { receiver: pager, match: { host: "~(" } }
`);
  const loaded = loadSpec(file);
  assert.equal(loaded.ok, false);
  const errors = !loaded.ok ? loaded.errors : [];
  const text = errors.map((e) => `${e.line}: ${e.message}`).join('\n');
  assert.match(text, /13: no receiver named `pager`/);
  assert.match(text, /13: `\(` is not a regular expression/);
  assert.match(text, /10: receiver `hook` has 2 channels/);
  assert.match(text, /11: unknown time zone/);
});
