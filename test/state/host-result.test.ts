import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialStatus } from '../../src/core/index.ts';
import { hostReachability, processHostResult } from '../../src/state/index.ts';
import { host, MIN, result, runHost, stateEvents, statusOf, T0 } from './fixtures.ts';

const UP = 0;
const DOWN = 1;
const UNREACHABLE = 2;
// Plugin codes, as host checks return them.
const OK = 0;
const WARNING = 1;
const CRITICAL = 2;
const UNKNOWN = 3;

describe('host results', () => {
  it('maps plugin codes: OK and WARNING are UP, CRITICAL and UNKNOWN are DOWN', () => {
    const h = host({
      timing: { intervalMs: 5 * MIN, retryIntervalMs: MIN, maxAttempts: 1, timeoutMs: 1000 },
    });
    const fresh = initialStatus(h.id, 'host');
    const stateFor = (code: number) => processHostResult(h, fresh, result(code, T0), [], T0).status.state;
    assert.deepEqual([OK, WARNING, CRITICAL, UNKNOWN].map(stateFor), [UP, UP, DOWN, DOWN]);
  });

  it('a host without a check is UP, and a timed-out host check is DOWN', () => {
    const noCheck = host({ probe: null });
    const o = processHostResult(noCheck, initialStatus('web1', 'host'), result(CRITICAL, T0), [], T0);
    assert.equal(o.status.state, UP);
    assert.equal(o.status.output, '(Host assumed to be UP)');
    const h = host({
      timing: { intervalMs: 5 * MIN, retryIntervalMs: MIN, maxAttempts: 1, timeoutMs: 1000 },
    });
    const t = processHostResult(h, initialStatus('web1', 'host'), result(OK, T0, { timedOut: true }), [], T0);
    assert.equal(t.status.state, DOWN);
  });

  it('UP, DOWN, DOWN, DOWN with maxAttempts 3 goes SOFT 1, SOFT 2, HARD 3 at the retry interval', () => {
    const steps = runHost(host(), [OK, CRITICAL, CRITICAL, CRITICAL]);
    assert.deepEqual(steps[0]!.outcome.events, []);
    assert.deepEqual(
      steps
        .slice(1)
        .map((s) => [
          s.outcome.status.state,
          s.outcome.status.stateType,
          s.outcome.status.attempt,
          s.outcome.nextCheckInMs,
        ]),
      [
        [DOWN, 'SOFT', 1, MIN],
        [DOWN, 'SOFT', 2, MIN],
        [DOWN, 'HARD', 3, 5 * MIN],
      ],
    );
    assert.deepEqual(
      steps.flatMap((s) => stateEvents(s.outcome.events)),
      [
        {
          state: DOWN,
          stateType: 'SOFT',
          attempt: 1,
          hard: false,
          previousState: UP,
          previousStateType: 'HARD',
        },
        {
          state: DOWN,
          stateType: 'SOFT',
          attempt: 2,
          hard: false,
          previousState: DOWN,
          previousStateType: 'SOFT',
        },
        {
          state: DOWN,
          stateType: 'HARD',
          attempt: 3,
          hard: true,
          previousState: DOWN,
          previousStateType: 'SOFT',
        },
      ],
    );
    const ev = steps[3]!.outcome.events[0]!;
    assert.equal(ev.kind, 'host');
    assert.equal(ev.service, null);
    assert.equal(ev.host, 'web1');
    assert.equal(steps[3]!.outcome.status.lastHardState, DOWN);
  });

  it('a HARD DOWN host recovers HARD', () => {
    const steps = runHost(host(), [CRITICAL, CRITICAL, CRITICAL, OK]);
    assert.deepEqual(stateEvents(steps[3]!.outcome.events), [
      {
        state: UP,
        stateType: 'HARD',
        attempt: 1,
        hard: true,
        previousState: DOWN,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(steps[3]!.outcome.status.lastHardState, UP);
  });

  it('a SOFT host recovery is logged UP SOFT 1 and stays SOFT until the next result, which is quiet', () => {
    const steps = runHost(host(), [CRITICAL, OK, OK]);
    assert.deepEqual(stateEvents(steps[1]!.outcome.events), [
      {
        state: UP,
        stateType: 'SOFT',
        attempt: 1,
        hard: false,
        previousState: DOWN,
        previousStateType: 'SOFT',
      },
    ]);
    assert.equal(steps[1]!.outcome.status.stateType, 'SOFT');
    assert.equal(steps[1]!.outcome.nextCheckInMs, 5 * MIN);
    assert.deepEqual(steps[2]!.outcome.events, []);
    assert.equal(steps[2]!.outcome.status.stateType, 'HARD');
    assert.equal(steps[2]!.outcome.status.lastHardState, UP);
  });

  it('a passive host result is HARD at once (passive_host_checks_are_soft=0)', () => {
    const h = host();
    const o = processHostResult(
      h,
      initialStatus(h.id, 'host'),
      result(CRITICAL, T0, { passive: true }),
      [],
      T0,
    );
    assert.deepEqual(stateEvents(o.events), [
      {
        state: DOWN,
        stateType: 'HARD',
        attempt: 1,
        hard: true,
        previousState: UP,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(o.status.lastHardState, DOWN);
  });
});

describe('host parents and UNREACHABLE', () => {
  const child = host({ name: 'app1', parents: ['router1'] });
  const parentDown = statusOf('router1', 'host', { state: DOWN, stateType: 'HARD', lastHardState: DOWN });
  const parentUp = statusOf('router1', 'host');

  it('a child DOWN with its parent DOWN is UNREACHABLE', () => {
    const steps = runHost(child, [CRITICAL, CRITICAL, CRITICAL], [parentDown]);
    assert.deepEqual(
      steps.map((s) => [s.outcome.status.state, s.outcome.status.stateType, s.outcome.status.attempt]),
      [
        [UNREACHABLE, 'SOFT', 1],
        [UNREACHABLE, 'SOFT', 2],
        [UNREACHABLE, 'HARD', 3],
      ],
    );
    assert.equal(steps[2]!.outcome.events[0]!.state, UNREACHABLE);
    assert.equal(steps[2]!.outcome.events[0]!.hard, true);
  });

  it('a child DOWN with its parent UP is DOWN', () => {
    const steps = runHost(child, [CRITICAL], [parentUp]);
    assert.equal(steps[0]!.outcome.status.state, DOWN);
  });

  it('one UP parent among several is enough for DOWN; all down means UNREACHABLE', () => {
    const twoParents = host({ name: 'app2', parents: ['router1', 'router2'] });
    const r2Up = statusOf('router2', 'host');
    const r2Down = statusOf('router2', 'host', { state: UNREACHABLE });
    assert.equal(hostReachability(twoParents, [parentDown, r2Up]), DOWN);
    assert.equal(hostReachability(twoParents, [parentDown, r2Down]), UNREACHABLE);
    // A parent without a status is taken as UP (a Nagios host not checked yet is in its initial UP state).
    assert.equal(hostReachability(twoParents, [parentDown]), DOWN);
    assert.equal(hostReachability(host(), []), DOWN);
  });

  it('a HARD DOWN child becomes UNREACHABLE when its parent goes down: a HARD state change', () => {
    const hardDown = statusOf('app1', 'host', {
      state: DOWN,
      stateType: 'HARD',
      attempt: 3,
      lastHardState: DOWN,
    });
    const o = processHostResult(child, hardDown, result(CRITICAL, T0), [parentDown], T0);
    assert.deepEqual(stateEvents(o.events), [
      {
        state: UNREACHABLE,
        stateType: 'HARD',
        attempt: 3,
        hard: true,
        previousState: DOWN,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(o.status.lastHardState, UNREACHABLE);
  });

  it('passive host results are not translated to UNREACHABLE (translate_passive_host_checks=0)', () => {
    const o = processHostResult(
      child,
      initialStatus('app1', 'host'),
      result(CRITICAL, T0, { passive: true }),
      [parentDown],
      T0,
    );
    assert.equal(o.status.state, DOWN);
  });
});
