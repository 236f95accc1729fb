/**
 * Nagios state codes. Plugins exit with these numbers, so they are kept as numbers everywhere
 * (store, events, state machine) and turned into names only at the edges (API, CLI, logs).
 */
export const OK = 0;
export const WARNING = 1;
export const CRITICAL = 2;
export const UNKNOWN = 3;
export type ServiceState = 0 | 1 | 2 | 3;

export const UP = 0;
export const DOWN = 1;
export const UNREACHABLE = 2;
export type HostState = 0 | 1 | 2;

export type StateType = 'SOFT' | 'HARD';

export const SERVICE_STATE_NAMES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export const HOST_STATE_NAMES = ['UP', 'DOWN', 'UNREACHABLE'] as const;
export type ServiceStateName = (typeof SERVICE_STATE_NAMES)[number];
export type HostStateName = (typeof HOST_STATE_NAMES)[number];

export type ObjectKind = 'host' | 'service';

export function stateName(kind: ObjectKind, state: number): string {
  const names: readonly string[] = kind === 'host' ? HOST_STATE_NAMES : SERVICE_STATE_NAMES;
  return names[state] ?? 'UNKNOWN';
}

/** Parses a state given by name or number ("CRITICAL", "critical", "2"); null when it is neither. */
export function parseServiceState(value: string | number): ServiceState | null {
  if (typeof value === 'number')
    return value >= 0 && value <= 3 && Number.isInteger(value) ? (value as ServiceState) : null;
  const i = SERVICE_STATE_NAMES.indexOf(value.toUpperCase() as ServiceStateName);
  if (i >= 0) return i as ServiceState;
  return /^[0-3]$/.test(value) ? (Number(value) as ServiceState) : null;
}

export function parseHostState(value: string | number): HostState | null {
  if (typeof value === 'number')
    return value >= 0 && value <= 2 && Number.isInteger(value) ? (value as HostState) : null;
  const i = HOST_STATE_NAMES.indexOf(value.toUpperCase() as HostStateName);
  if (i >= 0) return i as HostState;
  return /^[0-2]$/.test(value) ? (Number(value) as HostState) : null;
}
