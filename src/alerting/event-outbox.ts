/**
 * The I/O side of event notifications (acknowledgement, flapping, downtime): which pending events
 * become which outbox entries, given the engine's live state and the dispatcher's groups; and which
 * stored events a restart still owes (after the cursor the dispatcher writes with its entries).
 */
import type { AlertingModel, RouteModel } from '../core/alerting-model.ts';
import type { MonitoringEvent } from '../core/events.ts';
import type { Engine } from '../engine/index.ts';
import type { Logger } from '../log/index.ts';
import type { NewOutboxEntry, Silence, Store } from '../store/types.ts';
import { type AlertRecord, alertLabels, summaryOf } from './alert.ts';
import {
  addToBatch,
  type EventBatch,
  eventBatchDedupKey,
  eventBlockedReason,
} from './event-notifications.ts';
import type { AlertGroup } from './grouping.ts';
import { commonLabelsOf, type Notification, type NotifiedAlert } from './notification.ts';
import {
  EVENT_NOTIFICATION_TYPES,
  isEventNotificationType,
  notifyKindOfEvent,
  notifyKindsOf,
} from './notification-kinds.ts';
import { silencedBy } from './silences.ts';
import { inActivePeriods } from './time-period.ts';

/** Meta key: the newest event (store id) whose notifications are in the outbox. */
export const EVENT_CURSOR = 'alerting.eventCursor';
/** How far back a restart looks for events it has not turned into notifications yet. */
const REPLAY_MS = 24 * 3_600_000;
const REPLAY_PAGE = 1000;
const REPLAY_MAX_PAGES = 20;

/**
 * Events the previous run stored but did not turn into notifications (it stopped or crashed in
 * between), oldest first. The first start with alerting sets the cursor: older history is not news.
 */
export function eventsToReplay(store: Store, now: number): MonitoringEvent[] {
  const cursor = Number(store.getMeta(EVENT_CURSOR) ?? Number.NaN);
  if (!Number.isFinite(cursor)) {
    store.setMeta(EVENT_CURSOR, String(store.queryEvents({ limit: 1 })[0]?.id ?? 0));
    return [];
  }
  const found: MonitoringEvent[] = [];
  let beforeId: number | undefined;
  for (let page = 0; page < REPLAY_MAX_PAGES; page++) {
    const q: Parameters<Store['queryEvents']>[0] = {
      types: [...EVENT_NOTIFICATION_TYPES],
      from: now - REPLAY_MS,
      limit: REPLAY_PAGE,
    };
    if (beforeId !== undefined) q.beforeId = beforeId;
    const events = store.queryEvents(q);
    const fresh = events.filter((e) => (e.id ?? 0) > cursor);
    found.push(...fresh);
    if (fresh.length < events.length || events.length < REPLAY_PAGE) break;
    beforeId = events[events.length - 1]!.id;
  }
  return found.reverse();
}

/** The receiver named in a group key: `<path>/<receiver>:{...}` or `.../esc<i>><receiver>`. */
export function receiverOfKey(key: string): string {
  const escalated = /\/esc\d+>([^/]+)$/.exec(key);
  return escalated ? escalated[1]! : key.slice(key.indexOf('/') + 1, key.indexOf(':{'));
}

export interface EventContext {
  engine: Engine;
  store: Store;
  logger: Logger;
  config: AlertingModel;
  records: ReadonlyMap<string, AlertRecord>;
  groups: ReadonlyMap<string, AlertGroup>;
  /** The route groups labels go to now. */
  targetsOf: (
    labels: Record<string, string>,
  ) => { route: RouteModel; key: string; groupLabels: Record<string, string> }[];
  silences: Silence[];
  now: number;
}

/**
 * Turns pending acknowledgement, flapping and downtime events into outbox entries: each goes to
 * the groups its labels route to now (and those told about its problem), for the receivers whose
 * notifyOn takes it, inside their time periods, one message per group and type.
 */
