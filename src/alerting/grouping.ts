/**
 * Alertmanager's aggregation groups as pure functions: a group collects the alerts one route sends
 * to one receiver with the same groupBy values; it first speaks groupWait after its first alert,
 * then at most every groupInterval when something changed, and repeats unchanged problems every
 * repeatInterval (the re-notification interval).
 */
import type { RouteModel } from '../core/alerting-model.ts';
import type { AlertRecord } from './alert.ts';

export interface AlertGroup {
  key: string;
  receiver: string;
  route: RouteModel;
  /** null for the route's own receiver; the escalation's index otherwise. */
  escalation: number | null;
  groupLabels: Record<string, string>;
  /** Object ids of the alerts in the group. */
  members: Set<string>;
  nextFlushAt: number;
  lastSentAt: number | null;
  /** Problem ids told as firing by the last message. */
  lastFiring: Set<string>;
}

export function newGroup(
  key: string,
  receiver: string,
  route: RouteModel,
  escalation: number | null,
  groupLabels: Record<string, string>,
  now: number,
): AlertGroup {
  return {
    key,
    receiver,
    route,
    escalation,
    groupLabels,
    members: new Set(),
    nextFlushAt: now + (escalation === null ? route.groupWaitMs : 0),
    lastSentAt: null,
    lastFiring: new Set(),
  };
}

export interface FlushPlan {
  firing: AlertRecord[];
  resolved: AlertRecord[];
  /** Still firing, but routed elsewhere now: told here as resolved, with where it went. */
  moved: AlertRecord[];
  /** True when this is a repeat of an unchanged set (re-notification). */
  repeat: boolean;
}

/**
 * What the group should send now, or null. `muted` says why an alert must not be told as firing
 * now (silence, inhibition, Nagios' blocking rules, first notification delay), or null.
 */
export function planFlush(
  group: AlertGroup,
  records: readonly AlertRecord[],
  muted: (record: AlertRecord) => string | null,
  now: number,
): FlushPlan | null {
  const firing: AlertRecord[] = [];
  const resolved: AlertRecord[] = [];
  const moved: AlertRecord[] = [];
  for (const r of records) {
    if (r.status === 'resolved') {
      if (r.notifiedGroups.includes(group.key)) resolved.push(r);
    } else if (hasLeft(r, group.key)) {
      if (r.notifiedGroups.includes(group.key)) moved.push(r);
    } else if (muted(r) === null) {
      firing.push(r);
    }
  }
  if (firing.length === 0 && resolved.length === 0 && moved.length === 0) return null;
  const changed =
    resolved.length > 0 || moved.length > 0 || firing.some((r) => !group.lastFiring.has(r.problemId));
  if (changed) return { firing, resolved, moved, repeat: false };
  const repeatDue = group.lastSentAt !== null && now - group.lastSentAt >= group.route.repeatIntervalMs;
  return repeatDue && firing.length > 0 ? { firing, resolved, moved, repeat: true } : null;
}

/** An escalation group's key extends its route group's key: `<group>/esc<i>><receiver>`. */
export function isEscalationKey(key: string): boolean {
  return /\/esc\d+>[^/]+$/.test(key);
}

/** The alert left this group (or the route group this escalation belongs to). */
export function hasLeft(r: Pick<AlertRecord, 'leftGroups'>, groupKey: string): boolean {
  return (r.leftGroups ?? []).some((k) => groupKey === k || groupKey.startsWith(`${k}/esc`));
}

/**
 * The alert's labels now route it to `current` (group keys) with these receivers: groups that told
 * about it and are not among them owe a "moved" notice; groups it comes back to owe nothing.
 * Returns the groups it left without having been told there (just drop it from them).
 */
export function reroute(r: AlertRecord, current: readonly string[], receivers: readonly string[]): string[] {
  const previous = r.routedTo ?? [];
  const left = new Set(r.leftGroups ?? []);
  for (const key of r.notifiedGroups) {
    if (isEscalationKey(key)) continue;
    if (current.includes(key)) left.delete(key);
    else left.add(key);
  }
  for (const key of current) left.delete(key);
  r.routedTo = [...current];
  r.movedTo = [...new Set(receivers)];
  if (left.size > 0) r.leftGroups = [...left];
  else delete r.leftGroups;
  return previous.filter((k) => !current.includes(k) && !r.notifiedGroups.includes(k));
}

/** Applies a sent plan to the group and its records (records are updated in place). */
export function applyFlush(group: AlertGroup, plan: FlushPlan, now: number): void {
  group.lastSentAt = now;
  group.lastFiring = new Set(plan.firing.map((r) => r.problemId));
  for (const r of plan.firing) {
    if (!r.notifiedGroups.includes(group.key)) r.notifiedGroups.push(group.key);
    if (group.escalation === null) r.notificationNumber++;
    r.lastNotifiedAt = now;
  }
  for (const r of [...plan.resolved, ...plan.moved]) {
    r.notifiedGroups = r.notifiedGroups.filter((k) => k !== group.key);
    group.members.delete(r.objectId);
  }
  for (const r of plan.moved) {
    // A left group stays owed until it and its escalations have all said so.
    const owed = (r.leftGroups ?? []).filter((k) =>
      r.notifiedGroups.some((n) => n === k || n.startsWith(`${k}/esc`)),
    );
    if (owed.length > 0) r.leftGroups = owed;
    else delete r.leftGroups;
  }
}

/** Escalations of the route that apply to this firing alert now. */
export function dueEscalations(route: RouteModel, record: AlertRecord, now: number): number[] {
  if (record.status !== 'firing' || record.acknowledged) return [];
  const out: number[] = [];
  route.escalations.forEach((e, i) => {
    const byNumber = e.afterNotifications !== undefined && record.notificationNumber >= e.afterNotifications;
    const byTime = e.afterMs !== undefined && now - record.startsAt >= e.afterMs;
    if (byNumber || byTime) out.push(i);
  });
  return out;
}
