/**
 * Nagios' notification blocking rules for problem and recovery notifications
 * (check_service_notification_viability / check_host_notification_viability, base/notifications.c),
 * the ones that depend on state. Rules about contacts, notification periods, intervals and options
 * belong to alerting and are not here.
 */
import { type Downtime, type ObjectStatus, stateName, UP } from '../core/index.ts';
import { activeAcknowledgement } from './acknowledgement.ts';
import type { MonitoredObject } from './monitored-object.ts';
import { NO_PROBLEM } from './monitored-object.ts';

/** A flexible downtime waiting for a problem inside its window (Nagios' is_*_in_pending_flex_downtime). */
function pendingFlexible(
  objectId: string,
  downtimes: readonly Downtime[],
  now: number,
): Downtime | undefined {
  return downtimes.find(
    (d) =>
      d.objectId === objectId &&
      !d.fixed &&
      !d.cancelled &&
      d.startedAt === null &&
      d.endedAt === null &&
      d.start <= now &&
      now <= d.end,
  );
}

/**
 * Why a problem or recovery notification for this object must not go out now, or null when
 * nothing in its state blocks it. Rules in Nagios' order: SOFT state, acknowledged, recovery of a
 * problem nobody was notified about, flapping, in downtime, host in downtime, flexible downtime
 * pending (own, then host's), and for services a host that is HARD DOWN/UNREACHABLE.
 *
 * `hostStatus` is the service's host status (ignored for hosts); `downtimes`, when given, are the
 * object's and its host's downtimes, for the pending flexible downtime rule.
 *
 * Not covered: Nagios' "all parents of the service's host are down" rule (the host is then
 * UNREACHABLE, which the host rule covers once its state is HARD) and dependencies (not in the model).
 */
export function notificationBlockedReason(
  obj: MonitoredObject,
  status: ObjectStatus,
  hostStatus: ObjectStatus | null,
  now: number,
  downtimes: readonly Downtime[] = [],
): string | null {
  const noun = obj.kind;
  if (status.stateType === 'SOFT') {
    return `the ${noun} is in a SOFT state (attempt ${status.attempt}/${obj.timing.maxAttempts}): only HARD states notify`;
  }
  const ack = activeAcknowledgement(status, now);
  if (ack) return `the problem has been acknowledged by ${ack.author}`;
  if (status.state === NO_PROBLEM && status.notificationNumber === 0) {
    return `the ${noun} is ${stateName(obj.kind, status.state)} and no problem was notified, so there is no recovery to announce`;
  }
  if (status.flap.flapping) {
    return `the ${noun} is flapping (${status.flap.percentStateChange.toFixed(1)}% state change)`;
  }
  if (status.activeDowntimes.length > 0) return `the ${noun} is in scheduled downtime`;
  const service = obj.kind === 'service' ? obj : null;
  if (service && hostStatus && hostStatus.activeDowntimes.length > 0) {
    return `host ${service.host} is in scheduled downtime`;
  }
  if (pendingFlexible(obj.id, downtimes, now)) return `the ${noun} has a flexible downtime starting`;
  if (service && pendingFlexible(service.host, downtimes, now)) {
    return `host ${service.host} has a flexible downtime starting`;
  }
  if (service && hostStatus && hostStatus.state !== UP && hostStatus.stateType === 'HARD') {
    return `host ${service.host} is ${stateName('host', hostStatus.state)}: its services do not notify`;
  }
  return null;
}