export function eventOutboxEntries(events: readonly MonitoringEvent[], ctx: EventContext): NewOutboxEntry[] {
  const { engine, store, logger, config, now } = ctx;
  const batches = new Map<string, EventBatch>();
  for (const e of events) {
    if (!isEventNotificationType(e.type)) continue;
    const type = e.type;
    const obj = engine.object(e.objectId);
    const status = engine.status(e.objectId);
    if (!obj || !status) continue;
    const r = ctx.records.get(e.objectId);
    const firing = r?.status === 'firing';
    const labels = firing ? r.labels : alertLabels(obj, status.state, engine.deployment.name);
    const host = obj.kind === 'host' ? obj.name : obj.host;
    const hostStatus = obj.kind === 'service' ? engine.status(host) : undefined;
    const downtimeId = Number(e.details?.downtimeId);
    let downtimeHadStarted = true;
    if (type === 'downtime_cancelled' && Number.isFinite(downtimeId)) {
      try {
        downtimeHadStarted = store.getDowntime(downtimeId)?.startedAt != null;
      } catch (err) {
        logger.warn({ err }, 'cannot read the cancelled downtime');
      }
    }
    const silence = silencedBy(labels, ctx.silences, now);
    const blocked = eventBlockedReason(type, {
      inDowntime: status.activeDowntimes.length > 0 || (hostStatus?.activeDowntimes.length ?? 0) > 0,
      downtimeHadStarted,
      stillInDowntime: status.activeDowntimes.length > 0,
      problemNotified: firing && r.notifiedGroups.length > 0,
      silencedBy: silence ? `#${silence.id} (${silence.author})` : null,
    });
    if (blocked) {
      logger.debug({ object: e.objectId, type, reason: blocked }, 'event does not notify');
      continue;
    }
    // Who hears it: for an acknowledgement, who was told about the problem; otherwise also
    // whoever the alert's labels route to now (a downtime on a healthy host is news to them).
    const targets = new Map<string, { route: RouteModel | null; groupLabels: Record<string, string> }>();
    for (const key of r?.notifiedGroups ?? []) {
      const g = ctx.groups.get(key);
      targets.set(key, {
        route: g && g.escalation === null ? g.route : null,
        groupLabels: g?.groupLabels ?? {},
      });
    }
    if (type !== 'acknowledgement') {
      for (const t of ctx.targetsOf(labels)) {
        if (!targets.has(t.key)) targets.set(t.key, { route: t.route, groupLabels: t.groupLabels });
      }
    }
    const alert = eventAlert(config.externalUrl, engine.deployment.name, labels, r, status.state, obj, e);
    const by = e.author !== undefined ? { author: e.author, comment: e.comment ?? '' } : undefined;
    for (const [key, t] of targets) {
      const receiverName = ctx.groups.get(key)?.receiver ?? receiverOfKey(key);
      const receiver = config.receivers.find((x) => x.name === receiverName);
      if (!receiver) continue;
      if (!notifyKindsOf(t.route, receiver).includes(notifyKindOfEvent(type))) continue;
      if (!inActivePeriods(t.route?.activeTimePeriods ?? [], config.timePeriods, now)) continue;
      addToBatch(
        batches,
        { groupKey: key, receiver: receiver.name, groupLabels: t.groupLabels },
        type,
        by,
        alert,
        `${e.objectId}\0${type}\0${e.time}\0${e.id ?? ''}`,
      );
    }
  }
  const base = config.externalUrl.replace(/\/+$/, '');
  return [...batches.values()].map((b) => {
    const n: Notification = {
      type: b.type,
      receiver: b.receiver,
      groupKey: b.groupKey,
      status: b.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      groupLabels: b.groupLabels,
      commonLabels: commonLabelsOf(b.alerts),
      alerts: b.alerts,
      externalUrl: base,
      deployment: engine.deployment.name,
      createdAt: now,
    };
    if (b.by) {
      n.by = b.by;
      if (b.type === 'acknowledgement') n.acknowledgedBy = b.by;
    }
    return { dedupKey: eventBatchDedupKey(b), receiver: b.receiver, payload: n, createdAt: now };
  });
}

/** The object as one alert of an event notification: firing while its problem fires. */
function eventAlert(
  externalUrl: string,
  deployment: string,
  labels: Record<string, string>,
  r: AlertRecord | undefined,
  state: number,
  obj: Parameters<typeof summaryOf>[0],
  e: MonitoringEvent,
): NotifiedAlert {
  const base = externalUrl.replace(/\/+$/, '');
  const firing = r?.status === 'firing';
  return {
    status: firing ? 'firing' : 'resolved',
    fingerprint: obj.id,
    problemId: r?.problemId ?? `steward/${deployment}/${obj.id}`,
    labels,
    annotations: {
      summary: summaryOf(obj, state),
      // Flapping events say why (percent state change); the others carry the check's output.
      description: e.type.startsWith('flapping') ? (e.output ?? '') : (r?.output ?? e.output ?? ''),
    },
    startsAt: r?.startsAt ?? e.time,
    endsAt: firing ? null : e.time,
    notificationNumber: r?.notificationNumber ?? 0,
    url: `${base}/#/object/${encodeURIComponent(obj.id)}`,
  };
}
