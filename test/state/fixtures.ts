/** Builders for the state engine tests: models, results, and a driver that feeds result sequences. */
import {
  type CheckResult,
  type HostModel,
  initialStatus,
  type MonitoringEvent,
  type ObjectStatus,
  type ServiceModel,
} from '../../src/core/index.ts';
import { type ProcessOutcome, processHostResult, processServiceResult } from '../../src/state/index.ts';

export const T0 = Date.UTC(2025, 0, 1);
export const MIN = 60_000;

export function service(overrides: Partial<ServiceModel> = {}): ServiceModel {
  return {
    kind: 'service',
    id: 'web1/http',
    host: 'web1',
    name: 'http',
    environment: 'production',
    labels: {},
    probe: { kind: 'plugin', command: 'check_dummy', args: [] },
    timing: { intervalMs: 5 * MIN, retryIntervalMs: MIN, maxAttempts: 3, timeoutMs: 10_000 },
    timeoutState: 2,
    flap: { enabled: true, lowThreshold: 5, highThreshold: 20 },
    ...overrides,
  };
}

export function host(overrides: Partial<HostModel> = {}): HostModel {
  const name = overrides.name ?? 'web1';
  return {
    kind: 'host',
    id: name,
    name,
    address: '127.0.0.1',
    roles: [],
    parents: [],
    environment: 'production',
    labels: {},
    probe: { kind: 'plugin', command: 'check_ping', args: [] },
    timing: { intervalMs: 5 * MIN, retryIntervalMs: MIN, maxAttempts: 3, timeoutMs: 10_000 },
    timeoutState: 2,
    flap: { enabled: true, lowThreshold: 5, highThreshold: 20 },
    ...overrides,
  };
}

export function result(state: number, at: number, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    state,
    output: `state ${state} at ${at}`,
    longOutput: '',
    perfdata: [],
    startedAt: at,
    finishedAt: at,
    ...extra,
  };
}

/** A status in a given state, as earlier results would have left it. */
export function statusOf(
  id: string,
  kind: 'host' | 'service',
  fields: Partial<ObjectStatus> = {},
): ObjectStatus {
  return { ...initialStatus(id, kind), hasBeenChecked: true, ...fields };
}

export interface Step {
  outcome: ProcessOutcome;
  at: number;
}

/**
 * Feeds states to a service one minute apart, starting from `start`, and returns every step.
 * `hostStates` (same length, or shorter) gives the host's state for each step; UP when missing.
 */
export function runService(
  svc: ServiceModel,
  states: number[],
  start: ObjectStatus = initialStatus(svc.id, 'service'),
  hostStates: (ObjectStatus | null)[] = [],
  t0 = T0,
): Step[] {
  const steps: Step[] = [];
  let status = start;
  states.forEach((s, i) => {
    const at = t0 + (i + 1) * MIN;
    const outcome = processServiceResult(svc, status, result(s, at), hostStates[i] ?? null, at);
    steps.push({ outcome, at });
    status = outcome.status;
  });
  return steps;
}

export function runHost(
  h: HostModel,
  states: number[],
  parents: ObjectStatus[] = [],
  start: ObjectStatus = initialStatus(h.id, 'host'),
  t0 = T0,
): Step[] {
  const steps: Step[] = [];
  let status = start;
  states.forEach((s, i) => {
    const at = t0 + (i + 1) * MIN;
    const outcome = processHostResult(h, status, result(s, at), parents, at);
    steps.push({ outcome, at });
    status = outcome.status;
  });
  return steps;
}

/** The fields of a state event a test asserts on. */
export function stateEvents(events: MonitoringEvent[]) {
  return events
    .filter((e) => e.type === 'state')
    .map((e) => ({
      state: e.state,
      stateType: e.stateType,
      attempt: e.attempt,
      hard: e.hard,
      previousState: e.previousState,
      previousStateType: e.previousStateType,
    }));
}

export function last<T>(items: T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('empty list');
  return item;
}
