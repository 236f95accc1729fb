import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Downtime, ObjectStatus } from '../../src/core/index.ts';
import { notificationBlockedReason } from '../../src/state/index.ts';
import { host, service, statusOf, T0 } from './fixtures.ts';

const CRIT = 2;

const svc = service();
const hardCrit = statusOf(svc.id, 'service', {
  state: CRIT,
  stateType: 'HARD',
  attempt: 3,
  lastHardState: CRIT,
});
const hostUp = statusOf('web1', 'host');
const blocked = (
  status: ObjectStatus,
  hostStatus: ObjectStatus | null = hostUp,
  downtimes: Downtime[] = [],
) => notificationBlockedReason(svc, status, hostStatus, T0, downtimes);

const flexible: Downtime = {
  id: 3,
  objectId: 'web1/http',
  includeServices: false,
  start: T0 - 1000,
  end: T0 + 1000,
  fixed: false,
  durationMs: 60_000,
  author: 'alice',
  comment: 'maybe',
  createdAt: T0 - 2000,
  startedAt: null,
  endedAt: null,
  cancelled: false,
};

describe('notificationBlockedReason', () => {
  it('lets a HARD problem through', () => {
    assert.equal(blocked(hardCrit), null);
    assert.equal(blocked(hardCrit, null), null);
  });

  it('blocks SOFT states', () => {
    assert.match(blocked({ ...hardCrit, stateType: 'SOFT', attempt: 2 })!, /SOFT state \(attempt 2\/3\)/);
  });

  it('blocks acknowledged problems, but not once the acknowledgement expired', () => {
    const ack = { type: 'normal' as const, author: 'alice', comment: '', time: T0 - 10 };
    assert.match(blocked({ ...hardCrit, acknowledgement: ack })!, /acknowledged by alice/);
    assert.equal(blocked({ ...hardCrit, acknowledgement: { ...ack, expiresAt: T0 } }), null);
  });

  it('blocks a recovery when no problem was notified, allows it when one was', () => {
    const ok = statusOf(svc.id, 'service');
    assert.match(blocked(ok)!, /no problem was notified/);
    assert.equal(blocked({ ...ok, notificationNumber: 2 }), null);
  });

  it('blocks flapping objects', () => {
    const flapping = { ...hardCrit, flap: { history: [], percentStateChange: 31.5, flapping: true } };
    assert.match(blocked(flapping)!, /flapping \(31\.5% state change\)/);
  });

  it('blocks objects in downtime, and services whose host is in downtime', () => {
    assert.match(blocked({ ...hardCrit, activeDowntimes: [4] })!, /service is in scheduled downtime/);
    assert.match(
      blocked(hardCrit, { ...hostUp, activeDowntimes: [5] })!,
      /host web1 is in scheduled downtime/,
    );
  });

  it('blocks while a flexible downtime is pending in its window (own or host’s)', () => {
    assert.match(blocked(hardCrit, hostUp, [flexible])!, /flexible downtime starting/);
    assert.match(
      blocked(hardCrit, hostUp, [{ ...flexible, objectId: 'web1' }])!,
      /host web1 has a flexible downtime/,
    );
    assert.equal(blocked(hardCrit, hostUp, [{ ...flexible, end: T0 - 1 }]), null);
    assert.equal(blocked(hardCrit, hostUp, [{ ...flexible, fixed: true }]), null);
  });

  it('blocks services of a HARD DOWN or UNREACHABLE host, not of a SOFT DOWN one', () => {
    const down = { ...hostUp, state: 1, stateType: 'HARD' as const };
    assert.match(blocked(hardCrit, down)!, /host web1 is DOWN/);
    assert.match(blocked(hardCrit, { ...down, state: 2 })!, /host web1 is UNREACHABLE/);
    assert.equal(blocked(hardCrit, { ...down, stateType: 'SOFT' }), null);
  });

  it('applies to hosts too (the host rules are ignored for a host)', () => {
    const h = host();
    const hostDown = statusOf('web1', 'host', { state: 1, stateType: 'HARD', attempt: 3, lastHardState: 1 });
    assert.equal(notificationBlockedReason(h, hostDown, null, T0), null);
    assert.match(
      notificationBlockedReason(h, { ...hostDown, stateType: 'SOFT' }, null, T0)!,
      /host is in a SOFT state/,
    );
    assert.match(
      notificationBlockedReason(h, { ...hostDown, activeDowntimes: [1] }, null, T0)!,
      /host is in scheduled downtime/,
    );
  });
});
