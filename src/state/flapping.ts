/**
 * Flap detection as Nagios 4 does it (base/flapping.c, check_for_service_flapping and
 * check_for_host_flapping): the last 21 recorded states, state changes weighted from 0.75 (oldest)
 * to 1.25 (newest), as a percentage of the 20 possible changes. Flapping starts at or above the high
 * threshold and stops at or below the low one; in between nothing changes.
 *
 * The Nagios documentation speaks of weights from 0.8 to 1.2; the code (the thing that decides)
 * uses 0.75 and 1.25, and so does this.
 */
import type { MonitoringEvent, ObjectStatus } from '../core/index.ts';
import { eventSubject, type MonitoredObject, NO_PROBLEM, type StatusChange } from './monitored-object.ts';

/** Nagios' MAX_STATE_HISTORY_ENTRIES. */
export const FLAP_HISTORY_SIZE = 21;
const LOW_CURVE_VALUE = 0.75;
const HIGH_CURVE_VALUE = 1.25;

/** Weight of a change between history entries x-1 and x (x from 1, oldest, to 20, newest). */
export function flapChangeWeight(x: number): number {
  return ((x - 1) * (HIGH_CURVE_VALUE - LOW_CURVE_VALUE)) / (FLAP_HISTORY_SIZE - 2) + LOW_CURVE_VALUE;
}

/**
 * Curved percent state change of a history given oldest first. A history shorter than 21 is padded
 * at the old end with 0 (OK/UP): Nagios' ring starts zero-filled.
 */
export function percentStateChange(history: readonly number[]): number {
  const recent = history.slice(-FLAP_HISTORY_SIZE);
  const full = [...new Array<number>(FLAP_HISTORY_SIZE - recent.length).fill(NO_PROBLEM), ...recent];
  let curvedChanges = 0;
  for (let x = 1; x < FLAP_HISTORY_SIZE; x++) {
    if (full[x] !== full[x - 1]) curvedChanges += flapChangeWeight(x);
  }
  return (curvedChanges * 100) / (FLAP_HISTORY_SIZE - 1);
}

/** Whether Nagios records the status' current state in the flap history. */
function recordsState(obj: MonitoredObject, status: ObjectStatus): boolean {
  // Services: "only hard states and soft recoveries get recorded for flap detection". Hosts record
  // every checked state.
  return obj.kind === 'host' || status.stateType === 'HARD' || status.state === NO_PROBLEM;
}

const pct = (n: number) => n.toFixed(1);

/**
 * Records the status' current state (the result just processed) and starts or stops flapping.
 * Call it once per result, with the state type the result was given (a SOFT recovery is recorded).
 *
 * Deviation: Nagios also records a host's state in the host's history when one of its services is
 * checked (at most once per average service interval). Here only the host's own results do, so a
 * host's flapping depends on its own checks alone.
 */
export function updateFlapping(obj: MonitoredObject, status: ObjectStatus, now: number): StatusChange {
  if (!recordsState(obj, status)) return { status, events: [] };
  const history = [...status.flap.history, status.state].slice(-FLAP_HISTORY_SIZE);
  const percent = percentStateChange(history);
  const { lowThreshold, highThreshold } = obj.flap;
  const noun = obj.kind === 'host' ? 'Host' : 'Service';
  const event = (type: MonitoringEvent['type'], output: string): MonitoringEvent => ({
    time: now,
    type,
    ...eventSubject(obj),
    state: status.state,
    output,
    details: { percentStateChange: percent, lowThreshold, highThreshold },
  });

  let flapping = status.flap.flapping;
  const events: MonitoringEvent[] = [];
  if (!obj.flap.enabled) {
    if (flapping) {
      flapping = false;
      events.push(event('flapping_disabled', `Disabled flap detection for ${noun.toLowerCase()}`));
    }
  } else if (percent >= highThreshold && !flapping) {
    flapping = true;
    events.push(
      event(
        'flapping_start',
        `${noun} appears to have started flapping (${pct(percent)}% change >= ${pct(highThreshold)}% threshold)`,
      ),
    );
  } else if (percent <= lowThreshold && flapping) {
    flapping = false;
    events.push(
      event(
        'flapping_stop',
        `${noun} appears to have stopped flapping (${pct(percent)}% change < ${pct(lowThreshold)}% threshold)`,
      ),
    );
  }
  return { status: { ...status, flap: { history, percentStateChange: percent, flapping } }, events };
}
