/**
 * An alert: one problem of one host or service, from its HARD non-OK state until its recovery has
 * been told to everyone who was told about the problem. Plain data, persisted as JSON per object.
 */
import type { HostModel, ServiceModel } from '../core/model.ts';
import { stateName } from '../core/states.ts';
import type { ObjectStatus } from '../core/status.ts';

export interface AlertRecord {
  objectId: string;
  /** Stable for one problem (object + when it became a HARD problem): PagerDuty dedup_key, Opsgenie alias. */
  problemId: string;
  kind: 'host' | 'service';
  labels: Record<string, string>;
  summary: string;
  output: string;
  state: number;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt: number | null;
  acknowledged: boolean;
  /** Why Nagios' rules block notifications for it right now (downtime, flapping, host down...), or null. */
  blockedReason: string | null;
  /** Firing notifications sent for this problem by its primary routes (Nagios' notification number). */
  notificationNumber: number;
  /** Groups that told about the problem (they owe a recovery). */
  notifiedGroups: string[];
  /** Keys of the groups its labels route it to now (primary routes, not escalations). */
  routedTo?: string[];
  /** Receivers of those groups: where a "moved" notice says the alert went. */
  movedTo?: string[];
  /**
   * Groups that told about the problem but that its labels no longer route to (WARNING → CRITICAL
   * moved it elsewhere): they, and their escalations, owe a "moved" notice (told as resolved).
   */
  leftGroups?: string[];
  lastNotifiedAt: number | null;
}

/** Alertmanager-style severity: what routes match on by default. */
export function severityOf(kind: 'host' | 'service', state: number): 'critical' | 'warning' | 'info' {
  if (kind === 'host') return state === 0 ? 'info' : 'critical';
  return state === 2 ? 'critical' : state === 0 ? 'info' : 'warning';
}

/** The labels routes, silences and inhibition match on. */
export function alertLabels(
  obj: HostModel | ServiceModel,
  state: number,
  deployment: string,
): Record<string, string> {
  const labels: Record<string, string> = {
    ...obj.labels,
    alertname: obj.kind === 'host' ? 'HostDown' : obj.name,
    deployment,
    environment: obj.environment,
    host: obj.kind === 'host' ? obj.name : obj.host,
    kind: obj.kind,
    severity: severityOf(obj.kind, state),
    state: stateName(obj.kind, state),
  };
  if (obj.kind === 'service') {
    labels.service = obj.name;
    if (obj.role !== undefined) labels.role = obj.role;
  } else if (obj.roles.length > 0) {
    labels.role = obj.roles.join(',');
  }
  return labels;
}

export function summaryOf(obj: HostModel | ServiceModel, state: number): string {
  const what = obj.kind === 'host' ? `host ${obj.name}` : `${obj.name} on ${obj.host}`;
  return `${stateName(obj.kind, state)}: ${what} (${obj.environment})`;
}

/** The object is in a HARD problem state (what alerts). */
export function isHardProblem(status: ObjectStatus): boolean {
  return status.stateType === 'HARD' && status.state !== 0 && status.hasBeenChecked;
}
