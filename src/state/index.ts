/**
 * The state engine: Nagios 4 state semantics as pure functions over plain data. Nothing here does
 * I/O or reads the clock; `now` is always given.
 */
export {
  acknowledge,
  acknowledgementRemovalReason,
  activeAcknowledgement,
  expireAcknowledgement,
  removeAcknowledgement,
} from './acknowledgement.ts';
export { type DowntimeEvaluation, downtimeEndsAt, evaluateDowntimes } from './downtime.ts';
export { FLAP_HISTORY_SIZE, flapChangeWeight, percentStateChange, updateFlapping } from './flapping.ts';
export { checkFreshness } from './freshness.ts';
export { hostReachability, processHostResult } from './host-result.ts';
export { eventSubject, type MonitoredObject, type StatusChange } from './monitored-object.ts';
export { notificationBlockedReason } from './notification-blocking.ts';
export { hostResultState, type ResultState, serviceResultState } from './result-state.ts';
export { processServiceResult } from './service-result.ts';
export type { ProcessOutcome } from './transition.ts';
