/**
 * Service result processing: Nagios 4's handle_async_service_check_result (base/checks.c), step for
 * step, minus scheduling side effects (host checks on demand, event handlers, notifications), which
 * belong to the engine and to alerting.
 */
import {
  type CheckResult,
  type ObjectStatus,
  OK,
  type ServiceModel,
  type StateType,
  UP,
} from '../core/index.ts';
import { serviceResultState } from './result-state.ts';
import { commitTransition, type ProcessOutcome } from './transition.ts';

/**
 * Processes one service result. `host` is the current status of the service's host (null when
 * unknown, taken as UP like a host not checked yet): a service whose host is not UP goes HARD at
 * once, as in Nagios.
 */
export function processServiceResult(
  svc: ServiceModel,
  before: ObjectStatus,
  result: CheckResult,
  host: ObjectStatus | null,
  now: number,
): ProcessOutcome {
  const { state: current, output } = serviceResultState(svc, result);
  const last = before.state;
  const max = Math.max(1, svc.timing.maxAttempts);
  const hostUp = host === null || host.state === UP;

  let stateType: StateType = before.stateType;
  let attempt = before.attempt;
  let newLastHardState = before.lastHardState;
  let stateChange = false;
  let hardStateChange = false;
  let nextCheckInMs = svc.timing.intervalMs;
  let hostProblem = before.hostProblemAtLastCheck === true;

  if (current === OK) {
    if (!hostUp) hostProblem = true;
  } else if (hostUp) {
    // Give the service a chance to recover: its SOFT attempts restart once the host is back.
    if (hostProblem && stateType === 'SOFT') attempt = 1;
    hostProblem = false;
  } else {
    hostProblem = true;
  }

  // "if host is down/unreachable the docs say we have a hard state change (but no notification)"
  if (!hostUp && newLastHardState !== current) {
    hardStateChange = true;
    stateType = 'HARD';
    newLastHardState = current;
    attempt = max;
  }

  if (last === OK) {
    if (current === OK) {
      stateType = 'HARD';
      attempt = 1;
    } else {
      // A problem while the host is UP starts SOFT; with the host not UP it was made HARD above.
      if (!hostProblem && !hardStateChange) stateType = 'SOFT';
      attempt = 1;
    }
  } else if (current === OK) {
    // Recovery: HARD from a HARD problem, SOFT from a SOFT one.
    if (stateType === 'HARD') {
      hardStateChange = true;
      attempt = 1;
    }
    stateChange = true;
  }

  // SOFT states (a SOFT recovery included) are rechecked at the retry interval.
  if (stateType === 'SOFT') nextCheckInMs = svc.timing.retryIntervalMs;

  if (current !== last || (current === OK && stateType === 'SOFT')) stateChange = true;

  if (stateType === 'SOFT') {
    if (last !== OK && attempt < max) {
      attempt++;
    } else if (stateChange && current !== OK) {
      attempt = 1;
    } else if (attempt < max) {
      attempt++;
    }
  }

  if (attempt >= max && (current !== newLastHardState || (stateType === 'SOFT' && current !== OK))) {
    nextCheckInMs = svc.timing.intervalMs;
    hardStateChange = true;
  }

  // service_state_or_hard_state_type_change
  if (stateChange) stateType = 'SOFT';
  if (hardStateChange) {
    newLastHardState = current;
    stateType = 'HARD';
  }

  // Nagios logs every state change and every SOFT problem attempt (SERVICE ALERT ...;SOFT;2).
  const logEvent = stateChange || hardStateChange || (current !== OK && stateType === 'SOFT');

  // An OK after a state change is logged as it came (a SOFT recovery stays "OK;SOFT;2" in the log)
  // and then stored as OK HARD attempt 1, with last_hard_state_change stamped.
  const recovered = current === OK && stateChange;

  const outcome = commitTransition(
    svc,
    before,
    result,
    {
      state: current,
      output,
      stateChange,
      hardStateChange,
      stateType,
      attempt,
      finalStateType: recovered ? 'HARD' : stateType,
      finalAttempt: recovered ? 1 : attempt,
      lastHardState: recovered ? OK : newLastHardState,
      touchesLastHardStateChange: recovered,
      logEvent,
      nextCheckInMs,
    },
    now,
  );
  // Nagios clears the flag after a HARD recovery.
  outcome.status.hostProblemAtLastCheck = recovered && hardStateChange ? false : hostProblem;
  return outcome;
}
