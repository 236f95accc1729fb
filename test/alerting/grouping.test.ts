import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyFlush,
  dueEscalations,
  inhibitedBy,
  inTimePeriod,
  localTime,
  newGroup,
  parseRetryAfter,
  planFlush,
  retryDelayMs,
  silencedBy,
} from '../../src/alerting/index.ts';
import type { RouteModel } from '../../src/core/alerting-model.ts';
import { alertRecord as alert } from './fixtures.ts';

const ROUTE: RouteModel = {
  receiver: 'chat',
  match: {},
  groupBy: ['environment'],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 3_600_000,
  firstNotificationDelayMs: 0,
  activeTimePeriods: [],
  escalations: [
    { receiver: 'mail', afterNotifications: 2 },
    { receiver: 'pager', afterMs: 15 * 60_000 },
  ],
  continue: false,
  routes: [],
};

test('a group speaks once for many alerts, then only on change, then repeats unchanged problems', () => {
  const g = newGroup('k', 'chat', ROUTE, null, { environment: 'prod' }, 0);
  assert.equal(g.nextFlushAt, 30_000, 'first message after groupWait');
  const records = [alert('a/x'), alert('b/x'), alert('c/x')];
  const never = () => null;
  const first = planFlush(g, records, never, 30_000)!;
  assert.equal(first.firing.length, 3);
  applyFlush(g, first, 30_000);
  assert.deepEqual(
    records.map((r) => r.notificationNumber),
    [1, 1, 1],
  );
  assert.equal(planFlush(g, records, never, 330_000), null, 'nothing changed: silence until repeatInterval');
  const repeat = planFlush(g, records, never, 30_000 + 3_600_000)!;
  assert.equal(repeat.repeat, true);

  // One recovers: a message with the recovery (and the rest still firing).
  records[0]!.status = 'resolved';
  const change = planFlush(g, records, never, 400_000)!;
  assert.deepEqual(
    change.resolved.map((r) => r.objectId),
    ['a/x'],
  );
  assert.equal(change.firing.length, 2);
  applyFlush(g, change, 400_000);
  assert.deepEqual(records[0]!.notifiedGroups, []);
  assert.equal(g.members.has('a/x'), false);
});

test('muted alerts are not told, and a recovery is told only where the problem was', () => {
  const g = newGroup('k', 'chat', ROUTE, null, {}, 0);
  const muted = alert('m/x');
  const plan = planFlush(g, [muted], (r) => (r.objectId === 'm/x' ? 'silenced' : null), 0);
  assert.equal(plan, null);
  muted.status = 'resolved';
  assert.equal(
    planFlush(g, [muted], () => null, 1),
    null,
    'never told as firing: no recovery either',
  );
});

test('escalation by notification number and by time unacknowledged', () => {
  const r = alert('a/x', { startsAt: 0 });
  assert.deepEqual(dueEscalations(ROUTE, r, 60_000), []);
  r.notificationNumber = 2;
  assert.deepEqual(dueEscalations(ROUTE, r, 60_000), [0]);
  assert.deepEqual(dueEscalations(ROUTE, r, 16 * 60_000), [0, 1]);
  r.acknowledged = true;
  assert.deepEqual(dueEscalations(ROUTE, r, 16 * 60_000), [], 'acknowledged problems do not escalate');
});

test('inhibition: behind a down parent (transitively), and configured rules with equal labels', () => {
  const parents = new Map<string, string[]>([
    ['app', ['bastion']],
    ['db', ['app']],
    ['bastion', []],
  ]);
  const down = new Set(['bastion']);
  const target = (host: string) => ({
    objectId: `${host}/svc`,
    labels: { environment: 'prod' },
    host,
    kind: 'service' as const,
  });
  assert.match(inhibitedBy(target('db'), [], [], parents, (h) => down.has(h))!, /bastion/);
  assert.equal(
    inhibitedBy(target('bastion'), [], [], parents, (h) => down.has(h)),
    null,
  );
  const rules = [
    { sourceMatch: { alertname: 'HostDown' }, targetMatch: { severity: 'warning' }, equal: ['environment'] },
  ];
  const source = { objectId: 'x', labels: { alertname: 'HostDown', environment: 'prod' } };
  const warning = (environment: string) => ({
    objectId: 'y/disk',
    labels: { severity: 'warning', environment },
    host: 'y',
    kind: 'service' as const,
  });
  assert.match(inhibitedBy(warning('prod'), [source], rules, new Map(), () => false)!, /firing alert of x/);
  assert.equal(
    inhibitedBy(warning('test'), [source], rules, new Map(), () => false),
    null,
  );
});

test('silences mute matching alerts only while active', () => {
  const s = [
    {
      id: 1,
      matchers: { host: '~web-.*' },
      startsAt: 100,
      endsAt: 200,
      author: 'ann',
      comment: 'deploy',
      createdAt: 0,
    },
  ];
  assert.equal(silencedBy({ host: 'web-1' }, s, 150)?.id, 1);
  assert.equal(silencedBy({ host: 'db-1' }, s, 150), undefined);
  assert.equal(silencedBy({ host: 'web-1' }, s, 200), undefined);
});

test('time periods follow the time zone, including DST', () => {
  const office = {
    name: 'office',
    timeZone: 'Europe/Berlin',
    ranges: [{ days: [1, 2, 3, 4, 5], startMinute: 8 * 60, endMinute: 18 * 60 }],
  };
  // Monday 2026-01-05 07:30 UTC = 08:30 in Berlin (CET, UTC+1).
  assert.equal(inTimePeriod(office, Date.parse('2026-01-05T07:30:00Z')), true);
  assert.equal(inTimePeriod(office, Date.parse('2026-01-05T06:30:00Z')), false);
  // Monday 2026-07-06 06:30 UTC = 08:30 in Berlin (CEST, UTC+2).
  assert.equal(inTimePeriod(office, Date.parse('2026-07-06T06:30:00Z')), true);
  // Saturday.
  assert.equal(inTimePeriod(office, Date.parse('2026-01-10T10:00:00Z')), false);
  assert.deepEqual(localTime(Date.parse('2026-01-05T23:30:00Z'), 'Asia/Tokyo'), {
    day: 2,
    minute: 8 * 60 + 30,
  });
});

test('retries: exponential backoff with jitter, capped, Retry-After wins, then give up', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 };
  assert.equal(retryDelayMs(1, policy, 0), 500);
  assert.equal(retryDelayMs(1, policy, 0.999), 1000);
  assert.equal(retryDelayMs(3, policy, 0), 2000);
  assert.equal(retryDelayMs(4, policy, 1), 8000);
  assert.equal(retryDelayMs(2, policy, 0.5, 7000), 7000);
  assert.equal(retryDelayMs(5, policy, 0.5), null);
  assert.equal(retryDelayMs(4, { ...policy, maxMs: 3000 }, 1), 3000);
  assert.equal(parseRetryAfter('3', 0), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 0), 10_000);
  assert.equal(parseRetryAfter('soon', 0), undefined);
});
