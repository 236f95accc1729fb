import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialStatus } from '../../src/core/index.ts';
import { percentStateChange, updateFlapping } from '../../src/state/index.ts';
import { host, MIN, runHost, runService, service, statusOf, T0 } from './fixtures.ts';

const OK = 0;
const CRIT = 2;

// Nagios' weight of a change between history entries x-1 and x (x = 1 oldest .. 20 newest),
// written out: 0.75 + (x - 1) * 0.5 / 19; the percentage is the weighted sum * 100 / 20.
const w = (x: number) => 0.75 + ((x - 1) * 0.5) / 19;
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

const oneAttempt = { intervalMs: 5 * MIN, retryIntervalMs: MIN, maxAttempts: 1, timeoutMs: 1000 };

describe('percent state change', () => {
  it('is 0 for a steady history and weights recent changes more', () => {
    assert.equal(percentStateChange([]), 0);
    assert.equal(percentStateChange(new Array(21).fill(2)), 0);
    // One change at the newest position weighs 1.25: 1.25 * 100 / 20 = 6.25.
    close(percentStateChange([2]), 6.25);
    // The same change at the oldest position weighs 0.75: 3.75.
    close(percentStateChange([0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]), 3.75);
    // Every entry different: all 20 weights, which sum to 20 → 100%.
    close(percentStateChange([0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0]), 100);
    // Only the last 21 states count.
    close(percentStateChange([2, ...new Array(21).fill(0)]), 0);
  });
});

describe('service flapping', () => {
  it('alternating OK/CRITICAL starts flapping at the 4th result with high threshold 20', () => {
    const svc = service({ timing: oneAttempt, flap: { enabled: true, lowThreshold: 5, highThreshold: 20 } });
    const steps = runService(svc, [CRIT, OK, CRIT, OK, CRIT]);
    const percents = steps.map((s) => s.outcome.status.flap.percentStateChange);
    close(percents[0]!, w(20) * 5); // 6.25
    close(percents[1]!, (w(19) + w(20)) * 5); // 12.37
    close(percents[2]!, (w(18) + w(19) + w(20)) * 5); // 18.36: still below 20
    close(percents[3]!, (w(17) + w(18) + w(19) + w(20)) * 5); // 24.21: flapping
    assert.deepEqual(
      steps.map((s) => s.outcome.status.flap.flapping),
      [false, false, false, true, true],
    );
    const starts = steps.map((s) => s.outcome.events.filter((e) => e.type === 'flapping_start').length);
    assert.deepEqual(starts, [0, 0, 0, 1, 0]);
    const start = steps[3]!.outcome.events.find((e) => e.type === 'flapping_start')!;
    assert.equal(start.output, 'Service appears to have started flapping (24.2% change >= 20.0% threshold)');
    assert.equal(start.details?.highThreshold, 20);
    assert.deepEqual(steps[4]!.outcome.status.flap.history, [CRIT, OK, CRIT, OK, CRIT]);
  });

  it('stops flapping once enough stable results push the changes out (percent <= low threshold)', () => {
    const svc = service({ timing: oneAttempt, flap: { enabled: true, lowThreshold: 10, highThreshold: 20 } });
    const flapping = [CRIT, OK, CRIT, OK];
    const stable = new Array(20).fill(OK);
    const steps = runService(svc, [...flapping, ...stable]);
    // After n stable OKs the four changes sit at positions 17-n .. 20-n; positions below 1 have left
    // the 21-entry window. Stop at the first n where the percentage is <= 10.
    const expected = (n: number) =>
      [17 - n, 18 - n, 19 - n, 20 - n].filter((x) => x >= 1).reduce((sum, x) => sum + w(x), 0) * 5;
    let stopAt = -1;
    for (let n = 1; n <= 20; n++) {
      close(steps[3 + n]!.outcome.status.flap.percentStateChange, expected(n));
      if (stopAt < 0 && expected(n) <= 10) stopAt = n;
    }
    assert.equal(stopAt, 18); // changes at positions 1 and 2: (0.75 + 0.776) * 5 = 7.6%
    const stops = steps
      .map((s, i) => (s.outcome.events.some((e) => e.type === 'flapping_stop') ? i : -1))
      .filter((i) => i >= 0);
    assert.deepEqual(stops, [3 + stopAt]);
    assert.equal(steps[3 + stopAt - 1]!.outcome.status.flap.flapping, true);
    assert.equal(steps[3 + stopAt]!.outcome.status.flap.flapping, false);
  });

  it('SOFT problem states are not recorded: alternating OK/CRITICAL with 3 attempts never flaps', () => {
    const steps = runService(service(), [CRIT, OK, CRIT, OK, CRIT, OK, CRIT, OK]);
    const final = steps[7]!.outcome.status;
    // Only the OKs (soft recoveries) went into the history.
    assert.deepEqual(final.flap.history, [OK, OK, OK, OK]);
    assert.equal(final.flap.percentStateChange, 0);
    assert.equal(final.flap.flapping, false);
  });

  it('disabling flap detection while flapping clears it with a flapping_disabled event', () => {
    const svc = service({ timing: oneAttempt, flap: { enabled: false, lowThreshold: 5, highThreshold: 20 } });
    const status = statusOf(svc.id, 'service', {
      state: CRIT,
      lastHardState: CRIT,
      flap: { history: [OK, CRIT, OK], percentStateChange: 30, flapping: true },
    });
    const r = updateFlapping(svc, status, T0);
    assert.equal(r.status.flap.flapping, false);
    assert.deepEqual(
      r.events.map((e) => e.type),
      ['flapping_disabled'],
    );
    // The history is still kept up to date.
    assert.deepEqual(r.status.flap.history, [OK, CRIT, OK, CRIT]);
  });

  it('between the thresholds nothing changes', () => {
    const svc = service({ timing: oneAttempt });
    const notFlapping = statusOf(svc.id, 'service', {
      state: CRIT,
      flap: { history: [OK, CRIT], percentStateChange: 0, flapping: false },
    });
    // History becomes OK,CRIT,CRIT padded: one change at position 19 → 6.1%, between 5 and 20.
    const r = updateFlapping(svc, notFlapping, T0);
    close(r.status.flap.percentStateChange, w(19) * 5);
    assert.equal(r.status.flap.flapping, false);
    const flappingBefore = { ...notFlapping, flap: { ...notFlapping.flap, flapping: true } };
    assert.equal(updateFlapping(svc, flappingBefore, T0).status.flap.flapping, true);
    assert.deepEqual(updateFlapping(svc, flappingBefore, T0).events, []);
  });
});

describe('host flapping', () => {
  it('records every host state, SOFT ones included', () => {
    const steps = runHost(host(), [2, 0, 2, 0]);
    const final = steps[3]!.outcome.status;
    assert.deepEqual(final.flap.history, [1, 0, 1, 0]);
    assert.equal(final.flap.flapping, true);
    assert.equal(steps[3]!.outcome.events.find((e) => e.type === 'flapping_start')?.kind, 'host');
    assert.equal(initialStatus('x', 'host').flap.history.length, 0);
  });
});
