import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Acknowledgement } from '../../src/core/index.ts';
import {
  acknowledge,
  activeAcknowledgement,
  processServiceResult,
  removeAcknowledgement,
} from '../../src/state/index.ts';
import { MIN, result, runService, service, statusOf, T0 } from './fixtures.ts';

const OK = 0;
const WARN = 1;
const CRIT = 2;

const normal: Acknowledgement = { type: 'normal', author: 'alice', comment: 'looking', time: T0 };
const sticky: Acknowledgement = { type: 'sticky', author: 'bob', comment: 'known issue', time: T0 };

function acked(ack: Acknowledgement, state: number, stateType: 'SOFT' | 'HARD' = 'HARD') {
  const svc = service();
  const status = statusOf(svc.id, 'service', {
    state,
    stateType,
    attempt: stateType === 'HARD' ? 3 : 1,
    lastHardState: stateType === 'HARD' ? state : OK,
  });
  const r = acknowledge(svc, status, ack, T0);
  if ('error' in r) throw new Error(r.error);
  return r.status;
}

describe('acknowledgements', () => {
  it('only a problem can be acknowledged', () => {
    const svc = service();
    const r = acknowledge(svc, statusOf(svc.id, 'service'), normal, T0);
    assert.ok('error' in r);
    assert.match(r.error, /web1\/http.*is OK.*only a problem/);
  });

  it('acknowledging a problem sets it and writes an acknowledgement event', () => {
    const svc = service();
    const status = statusOf(svc.id, 'service', { state: CRIT, lastHardState: CRIT, attempt: 3 });
    const r = acknowledge(svc, status, normal, T0 + 5);
    assert.ok(!('error' in r));
    assert.deepEqual(r.status.acknowledgement, normal);
    assert.equal(status.acknowledgement, null);
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0]!.type, 'acknowledgement');
    assert.equal(r.events[0]!.author, 'alice');
    assert.equal(r.events[0]!.comment, 'looking');
    assert.equal(r.events[0]!.time, T0 + 5);
  });

  it('a normal acknowledgement is removed on WARNING → CRITICAL', () => {
    const status = acked(normal, WARN);
    const o = processServiceResult(service(), status, result(CRIT, T0 + MIN), null, T0 + MIN);
    assert.equal(o.status.acknowledgement, null);
    const removed = o.events.filter((e) => e.type === 'acknowledgement_removed');
    assert.equal(removed.length, 1);
    assert.deepEqual(removed[0]!.details, {
      reason: 'state change',
      ackType: 'normal',
      acknowledgedBy: 'alice',
    });
    // The state event comes first: it is the cause.
    assert.deepEqual(
      o.events.map((e) => e.type),
      ['state', 'acknowledgement_removed'],
    );
  });

  it('a normal acknowledgement of a SOFT problem survives SOFT → HARD in the same state', () => {
    const status = acked(normal, CRIT, 'SOFT');
    const steps = runService(service(), [CRIT, CRIT], status);
    assert.equal(steps[1]!.outcome.status.stateType, 'HARD');
    assert.deepEqual(steps[1]!.outcome.status.acknowledgement, normal);
    assert.equal(
      steps.flatMap((s) => s.outcome.events).filter((e) => e.type === 'acknowledgement_removed').length,
      0,
    );
  });

  it('a sticky acknowledgement stays through WARNING → CRITICAL and goes on OK', () => {
    const steps = runService(service(), [CRIT, OK], acked(sticky, WARN));
    assert.deepEqual(steps[0]!.outcome.status.acknowledgement, sticky);
    assert.equal(steps[0]!.outcome.events.filter((e) => e.type === 'acknowledgement_removed').length, 0);
    assert.equal(steps[1]!.outcome.status.acknowledgement, null);
    const removed = steps[1]!.outcome.events.find((e) => e.type === 'acknowledgement_removed');
    assert.equal(removed?.details?.reason, 'recovery');
  });

  it('removeAcknowledgement by an operator, and a no-op without one', () => {
    const svc = service();
    const status = acked(normal, CRIT);
    const r = removeAcknowledgement(svc, status, T0 + 9, 'carol');
    assert.equal(r.status.acknowledgement, null);
    assert.equal(r.events[0]!.type, 'acknowledgement_removed');
    assert.equal(r.events[0]!.author, 'carol');
    assert.equal(r.events[0]!.details?.reason, 'removed');
    const none = removeAcknowledgement(svc, r.status, T0 + 10, 'carol');
    assert.equal(none.status, r.status);
    assert.deepEqual(none.events, []);
  });

  it('an acknowledgement with an expiry stops counting at expiry and is removed by the next result', () => {
    const expiring = { ...normal, expiresAt: T0 + 2 * MIN };
    const status = acked(expiring, CRIT);
    assert.deepEqual(activeAcknowledgement(status, T0 + MIN), expiring);
    assert.equal(activeAcknowledgement(status, T0 + 2 * MIN), null);
    const o = processServiceResult(service(), status, result(CRIT, T0 + 3 * MIN), null, T0 + 3 * MIN);
    assert.equal(o.status.acknowledgement, null);
    assert.equal(o.events.find((e) => e.type === 'acknowledgement_removed')?.details?.reason, 'expired');
    const past = acknowledge(service(), status, { ...normal, expiresAt: T0 - 1 }, T0);
    assert.ok('error' in past);
  });
});
