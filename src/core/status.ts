import type { PerfDatum } from './result.ts';
import type { ObjectKind, StateType } from './states.ts';

export interface Acknowledgement {
  /** normal: removed on any state change; sticky: removed only on recovery (Nagios). */
  type: 'normal' | 'sticky';
  author: string;
  comment: string;
  time: number;
  /** Optional expiry (epoch ms). */
  expiresAt?: number | null;
}

export interface FlapState {
  /** Last up to 21 states, oldest first (Nagios' state history ring, linearised). */
  history: number[];
  percentStateChange: number;
  flapping: boolean;
}

/**
 * Everything the state machine keeps about one host or service between results. Persisted as a
 * whole after every change, so a restart (graceful or kill -9) resumes exactly where it was.
 */
export interface ObjectStatus {
  id: string;
  kind: ObjectKind;
  state: number;
  stateType: StateType;
  /** 1..maxAttempts */
  attempt: number;
  lastHardState: number;
  output: string;
  longOutput: string;
  perfdata: PerfDatum[];
  hasBeenChecked: boolean;
  lastCheck: number | null;
  /** When the next active check is due (epoch ms); null when not scheduled. */
  nextCheck: number | null;
  lastStateChange: number | null;
  lastHardStateChange: number | null;
  /** When the last result arrived that is not older than freshness allows (active or passive). */
  lastResultAt: number | null;
  lastResultPassive: boolean;
  latencyMs: number;
  executionMs: number;
  flap: FlapState;
  acknowledgement: Acknowledgement | null;
  /** Ids of downtimes currently in effect for this object. */
  activeDowntimes: number[];
  /** Host's current problem is not yet notified etc.: counters alerting may use. */
  notificationNumber: number;
  /**
   * Services only: the host was not UP when the last result was processed (Nagios'
   * host_problem_at_last_check; a SOFT service gets its attempt reset when the host comes back).
   */
  hostProblemAtLastCheck?: boolean;
}

export function initialStatus(id: string, kind: ObjectKind): ObjectStatus {
  return {
    id,
    kind,
    state: 0,
    stateType: 'HARD',
    attempt: 1,
    lastHardState: 0,
    output: 'Pending: not checked yet',
    longOutput: '',
    perfdata: [],
    hasBeenChecked: false,
    lastCheck: null,
    nextCheck: null,
    lastStateChange: null,
    lastHardStateChange: null,
    lastResultAt: null,
    lastResultPassive: false,
    latencyMs: 0,
    executionMs: 0,
    flap: { history: [], percentStateChange: 0, flapping: false },
    acknowledgement: null,
    activeDowntimes: [],
    notificationNumber: 0,
  };
}

export interface Downtime {
  id: number;
  objectId: string;
  /** A host downtime may cover the host's services too. */
  includeServices: boolean;
  start: number;
  end: number;
  /** fixed: in effect from start to end. flexible: starts when the object goes non-OK inside [start, end] and lasts durationMs. */
  fixed: boolean;
  durationMs: number;
  author: string;
  comment: string;
  createdAt: number;
  /** When it actually took effect (flexible downtimes start on a problem), null while pending. */
  startedAt: number | null;
  /** When it ended or was cancelled; null while pending or in effect. */
  endedAt: number | null;
  cancelled: boolean;
}

export interface Comment {
  id: number;
  objectId: string;
  author: string;
  text: string;
  time: number;
  /** Comments created by acknowledgements/downtimes go when those do; user comments persist. */
  source: 'user' | 'acknowledgement' | 'downtime';
  persistent: boolean;
}
