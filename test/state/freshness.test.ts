import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialStatus } from '../../src/core/index.ts';
import { checkFreshness, processHostResult, processServiceResult } from '../../src/state/index.ts';
import { host, MIN, result, service, T0 } from './fixtures.ts';

const CRIT = 2;
const UNKNOWN = 3;

describe('freshness', () => {
  const svc = service({ freshness: { thresholdMs: 10 * MIN, staleState: UNKNOWN } });

  it('is fresh up to the threshold and stale after it, with an explaining result', () => {
    const checked = processServiceResult(
      svc,
      initialStatus(svc.id, 'service'),
      result(0, T0),
      null,
      T0,
    ).status;
    assert.equal(checkFreshness(svc, checked, T0 + 10 * MIN), null);
    const stale = checkFreshness(svc, checked, T0 + 12 * MIN + 30_000);
    assert.ok(stale);
    assert.equal(stale.state, UNKNOWN);
    assert.equal(stale.stale, true);
    assert.equal(stale.startedAt, T0 + 12 * MIN + 30_000);
    assert.equal(stale.output, 'Result is stale: last result received 12m30s ago (freshness threshold 10m)');
  });

  it('a stale result is processed like a check: stale event, SOFT attempt, lastResultAt unchanged', () => {
    const checked = processServiceResult(
      svc,
      initialStatus(svc.id, 'service'),
      result(0, T0),
      null,
      T0,
    ).status;
    const at = T0 + 11 * MIN;
    const stale = checkFreshness(svc, checked, at)!;
    const o = processServiceResult(svc, checked, stale, null, at);
    assert.deepEqual(
      o.events.map((e) => e.type),
      ['stale', 'state'],
    );
    assert.equal(o.events[0]!.details?.thresholdMs, 10 * MIN);
    assert.equal(o.status.state, UNKNOWN);
    assert.equal(o.status.stateType, 'SOFT');
    assert.equal(o.status.lastResultAt, T0);
    assert.equal(o.status.lastCheck, at);
    // The stale result counts as the last check: the next one comes a threshold later, not at once.
    assert.equal(checkFreshness(svc, o.status, at + MIN), null);
    const again = checkFreshness(svc, o.status, at + 11 * MIN);
    assert.ok(again);
    assert.match(again.output, /last result received 22m ago/);
  });

  it('a never-checked object is judged from when monitoring began, and only then', () => {
    const fresh = initialStatus(svc.id, 'service');
    assert.equal(checkFreshness(svc, fresh, T0 + 60 * MIN), null);
    assert.equal(checkFreshness(svc, fresh, T0 + 5 * MIN, T0), null);
    const stale = checkFreshness(svc, fresh, T0 + 11 * MIN, T0);
    assert.ok(stale);
    assert.match(stale.output, /no result received since monitoring began 11m ago/);
  });

  it('objects without freshness settings are never stale', () => {
    const plain = service();
    const checked = processServiceResult(
      plain,
      initialStatus(plain.id, 'service'),
      result(0, T0),
      null,
      T0,
    ).status;
    assert.equal(checkFreshness(plain, checked, T0 + 1000 * MIN), null);
  });

  it('a stale host goes DOWN through the host mapping', () => {
    const h = host({ freshness: { thresholdMs: 5 * MIN, staleState: CRIT } });
    const up = processHostResult(h, initialStatus(h.id, 'host'), result(0, T0), [], T0).status;
    const stale = checkFreshness(h, up, T0 + 6 * MIN)!;
    const o = processHostResult(h, up, stale, [], T0 + 6 * MIN);
    assert.equal(o.status.state, 1);
    assert.equal(o.events[0]!.type, 'stale');
  });
});
