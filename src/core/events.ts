import type { ObjectKind, StateType } from './states.ts';

export type EventType =
  | 'state'
  | 'flapping_start'
  | 'flapping_stop'
  | 'flapping_disabled'
  | 'downtime_start'
  | 'downtime_end'
  | 'downtime_cancelled'
  | 'acknowledgement'
  | 'acknowledgement_removed'
  | 'comment'
  | 'stale'
  /**
   * An object's first result: its history says its state from here on. Reports count the time
   * before it as undetermined, not as OK.
   */
  | 'monitoring_start';

/**
 * One entry of history. State events are written for every state change, SOFT and HARD; a state
 * event with hard === true is a HARD state change, the thing alerting consumes.
 */
export interface MonitoringEvent {
  /** Assigned by the store; increases with time. */
  id?: number;
  time: number;
  type: EventType;
  objectId: string;
  kind: ObjectKind;
  host: string;
  service: string | null;
  environment: string;
  state?: number;
  stateType?: StateType;
  attempt?: number;
  maxAttempts?: number;
  previousState?: number;
  previousStateType?: StateType;
  /** True when this event is a HARD state change (including recoveries to OK/UP). */
  hard?: boolean;
  output?: string;
  author?: string;
  comment?: string;
  details?: Record<string, unknown>;
}

export type HardStateChange = MonitoringEvent & { type: 'state'; hard: true };

export function isHardStateChange(e: MonitoringEvent): e is HardStateChange {
  return e.type === 'state' && e.hard === true;
}

export type EventListener = (event: MonitoringEvent) => void;
