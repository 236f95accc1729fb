import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Downtime } from '../../src/core/index.ts';
import { evaluateDowntimes, processServiceResult } from '../../src/state/index.ts';
import { host, MIN, result, service, statusOf, T0 } from './fixtures.ts';

const OK = 0;
const CRIT = 2;

function downtime(overrides: Partial<Downtime>): Downtime {
  return {
    id: 1,
    objectId: 'web1/http',
    includeServices: false,
    start: T0 + 10 * MIN,
    end: T0 + 20 * MIN,
    fixed: true,
    durationMs: 10 * MIN,
    author: 'alice',
    comment: 'maintenance',
    createdAt: T0,
    startedAt: null,
    endedAt: null,
    cancelled: false,
    ...overrides,
  };
}

describe('fixed downtimes', () => {
  const svc = service();
  const ok = statusOf(svc.id, 'service');

  it('start at start, end at end, with one event each', () => {
    const d = downtime({});
    const before = evaluateDowntimes(svc, ok, [d], T0 + 5 * MIN);
    assert.equal(before.status, ok);
    assert.deepEqual(before.downtimes, []);
    assert.deepEqual(before.events, []);

    const start = evaluateDowntimes(svc, ok, [d], T0 + 10 * MIN);
    assert.deepEqual(start.status.activeDowntimes, [1]);
    assert.deepEqual(start.downtimes, [{ ...d, startedAt: T0 + 10 * MIN }]);
    assert.equal(start.events.length, 1);
    assert.equal(start.events[0]!.type, 'downtime_start');
    assert.equal(start.events[0]!.author, 'alice');
    assert.equal(start.events[0]!.comment, 'maintenance');
    assert.equal(start.events[0]!.details?.downtimeId, 1);
    assert.equal(start.events[0]!.time, T0 + 10 * MIN);

    const started = start.downtimes[0]!;
    const during = evaluateDowntimes(svc, start.status, [started], T0 + 15 * MIN);
    assert.equal(during.status, start.status);
    assert.deepEqual(during.events, []);
    assert.deepEqual(during.downtimes, []);

    const end = evaluateDowntimes(svc, start.status, [started], T0 + 20 * MIN);
    assert.deepEqual(end.status.activeDowntimes, []);
    assert.deepEqual(end.downtimes, [{ ...started, endedAt: T0 + 20 * MIN }]);
    assert.deepEqual(
      end.events.map((e) => e.type),
      ['downtime_end'],
    );
  });

  it('a fixed downtime whose window passed unseen ends without events', () => {
    const r = evaluateDowntimes(svc, ok, [downtime({})], T0 + 30 * MIN);
    assert.deepEqual(r.events, []);
    assert.equal(r.downtimes[0]!.endedAt, T0 + 30 * MIN);
    assert.deepEqual(r.status.activeDowntimes, []);
  });

  it('overlapping downtimes give one start and one end (Nagios downtime depth)', () => {
    const a = downtime({ id: 1, start: T0, end: T0 + 20 * MIN });
    const b = downtime({ id: 2, start: T0 + 5 * MIN, end: T0 + 30 * MIN });
    const r1 = evaluateDowntimes(svc, ok, [a, b], T0);
    assert.deepEqual(
      r1.events.map((e) => e.type),
      ['downtime_start'],
    );
    const aa = r1.downtimes.find((d) => d.id === 1)!;
    const r2 = evaluateDowntimes(svc, r1.status, [aa, b], T0 + 5 * MIN);
    assert.deepEqual(r2.status.activeDowntimes, [1, 2]);
    assert.deepEqual(r2.events, []);
    const bb = r2.downtimes.find((d) => d.id === 2)!;
    const r3 = evaluateDowntimes(svc, r2.status, [aa, bb], T0 + 20 * MIN);
    assert.deepEqual(r3.status.activeDowntimes, [2]);
    assert.deepEqual(r3.events, []);
    const r4 = evaluateDowntimes(svc, r3.status, [bb], T0 + 30 * MIN);
    assert.deepEqual(r4.status.activeDowntimes, []);
    assert.deepEqual(
      r4.events.map((e) => e.type),
      ['downtime_end'],
    );
    assert.equal(r4.events[0]!.details?.downtimeId, 2);
  });

  it('a host downtime with includeServices covers the host’s services', () => {
    const hd = downtime({ id: 7, objectId: 'web1', includeServices: true, startedAt: T0 + 10 * MIN });
    const r = evaluateDowntimes(svc, ok, [hd], T0 + 12 * MIN);
    assert.deepEqual(r.status.activeDowntimes, [7]);
    assert.equal(r.events[0]!.details?.inheritedFrom, 'web1');
    // The host's record is not the service's to change.
    assert.deepEqual(r.downtimes, []);
    const gone = evaluateDowntimes(svc, r.status, [], T0 + 13 * MIN);
    assert.deepEqual(gone.status.activeDowntimes, []);
    assert.deepEqual(
      gone.events.map((e) => e.type),
      ['downtime_end'],
    );
    // Without includeServices it does not.
    const hostOnly = evaluateDowntimes(svc, ok, [{ ...hd, includeServices: false }], T0 + 12 * MIN);
    assert.deepEqual(hostOnly.status.activeDowntimes, []);
  });
});

