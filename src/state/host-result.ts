/**
 * Host result processing: Nagios 4's handle_async_host_check_result and
 * determine_host_reachability (base/checks.c), minus the checks it schedules on parents, children
 * and dependencies (the engine's job).
 */
import {
  type CheckResult,
  DOWN,
  type HostModel,
  type ObjectStatus,
  type StateType,
  UNREACHABLE,
  UP,
} from '../core/index.ts';
import { hostResultState } from './result-state.ts';
import { commitTransition, type ProcessOutcome } from './transition.ts';

/**
 * DOWN or UNREACHABLE for a host that is not UP: DOWN when it has no parents or at least one parent
 * is UP, UNREACHABLE when every parent is down or unreachable. A parent without a status counts as
 * UP, as a Nagios host not checked yet is (its initial state).
 */
export function hostReachability(
  host: HostModel,
  parents: readonly ObjectStatus[],
): typeof DOWN | typeof UNREACHABLE {
  if (host.parents.length === 0) return DOWN;
  const byId = new Map(parents.map((p) => [p.id, p]));
  for (const name of host.parents) {
    const parent = byId.get(name);
    if (!parent || parent.state === UP) return DOWN;
  }
  return UNREACHABLE;
}

/**
 * Processes one host result: the plugin code becomes UP or DOWN (OK and WARNING are UP), then a
 * DOWN host whose parents are all not UP is UNREACHABLE. `parents` are the statuses of the host's
 * parents (matched by id = host name).
 *
 * Passive results follow Nagios' defaults: passive_host_checks_are_soft=0 (a state change from a
 * passive result is HARD at once) and translate_passive_host_checks=0 (no UNREACHABLE translation).
 */
export function processHostResult(
  host: HostModel,
  before: ObjectStatus,
  result: CheckResult,
  parents: readonly ObjectStatus[],
  now: number,
): ProcessOutcome {
  const resultState = hostResultState(host, result);
  const passive = result.passive === true && !result.stale;
  let current = resultState.state;
  const last = before.state;
  const max = Math.max(1, host.timing.maxAttempts);

  let stateType: StateType = before.stateType;
  let attempt = before.attempt;
  let newLastHardState = before.lastHardState;
  let stateChange = false;
  let hardStateChange = false;
  let nextCheckInMs = host.timing.intervalMs;

  if (last === UP) {
    stateType = current === UP ? 'HARD' : 'SOFT';
    attempt = 1;
  } else if (current === UP) {
    // A recovery from a HARD problem is a HARD recovery; "a soft recovery is not something we notify for".
    if (stateType === 'HARD') {
      hardStateChange = true;
      attempt = 1;
    }
  } else if (stateType === 'SOFT') {
    nextCheckInMs = host.timing.retryIntervalMs;
  }

  if (current !== UP && !passive) {
    current = hostReachability(host, parents);
    if (stateType === 'SOFT') nextCheckInMs = host.timing.retryIntervalMs;
  }

  if (current !== last || (current === UP && stateType === 'SOFT')) stateChange = true;

  if (stateType === 'SOFT') {
    if (last !== UP && current !== UP && attempt < max) {
      attempt++;
    } else if (stateChange || current === UP) {
      attempt = 1;
    } else if (attempt < max) {
      attempt++;
    }
  }

  if (attempt >= max && current !== newLastHardState) {
    nextCheckInMs = host.timing.intervalMs;
    hardStateChange = true;
  }

  // host_state_or_hard_state_type_change
  if (passive) {
    if (stateChange) {
      attempt = 1;
      hardStateChange = true;
    }
    stateType = 'HARD';
  }
  if (stateChange) stateType = 'SOFT';
  if (hardStateChange) {
    newLastHardState = current;
    stateType = 'HARD';
  }

  // Nagios logs host SOFT states only with log_host_retries=1; the sample nagios.cfg sets it, and
  // services always log theirs, so SOFT host attempts are history entries here too. Unlike a
  // service, a host keeps a SOFT recovery as UP SOFT until its next result makes it HARD.
  const logEvent = stateChange || hardStateChange || stateType === 'SOFT';

  return commitTransition(
    host,
    before,
    result,
    {
      state: current,
      output: resultState.output,
      stateChange,
      hardStateChange,
      stateType,
      attempt,
      finalStateType: stateType,
      finalAttempt: attempt,
      lastHardState: newLastHardState,
      touchesLastHardStateChange: false,
      logEvent,
      nextCheckInMs,
    },
    now,
  );
}
