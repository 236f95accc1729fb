/**
 * Pure logic of notification kinds, event notifications and alerts that move between routes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AlertRecord,
  addToBatch,
  applyFlush,
  defaultNotifyOn,
  type EventBatch,
  type EventFacts,
  eventBatchDedupKey,
  eventBlockedReason,
  hasLeft,
  type Notification,
  type NotifiedAlert,
  nagiosNotificationType,
  newGroup,
  notificationText,
  notificationTitle,
  notifyKindsOf,
  planFlush,
  reroute,
} from '../../src/alerting/index.ts';
import type { RouteModel } from '../../src/core/alerting-model.ts';
import { alertmanagerPayload } from '../../src/notify/index.ts';
import { changeEventsUrl, pagerDutyChangeEvent } from '../../src/notify/pagerduty/index.ts';
import { slackPayload } from '../../src/notify/slack/index.ts';
import { resolveAlerting } from '../../src/spec/resolve-alerting.ts';
import { alertingSchema } from '../../src/spec/schema/alerting.ts';
import { alertRecord } from './fixtures.ts';

const ROUTE: RouteModel = {
  receiver: 'chat',
  match: {},
  groupBy: ['environment'],
  groupWaitMs: 0,
  groupIntervalMs: 60_000,
  repeatIntervalMs: 3_600_000,
  firstNotificationDelayMs: 0,
  activeTimePeriods: [],
  escalations: [],
  continue: false,
  routes: [],
};

function record(extra: Partial<AlertRecord> = {}): AlertRecord {
  return alertRecord('web-1/disk', {
    labels: { environment: 'prod', host: 'web-1', service: 'disk', severity: 'warning' },
    summary: 'WARNING: disk on web-1 (prod)',
    state: 1,
    ...extra,
  });
}

test('notifyOn: the route wins, then the receiver, then its kind (chat everything, pager no flapping/downtime)', () => {
  assert.deepEqual(defaultNotifyOn('slack'), [
    'problem',
    'recovery',
    'flapping',
    'downtime',
    'acknowledgement',
  ]);
  assert.deepEqual(defaultNotifyOn('email'), defaultNotifyOn('teams'));
  assert.deepEqual(defaultNotifyOn('pagerduty'), ['problem', 'recovery', 'acknowledgement']);
  assert.deepEqual(defaultNotifyOn('opsgenie'), ['problem', 'recovery', 'acknowledgement']);
  assert.deepEqual(defaultNotifyOn('webhook'), ['problem', 'recovery']);
  assert.deepEqual(notifyKindsOf(null, { kind: 'webhook', notifyOn: ['downtime'] }), ['downtime']);
  assert.deepEqual(notifyKindsOf({ notifyOn: ['problem'] }, { kind: 'webhook', notifyOn: ['downtime'] }), [
    'problem',
  ]);
  assert.deepEqual(notifyKindsOf({}, { kind: 'pagerduty' }), ['problem', 'recovery', 'acknowledgement']);
});

test('notifyOn in the spec: receivers and routes, inherited by child routes, bad kinds named', () => {
  const spec = alertingSchema.parse({
    receivers: [
      { name: 'chat', slack: { url: 'https://hooks.slack.com/x' }, notifyOn: ['problem', 'downtime'] },
      { name: 'pager', pagerduty: { routingKey: 'k' } },
    ],
    routes: [
      {
        receiver: 'pager',
        notifyOn: ['problem', 'recovery', 'flapping'],
        routes: [{ match: { service: 'x' } }],
      },
      { receiver: 'chat' },
    ],
  });
  const model = resolveAlerting(spec);
  assert.deepEqual(model.receivers[0]!.notifyOn, ['problem', 'downtime']);
  assert.equal(model.receivers[1]!.notifyOn, undefined);
  assert.deepEqual(model.route.routes[0]!.notifyOn, ['problem', 'recovery', 'flapping']);
  assert.deepEqual(model.route.routes[0]!.routes[0]!.notifyOn, ['problem', 'recovery', 'flapping']);
  assert.equal(model.route.routes[1]!.notifyOn, undefined);
  const bad = alertingSchema.safeParse({
    receivers: [{ name: 'chat', slack: { url: 'https://hooks.slack.com/x' }, notifyOn: ['flaps'] }],
  });
  assert.equal(bad.success, false);
  assert.match(
    JSON.stringify(bad.error?.issues),
    /`flaps` is not a kind of notification.*problem, recovery, flapping, downtime, acknowledgement/,
  );
});

test("Nagios' blocking rules for event notifications", () => {
  const ok: EventFacts = {
    inDowntime: false,
    downtimeHadStarted: true,
    stillInDowntime: false,
    problemNotified: false,
    silencedBy: null,
  };
  assert.equal(eventBlockedReason('flapping_start', ok), null);
  assert.match(eventBlockedReason('flapping_start', { ...ok, inDowntime: true }) ?? '', /downtime/);
  assert.match(
    eventBlockedReason('flapping_stop', { ...ok, silencedBy: '#3 (ann)' }) ?? '',
    /silenced by #3/,
  );
  assert.equal(
    eventBlockedReason('downtime_start', { ...ok, inDowntime: true }),
    null,
    'entering downtime is news',
  );
  assert.match(
    eventBlockedReason('downtime_cancelled', { ...ok, downtimeHadStarted: false }) ?? '',
    /before it started/,
  );
  assert.match(
    eventBlockedReason('downtime_cancelled', { ...ok, stillInDowntime: true }) ?? '',
    /another downtime/,
  );
  assert.match(eventBlockedReason('acknowledgement', ok) ?? '', /nothing to acknowledge/);
  assert.equal(
    eventBlockedReason('acknowledgement', { ...ok, problemNotified: true, silencedBy: '#1 (x)' }),
    null,
  );
});

function notified(id: string, status: 'firing' | 'resolved' = 'firing'): NotifiedAlert {
  return {
    status,
    fingerprint: id,
    problemId: `p/${id}`,
    labels: { host: id.split('/')[0]!, environment: 'prod', severity: 'warning' },
    annotations: { summary: `OK: ${id} (prod)`, description: 'fine' },
    startsAt: 0,
    endsAt: null,
    notificationNumber: 0,
    url: `https://steward.example.com/#/object/${id}`,
  };
}

test('event batches: one message per group, type and author; the same events give the same dedup key', () => {
  const batches = new Map<string, EventBatch>();
  const target = { groupKey: 'root/chat:{}', receiver: 'chat', groupLabels: {} };
  const by = { author: 'ann', comment: 'kernel upgrade' };
  for (let i = 0; i < 200; i++) {
    addToBatch(
      batches,
      target,
      'downtime_start',
      by,
      notified(`web-1/s${i}`),
      `web-1/s${i}|downtime_start|5`,
    );
  }
  addToBatch(batches, target, 'downtime_start', by, notified('web-1/s0'), 'web-1/s0|downtime_start|5');
  addToBatch(batches, target, 'downtime_start', { author: 'bob', comment: '' }, notified('web-2'), 'web-2');
  addToBatch(batches, target, 'flapping_start', undefined, notified('web-3'), 'web-3');
  assert.equal(batches.size, 3);
  const [big] = batches.values();
  assert.equal(big!.alerts.length, 200, 'the same event is listed once');
  const again = new Map<string, EventBatch>();
  for (let i = 0; i < 200; i++) {
    addToBatch(again, target, 'downtime_start', by, notified(`web-1/s${i}`), `web-1/s${i}|downtime_start|5`);
  }
  assert.equal(eventBatchDedupKey([...again.values()][0]!), eventBatchDedupKey(big!));

  const n: Notification = {
    type: 'downtime_start',
    by,
    receiver: 'chat',
    groupKey: 'root/chat:{}',
    status: 'resolved',
    groupLabels: {},
    commonLabels: {},
    alerts: big!.alerts,
    externalUrl: 'https://steward.example.com',
    deployment: 'acme',
    createdAt: 0,
  };
  assert.equal(
    notificationTitle(n),
    '[DOWNTIME START:200] acme: OK: web-1/s0 (prod), OK: web-1/s1 (prod), OK: web-1/s2 (prod), OK: web-1/s3 (prod), OK: web-1/s4 (prod), and 195 more by ann: kernel upgrade',
  );
  assert.match(notificationText(n), /^DOWNTIME START OK: web-1\/s0 \(prod\) - fine https:/);
  const slack = slackPayload({ url: 'https://hooks.slack.com/x' }, { ...n, alerts: n.alerts.slice(0, 1) });
  assert.match(
    String(slack.text),
    /:wrench: \*DOWNTIME START\* <https:\/\/steward\.example\.com\/#\/object\/web-1\/s0\|OK: web-1\/s0 \(prod\)>/,
  );
  const hook = alertmanagerPayload({ ...n, alerts: n.alerts.slice(0, 2) }) as any;
  assert.equal(hook.version, '4');
  assert.equal(hook.groupKey, 'root/chat:{}/downtime_start', 'its own groupKey: not the group status');
  assert.deepEqual(hook.commonAnnotations, { notificationType: 'DOWNTIMESTART' });
  assert.equal(hook.alerts[0].annotations.notificationType, 'DOWNTIMESTART');
  assert.equal(hook.alerts[0].annotations.author, 'ann');
  assert.equal(hook.alerts[0].annotations.comment, 'kernel upgrade');
  assert.deepEqual(hook.alerts[0].labels, n.alerts[0]!.labels, 'labels untouched');

  assert.equal(
    changeEventsUrl('https://events.pagerduty.com/v2/enqueue'),
    'https://events.pagerduty.com/v2/change/enqueue',
  );
  assert.equal(
    changeEventsUrl('http://127.0.0.1:9/pd/v2/enqueue'),
    'http://127.0.0.1:9/pd/v2/change/enqueue',
  );
  const change = pagerDutyChangeEvent({ routingKey: 'K', url: '' }, n, n.alerts[0]!) as any;
  assert.equal(change.routing_key, 'K');
  assert.equal(change.event_action, undefined, 'a change event, never a trigger');
  assert.equal(change.payload.summary, 'DOWNTIME START: OK: web-1/s0 (prod) by ann: kernel upgrade');
});

test('Nagios notification types', () => {
  assert.equal(nagiosNotificationType('alert', { status: 'firing' }), 'PROBLEM');
  assert.equal(nagiosNotificationType('alert', { status: 'resolved' }), 'RECOVERY');
  assert.equal(nagiosNotificationType('alert', { status: 'resolved', movedTo: ['pager'] }), 'MOVED');
  assert.equal(nagiosNotificationType('acknowledgement', { status: 'firing' }), 'ACKNOWLEDGEMENT');
  assert.equal(nagiosNotificationType('flapping_disabled', { status: 'firing' }), 'FLAPPINGDISABLED');
  assert.equal(nagiosNotificationType('downtime_cancelled', { status: 'resolved' }), 'DOWNTIMECANCELLED');
});

test('an alert routed elsewhere (WARNING → CRITICAL) is told as moved by its old group and its escalations', () => {
  const chat = newGroup('root.0/chat:{}', 'chat', ROUTE, null, {}, 0);
  const chatEsc = newGroup('root.0/chat:{}/esc0>mail', 'mail', ROUTE, 0, {}, 0);
  const r = record();
  reroute(r, [chat.key], ['chat']);
  chat.members.add(r.objectId);
  const first = planFlush(chat, [r], () => null, 0)!;
  assert.equal(first.firing.length, 1);
  applyFlush(chat, first, 0);
  chatEsc.members.add(r.objectId);
  applyFlush(chatEsc, planFlush(chatEsc, [r], () => null, 0)!, 0);
  assert.deepEqual(r.notifiedGroups, [chat.key, chatEsc.key]);

  // CRITICAL now: the labels route to the pager.
  r.labels = { ...r.labels, severity: 'critical' };
  const dropped = reroute(r, ['root.1/pager:{}'], ['pager']);
  assert.deepEqual(dropped, []);
  assert.deepEqual(r.leftGroups, [chat.key]);
  assert.ok(hasLeft(r, chatEsc.key), 'its escalation goes with it');
  const moved = planFlush(chat, [r], () => null, 1000)!;
  assert.deepEqual(
    [moved.firing.length, moved.resolved.length, moved.moved.length],
    [0, 0, 1],
    'told as moved, not as firing again',
  );
  applyFlush(chat, moved, 1000);
  assert.ok(r.leftGroups, 'still owed by the escalation group');
  const escMoved = planFlush(chatEsc, [r], () => null, 1000)!;
  assert.equal(escMoved.moved.length, 1);
  applyFlush(chatEsc, escMoved, 1000);
  assert.equal(r.leftGroups, undefined);
  assert.deepEqual(r.notifiedGroups, []);
  assert.equal(chat.members.has(r.objectId), false, 'the old group forgets it');
  assert.equal(chatEsc.members.has(r.objectId), false);
});

test('an alert that comes back before its old group spoke owes nothing; one never told is just dropped', () => {
  const r = record({ notifiedGroups: ['root.0/chat:{}'], routedTo: ['root.0/chat:{}'] });
  reroute(r, ['root.1/pager:{}'], ['pager']);
  assert.deepEqual(r.leftGroups, ['root.0/chat:{}']);
  reroute(r, ['root.0/chat:{}'], ['chat']);
  assert.equal(r.leftGroups, undefined, 'back where it was told: no moved notice');

  const fresh = record({ routedTo: ['root.0/chat:{}'] });
  const dropped = reroute(fresh, ['root.1/pager:{}'], ['pager']);
  assert.deepEqual(dropped, ['root.0/chat:{}']);
  assert.equal(fresh.leftGroups, undefined);
  assert.deepEqual(fresh.movedTo, ['pager']);
});