describe('flexible downtimes', () => {
  const svc = service();
  const flex = downtime({ fixed: false, durationMs: 15 * MIN });

  it('wait for a problem inside the window, then last durationMs (even past the window end)', () => {
    const ok = statusOf(svc.id, 'service');
    const quiet = evaluateDowntimes(svc, ok, [flex], T0 + 12 * MIN);
    assert.deepEqual(quiet.events, []);
    assert.deepEqual(quiet.downtimes, []);

    // The first problem result inside the window (SOFT is enough) starts it.
    const at = T0 + 14 * MIN;
    const crit = processServiceResult(svc, ok, result(CRIT, at), null, at);
    assert.equal(crit.status.stateType, 'SOFT');
    const start = evaluateDowntimes(svc, crit.status, [flex], at);
    assert.deepEqual(start.status.activeDowntimes, [1]);
    assert.equal(start.downtimes[0]!.startedAt, at);
    assert.deepEqual(
      start.events.map((e) => e.type),
      ['downtime_start'],
    );

    const started = start.downtimes[0]!;
    // Still in effect after the window's end (T0+20m), until startedAt + 15m = T0+29m.
    const after = evaluateDowntimes(svc, start.status, [started], T0 + 28 * MIN);
    assert.deepEqual(after.status.activeDowntimes, [1]);
    assert.deepEqual(after.events, []);
    const end = evaluateDowntimes(svc, start.status, [started], T0 + 29 * MIN);
    assert.deepEqual(end.status.activeDowntimes, []);
    assert.equal(end.downtimes[0]!.endedAt, T0 + 29 * MIN);
    assert.deepEqual(
      end.events.map((e) => e.type),
      ['downtime_end'],
    );
  });

  it('a problem before the window does not start it; one inside does', () => {
    const crit = statusOf(svc.id, 'service', { state: CRIT, stateType: 'HARD', lastHardState: CRIT });
    assert.deepEqual(evaluateDowntimes(svc, crit, [flex], T0 + 9 * MIN).status.activeDowntimes, []);
    assert.deepEqual(evaluateDowntimes(svc, crit, [flex], T0 + 10 * MIN).status.activeDowntimes, [1]);
  });

  it('a flexible downtime never triggered expires after its window without events', () => {
    const ok = statusOf(svc.id, 'service', { state: OK });
    const atEnd = evaluateDowntimes(svc, ok, [flex], T0 + 20 * MIN);
    assert.deepEqual(atEnd.downtimes, []);
    const r = evaluateDowntimes(svc, ok, [flex], T0 + 20 * MIN + 1);
    assert.deepEqual(r.events, []);
    assert.equal(r.downtimes[0]!.endedAt, T0 + 20 * MIN + 1);
    assert.equal(r.downtimes[0]!.startedAt, null);
  });

  it('works for hosts: DOWN starts a flexible host downtime', () => {
    const h = host();
    const hd = downtime({ objectId: 'web1', fixed: false });
    const down = statusOf('web1', 'host', { state: 1, stateType: 'SOFT' });
    const r = evaluateDowntimes(h, down, [hd], T0 + 11 * MIN);
    assert.deepEqual(r.status.activeDowntimes, [1]);
    assert.equal(r.events[0]!.kind, 'host');
  });
});
