import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialStatus } from '../../src/core/index.ts';
import { processServiceResult } from '../../src/state/index.ts';
import { last, MIN, result, runService, service, stateEvents, statusOf, T0 } from './fixtures.ts';

const OK = 0;
const WARN = 1;
const CRIT = 2;
const UNKNOWN = 3;

describe('service SOFT/HARD states', () => {
  it('OK, CRIT, CRIT, CRIT with maxAttempts 3 goes SOFT 1, SOFT 2, HARD 3 with exactly those events', () => {
    const svc = service();
    const steps = runService(svc, [OK, CRIT, CRIT, CRIT]);
    const [s1, s2, s3, s4] = steps.map((s) => s.outcome);

    // OK on a fresh service (initial OK HARD) is no change at all.
    assert.deepEqual(s1!.events, []);
    assert.equal(s1!.status.state, OK);
    assert.equal(s1!.status.stateType, 'HARD');
    assert.equal(s1!.status.hasBeenChecked, true);
    assert.equal(s1!.nextCheckInMs, 5 * MIN);

    assert.deepEqual(
      [s2!, s3!, s4!].map((o) => [o.status.state, o.status.stateType, o.status.attempt, o.nextCheckInMs]),
      [
        [CRIT, 'SOFT', 1, MIN],
        [CRIT, 'SOFT', 2, MIN],
        [CRIT, 'HARD', 3, 5 * MIN],
      ],
    );
    assert.deepEqual(stateEvents(s2!.events), [
      {
        state: CRIT,
        stateType: 'SOFT',
        attempt: 1,
        hard: false,
        previousState: OK,
        previousStateType: 'HARD',
      },
    ]);
    // Nagios logs every SOFT attempt (SERVICE ALERT ...;SOFT;2), without it being a state change.
    assert.deepEqual(stateEvents(s3!.events), [
      {
        state: CRIT,
        stateType: 'SOFT',
        attempt: 2,
        hard: false,
        previousState: CRIT,
        previousStateType: 'SOFT',
      },
    ]);
    assert.deepEqual(stateEvents(s4!.events), [
      {
        state: CRIT,
        stateType: 'HARD',
        attempt: 3,
        hard: true,
        previousState: CRIT,
        previousStateType: 'SOFT',
      },
    ]);
    const hard = s4!.events[0]!;
    assert.equal(hard.maxAttempts, 3);
    assert.equal(hard.objectId, 'web1/http');
    assert.equal(hard.host, 'web1');
    assert.equal(hard.service, 'http');
    assert.equal(hard.environment, 'production');
    assert.equal(hard.output, `state 2 at ${steps[3]!.at}`);
    assert.equal(hard.time, steps[3]!.at);
    assert.equal(s4!.events.length, 1);
  });

  it('keeps lastStateChange, lastHardStateChange and lastHardState as Nagios does', () => {
    const steps = runService(service(), [OK, CRIT, CRIT, CRIT, CRIT]);
    const at = steps.map((s) => s.at);
    const st = steps.map((s) => s.outcome.status);
    // First result initialises both change times.
    assert.equal(st[0]!.lastStateChange, at[0]);
    assert.equal(st[0]!.lastHardStateChange, at[0]);
    // OK → CRIT SOFT: a state change, not a hard one.
    assert.equal(st[1]!.lastStateChange, at[1]);
    assert.equal(st[1]!.lastHardStateChange, at[0]);
    assert.equal(st[1]!.lastHardState, OK);
    assert.equal(st[2]!.lastStateChange, at[1]);
    // SOFT → HARD: Nagios 4 stamps both last_state_change and last_hard_state_change.
    assert.equal(st[3]!.lastStateChange, at[3]);
    assert.equal(st[3]!.lastHardStateChange, at[3]);
    assert.equal(st[3]!.lastHardState, CRIT);
    // Still HARD CRIT: nothing moves.
    assert.equal(st[4]!.lastStateChange, at[3]);
    assert.equal(st[4]!.lastHardStateChange, at[3]);
    assert.deepEqual(steps[4]!.outcome.events, []);
  });

  it('a recovery from a HARD problem is a HARD recovery', () => {
    const steps = runService(service(), [CRIT, CRIT, CRIT, CRIT, OK]);
    const rec = last(steps).outcome;
    assert.deepEqual(stateEvents(rec.events), [
      {
        state: OK,
        stateType: 'HARD',
        attempt: 1,
        hard: true,
        previousState: CRIT,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(rec.status.stateType, 'HARD');
    assert.equal(rec.status.attempt, 1);
    assert.equal(rec.status.lastHardState, OK);
    assert.equal(rec.status.lastHardStateChange, last(steps).at);
    assert.equal(rec.nextCheckInMs, 5 * MIN);
  });

  it('OK, CRIT, OK is a SOFT recovery: logged OK SOFT attempt 2, no HARD event, then stored OK HARD 1', () => {
    const steps = runService(service(), [OK, CRIT, OK]);
    const rec = steps[2]!.outcome;
    assert.deepEqual(stateEvents(rec.events), [
      {
        state: OK,
        stateType: 'SOFT',
        attempt: 2,
        hard: false,
        previousState: CRIT,
        previousStateType: 'SOFT',
      },
    ]);
    assert.equal(rec.events.filter((e) => e.hard).length, 0);
    assert.equal(rec.status.state, OK);
    assert.equal(rec.status.stateType, 'HARD');
    assert.equal(rec.status.attempt, 1);
    assert.equal(rec.status.lastHardState, OK);
    assert.equal(rec.status.lastStateChange, steps[2]!.at);
    // Nagios stamps last_hard_state_change on SOFT recoveries too, and schedules the next check at
    // the retry interval because the result was processed as SOFT.
    assert.equal(rec.status.lastHardStateChange, steps[2]!.at);
    assert.equal(rec.nextCheckInMs, MIN);
    // And the next OK is quiet.
    const after = processServiceResult(
      service(),
      rec.status,
      result(OK, steps[2]!.at + MIN),
      null,
      steps[2]!.at + MIN,
    );
    assert.deepEqual(after.events, []);
  });

  it('a SOFT recovery from attempt 2 is logged with attempt 3', () => {
    const steps = runService(service(), [CRIT, CRIT, OK]);
    assert.deepEqual(stateEvents(steps[2]!.outcome.events), [
      {
        state: OK,
        stateType: 'SOFT',
        attempt: 3,
        hard: false,
        previousState: CRIT,
        previousStateType: 'SOFT',
      },
    ]);
  });

  it('maxAttempts 1 makes the first problem HARD at once, and the recovery HARD', () => {
    const svc = service({
      timing: { intervalMs: 5 * MIN, retryIntervalMs: MIN, maxAttempts: 1, timeoutMs: 1000 },
    });
    const steps = runService(svc, [CRIT, OK]);
    assert.deepEqual(stateEvents(steps[0]!.outcome.events), [
      {
        state: CRIT,
        stateType: 'HARD',
        attempt: 1,
        hard: true,
        previousState: OK,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(steps[0]!.outcome.nextCheckInMs, 5 * MIN);
    assert.deepEqual(stateEvents(steps[1]!.outcome.events), [
      {
        state: OK,
        stateType: 'HARD',
        attempt: 1,
        hard: true,
        previousState: CRIT,
        previousStateType: 'HARD',
      },
    ]);
  });

  it('WARNING → CRITICAL while HARD is a HARD state change, attempt stays at max', () => {
    const steps = runService(service(), [WARN, WARN, WARN, CRIT]);
    const change = steps[3]!.outcome;
    assert.deepEqual(stateEvents(change.events), [
      {
        state: CRIT,
        stateType: 'HARD',
        attempt: 3,
        hard: true,
        previousState: WARN,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(change.status.lastHardState, CRIT);
    assert.equal(change.status.lastStateChange, steps[3]!.at);
    assert.equal(change.nextCheckInMs, 5 * MIN);
  });

  it('a change between problem states while SOFT keeps counting attempts', () => {
    const steps = runService(service(), [CRIT, WARN, WARN]);
    assert.deepEqual(
      steps.flatMap((s) => stateEvents(s.outcome.events)),
      [
        {
          state: CRIT,
          stateType: 'SOFT',
          attempt: 1,
          hard: false,
          previousState: OK,
          previousStateType: 'HARD',
        },
        {
          state: WARN,
          stateType: 'SOFT',
          attempt: 2,
          hard: false,
          previousState: CRIT,
          previousStateType: 'SOFT',
        },
        {
          state: WARN,
          stateType: 'HARD',
          attempt: 3,
          hard: true,
          previousState: WARN,
          previousStateType: 'SOFT',
        },
      ],
    );
    assert.equal(last(steps).outcome.status.lastHardState, WARN);
  });

  it('first result after start: a problem starts SOFT 1 from the initial OK HARD', () => {
    const fresh = initialStatus('web1/http', 'service');
    assert.equal(fresh.hasBeenChecked, false);
    const at = T0 + MIN;
    const o = processServiceResult(service(), fresh, result(UNKNOWN, at), null, at);
    assert.equal(o.status.hasBeenChecked, true);
    assert.equal(o.status.state, UNKNOWN);
    assert.equal(o.status.stateType, 'SOFT');
    assert.equal(o.status.attempt, 1);
    assert.equal(o.status.lastStateChange, at);
    assert.equal(o.status.lastHardStateChange, at);
    assert.deepEqual(stateEvents(o.events), [
      {
        state: UNKNOWN,
        stateType: 'SOFT',
        attempt: 1,
        hard: false,
        previousState: OK,
        previousStateType: 'HARD',
      },
    ]);
  });

  it('never mutates the status it is given', () => {
    const before = statusOf('web1/http', 'service', { state: CRIT, stateType: 'SOFT', attempt: 2 });
    const copy = structuredClone(before);
    processServiceResult(service(), before, result(CRIT, T0), null, T0);
    assert.deepEqual(before, copy);
  });
});

describe('services of a host that is not UP', () => {
  const hostDown = statusOf('web1', 'host', { state: 1, stateType: 'HARD', attempt: 3, lastHardState: 1 });
  const hostSoftDown = statusOf('web1', 'host', { state: 1, stateType: 'SOFT', attempt: 1 });
  const hostUp = statusOf('web1', 'host');

  it('go HARD on the first failure (attempt 1), with no retries', () => {
    const steps = runService(service(), [CRIT, CRIT], undefined, [hostDown, hostDown]);
    assert.deepEqual(stateEvents(steps[0]!.outcome.events), [
      {
        state: CRIT,
        stateType: 'HARD',
        attempt: 1,
        hard: true,
        previousState: OK,
        previousStateType: 'HARD',
      },
    ]);
    assert.equal(steps[0]!.outcome.nextCheckInMs, 5 * MIN);
    assert.equal(steps[0]!.outcome.status.lastHardState, CRIT);
    assert.deepEqual(steps[1]!.outcome.events, []);
    assert.equal(steps[1]!.outcome.status.stateType, 'HARD');
  });

  it('a host in a SOFT DOWN state counts as not UP too', () => {
    const steps = runService(service(), [WARN], undefined, [hostSoftDown]);
    assert.equal(steps[0]!.outcome.status.stateType, 'HARD');
    assert.equal(steps[0]!.outcome.events[0]!.hard, true);
  });

  it('a SOFT service goes HARD when its host goes down, and recovers HARD while the host is down', () => {
    const steps = runService(service(), [CRIT, CRIT, OK], undefined, [hostUp, hostDown, hostDown]);
    assert.deepEqual(
      steps.flatMap((s) => stateEvents(s.outcome.events)),
      [
        {
          state: CRIT,
          stateType: 'SOFT',
          attempt: 1,
          hard: false,
          previousState: OK,
          previousStateType: 'HARD',
        },
        {
          state: CRIT,
          stateType: 'HARD',
          attempt: 3,
          hard: true,
          previousState: CRIT,
          previousStateType: 'SOFT',
        },
        {
          state: OK,
          stateType: 'HARD',
          attempt: 1,
          hard: true,
          previousState: CRIT,
          previousStateType: 'HARD',
        },
      ],
    );
  });

  it('resets SOFT attempts when the host comes back (host_problem_at_last_check)', () => {
    // HARD CRIT at attempt 1 (host down), WARN SOFT 1 once the host is up, CRIT SOFT 2 with the host
    // down again (same as the last HARD state: no forced HARD), then with the host back the attempt
    // restarts at 1 and is counted to 2 instead of reaching 3.
    const steps = runService(service(), [CRIT, WARN, CRIT, CRIT], undefined, [
      hostDown,
      hostUp,
      hostDown,
      hostUp,
    ]);
    assert.deepEqual(
      steps.map((s) => [s.outcome.status.state, s.outcome.status.stateType, s.outcome.status.attempt]),
      [
        [CRIT, 'HARD', 1],
        [WARN, 'SOFT', 1],
        [CRIT, 'SOFT', 2],
        [CRIT, 'SOFT', 2],
      ],
    );
    assert.equal(steps[2]!.outcome.status.hostProblemAtLastCheck, true);
    assert.equal(steps[3]!.outcome.status.hostProblemAtLastCheck, false);
    assert.equal(steps.flatMap((s) => s.outcome.events).filter((e) => e.hard).length, 1);
  });

  it('a null host status is taken as UP', () => {
    const steps = runService(service(), [CRIT], undefined, [null]);
    assert.equal(steps[0]!.outcome.status.stateType, 'SOFT');
  });
});

describe('service result codes and bookkeeping', () => {
  it('maps out-of-range, 126 and 127 exit codes to CRITICAL with Nagios messages', () => {
    const svc = service();
    const fresh = initialStatus(svc.id, 'service');
    const o5 = processServiceResult(svc, fresh, result(5, T0), null, T0);
    assert.equal(o5.status.state, CRIT);
    assert.equal(o5.status.output, "(Return code of 5 for service 'http' on host 'web1' was out of bounds)");
    const o127 = processServiceResult(svc, fresh, result(127, T0), null, T0);
    assert.equal(o127.status.output, '(Return code of 127 is out of bounds. Check if plugin exists)');
    const o126 = processServiceResult(svc, fresh, result(126, T0), null, T0);
    assert.equal(o126.status.output, '(Return code of 126 is out of bounds. Check if plugin is executable)');
  });

  it('a timed-out active check takes the timeout state; empty output gets Nagios text', () => {
    const svc = service({ timeoutState: UNKNOWN });
    const fresh = initialStatus(svc.id, 'service');
    const timedOut = result(OK, T0, { timedOut: true, output: '', finishedAt: T0 + 10_000 });
    const o = processServiceResult(svc, fresh, timedOut, null, T0 + 10_000);
    assert.equal(o.status.state, UNKNOWN);
    assert.equal(o.status.output, '(Service check timed out after 10.00 seconds)');
    const empty = processServiceResult(svc, fresh, result(WARN, T0, { output: '' }), null, T0);
    assert.equal(empty.status.output, '(No output returned from plugin)');
  });

  it('records check time, latency, execution time, result arrival and passivity', () => {
    const svc = service();
    const r = result(WARN, T0 + 1000, {
      scheduledAt: T0 + 200,
      finishedAt: T0 + 1750,
      passive: true,
      longOutput: 'line 2',
      perfdata: [{ label: 'time', value: 0.75, uom: 's' }],
    });
    const o = processServiceResult(svc, initialStatus(svc.id, 'service'), r, null, T0 + 2000);
    assert.equal(o.status.lastCheck, T0 + 1000);
    assert.equal(o.status.latencyMs, 800);
    assert.equal(o.status.executionMs, 750);
    assert.equal(o.status.lastResultAt, T0 + 2000);
    assert.equal(o.status.lastResultPassive, true);
    assert.equal(o.status.longOutput, 'line 2');
    assert.deepEqual(o.status.perfdata, [{ label: 'time', value: 0.75, uom: 's' }]);
    assert.equal(o.events[0]!.time, T0 + 2000);
  });
});
