/**
 * The I/O side of alerting: follows the engine's events, keeps one AlertRecord per problem, routes
 * alerts into groups, and at each tick writes what groups decide to say into the outbox in the same
 * transaction that records it was said (so a crash neither loses nor repeats it). The deliverer
 * sends from the outbox. Everything about what to say lives in the pure functions it calls.
 */
import { createHash } from 'node:crypto';
import type { AlertingModel, ReceiverModel, RouteModel } from '../core/alerting-model.ts';
import type { MonitoringEvent } from '../core/events.ts';
import type { Engine } from '../engine/index.ts';
import type { Logger } from '../log/index.ts';
import type { SendOptions } from '../notify/index.ts';
import { sendNotification } from '../notify/index.ts';
import { notificationBlockedReason } from '../state/index.ts';
import type { NewOutboxEntry, OutboxEntry, Silence, Store } from '../store/types.ts';
import { type AlertRecord, alertLabels, isHardProblem, summaryOf } from './alert.ts';
import { EVENT_CURSOR, eventOutboxEntries, eventsToReplay, receiverOfKey } from './event-outbox.ts';
import {
  type AlertGroup,
  applyFlush,
  dueEscalations,
  type FlushPlan,
  hasLeft,
  isEscalationKey,
  newGroup,
  planFlush,
  reroute,
} from './grouping.ts';
import { type InhibitionSource, inhibitedBy } from './inhibition.ts';
import { commonLabelsOf, type Notification, type NotifiedAlert } from './notification.ts';
import { isEventNotificationType, notifyKindsOf } from './notification-kinds.ts';
import { OutboxDeliverer } from './outbox-deliverer.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { groupKeyOf, groupLabelsOf, matchRoutes } from './routing.ts';
import { silencedBy } from './silences.ts';
import { inActivePeriods } from './time-period.ts';

export interface DispatcherOptions {
  engine: Engine;
  store: Store;
  logger: Logger;
  now?: () => number;
  /** How often groups are looked at (default 100 ms). */
  tickMs?: number;
  retry?: RetryPolicy;
  send?: SendOptions;
  perReceiver?: number;
  onDelivered?: (entry: OutboxEntry, at: number) => void;
}

const EMPTY: AlertingModel = {
  receivers: [],
  route: {
    receiver: '',
    match: {},
    groupBy: [],
    groupWaitMs: 0,
    groupIntervalMs: 60_000,
    repeatIntervalMs: 4 * 3_600_000,
    firstNotificationDelayMs: 0,
    activeTimePeriods: [],
    escalations: [],
    continue: false,
    routes: [],
  },
  inhibitRules: [],
  timePeriods: [],
  externalUrl: '',
};

export class AlertDispatcher {
  readonly deliverer: OutboxDeliverer;
  readonly #o: DispatcherOptions;
  readonly #now: () => number;
  #config: AlertingModel = EMPTY;
  readonly #records = new Map<string, AlertRecord>();
  readonly #groups = new Map<string, AlertGroup>();
  readonly #dirty = new Set<string>();
  readonly #deleted = new Set<string>();
  #unsubscribe: (() => void) | null = null;
  #tick: NodeJS.Timeout | null = null;
  #soon: NodeJS.Immediate | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #silences: { at: number; list: Silence[] } = { at: 0, list: [] };
  /** Acknowledgement, flapping and downtime events not yet turned into notifications. */
  #pendingEvents: MonitoringEvent[] = [];
  #lastPrune = 0;
  notificationsQueued = 0;

  constructor(opts: DispatcherOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    const deliverer: ConstructorParameters<typeof OutboxDeliverer>[0] = {
      store: opts.store,
      logger: opts.logger,
      receivers: () => this.#config.receivers,
      now: this.#now,
    };
    if (opts.retry) deliverer.retry = opts.retry;
    if (opts.send) deliverer.send = opts.send;
    if (opts.perReceiver) deliverer.perReceiver = opts.perReceiver;
    if (opts.onDelivered) deliverer.onDelivered = opts.onDelivered;
    this.deliverer = new OutboxDeliverer(deliverer);
  }

  get receivers(): readonly ReceiverModel[] {
    return this.#config.receivers;
  }

  start(): void {
    const { store, engine } = this.#o;
    this.#config = engine.deployment.alerting ?? EMPTY;
    for (const { id, data } of store.loadAlertStates()) this.#records.set(id, data as AlertRecord);
    const now = this.#now();
    // What happened while we were not running (or between an event and its persistence).
    for (const obj of engine.objects()) this.#evaluate(obj.id, now);
    for (const id of [...this.#records.keys()]) if (!engine.object(id)) this.#evaluate(id, now);
    this.#rebuildGroups(now);
    this.#replayEvents(now);
    this.#unsubscribe = engine.subscribe((e) => this.#onEvent(e));
    this.#tick = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        // Alerting must never take the scheduler down with it.
        this.#o.logger.error({ err }, 'alerting tick failed');
      }
    }, this.#o.tickMs ?? 100);
    this.#tick.unref();
    this.deliverer.start();
    this.#startWatchdog();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = null;
    if (this.#soon) clearImmediate(this.#soon);
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.tick();
    await this.deliverer.stop();
  }

  /** The spec changed: new receivers and routes; alerts are routed again (group timers restart). */
  reconfigure(alerting: AlertingModel | undefined): void {
    this.#config = alerting ?? EMPTY;
    this.#rebuildGroups(this.#now());
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#startWatchdog();
  }

  // ---- events → records ------------------------------------------------------------------

  #onEvent(e: MonitoringEvent): void {
    // Acknowledgements, flapping and downtimes notify at the next tick (batched per group), and
    // change what is muted, which every flush reads live from the engine.
    if (isEventNotificationType(e.type)) {
      this.#pendingEvents.push(e);
      this.#tickSoon();
      return;
    }
    // Only HARD state changes open or close problems.
    if (e.type === 'state' && e.hard) {
      const now = this.#now();
      this.#evaluate(e.objectId, now);
      const r = this.#records.get(e.objectId);
      if (r) this.#route(r, now);
    }
  }

  #replayEvents(now: number): void {
    const { store, logger } = this.#o;
    try {
      const found = eventsToReplay(store, now);
      if (found.length > 0) {
        logger.info({ events: found.length }, 'notifying events stored before the last stop');
        this.#pendingEvents.push(...found);
      }
    } catch (err) {
      logger.error({ err }, 'cannot read the events to notify after a restart');
    }
  }

  #evaluate(id: string, now: number): void {
    const { engine } = this.#o;
    const obj = engine.object(id);
    const status = engine.status(id);
    let rec = this.#records.get(id);
    if (!obj || !status) {
      // Gone from the spec: forget it (its groups went with it).
      if (rec) this.#forget(id);
      return;
    }
    if (isHardProblem(status)) {
      const labels = alertLabels(obj, status.state, engine.deployment.name);
      if (!rec || (rec.status === 'resolved' && rec.notifiedGroups.length === 0)) {
        const startsAt = status.lastHardStateChange ?? now;
        rec = {
          objectId: id,
          problemId: `steward/${engine.deployment.name}/${id}/${startsAt}`,
          kind: obj.kind,
          labels,
          summary: summaryOf(obj, status.state),
          output: status.output,
          state: status.state,
          status: 'firing',
          startsAt,
          endsAt: null,
          acknowledged: false,
          blockedReason: null,
          notificationNumber: 0,
          notifiedGroups: [],
          lastNotifiedAt: null,
        };
        this.#records.set(id, rec);
      }
      rec.status = 'firing';
      rec.endsAt = null;
      rec.labels = labels;
      rec.summary = summaryOf(obj, status.state);
      rec.output = status.output;
      rec.state = status.state;
      this.#markDirty(id);
      return;
    }
    if (!rec || rec.status === 'resolved') return;
    rec.status = 'resolved';
    rec.endsAt = status.lastHardStateChange ?? now;
    rec.output = status.output;
    rec.summary = summaryOf(obj, status.state);
    rec.state = status.state;
    if (rec.notifiedGroups.length === 0) this.#forget(id);
    else this.#markDirty(id);
  }

  #forget(id: string): void {
    this.#records.delete(id);
    this.#dirty.delete(id);
    this.#deleted.add(id);
    for (const g of this.#groups.values()) g.members.delete(id);
  }

  /** A group is due now (groupWait 0): speak within this turn of the event loop, not at the next tick. */
  #tickSoon(): void {
    if (this.#soon || !this.#tick) return;
    this.#soon = setImmediate(() => {
      this.#soon = null;
      try {
        this.tick();
      } catch (err) {
        this.#o.logger.error({ err }, 'alerting tick failed');
      }
    });
  }

  #markDirty(id: string): void {
    this.#dirty.add(id);
    this.#deleted.delete(id);
  }

  /**
   * Puts a record into the groups its labels route it to (plus those that owe it a recovery or a
   * "moved" notice, when its labels now route it elsewhere).
   */
  #route(r: AlertRecord, now: number): void {
    for (const key of r.notifiedGroups) this.#groups.get(key)?.members.add(r.objectId);
    if (r.status !== 'firing' || this.#config.receivers.length === 0) return;
    const targets = this.#targetsOf(r.labels);
    this.#markDirty(r.objectId); // routedTo / leftGroups may change
    for (const key of reroute(
      r,
      targets.map((t) => t.key),
      targets.map((t) => t.route.receiver),
    )) {
      // Left before its group spoke: nothing to take back there.
      this.#groups.get(key)?.members.delete(r.objectId);
    }
    for (const { route, key, groupLabels } of targets) {
      let g = this.#groups.get(key);
      if (!g) {
        g = newGroup(key, route.receiver, route, null, groupLabels, now);
        this.#groups.set(key, g);
      }
      g.route = route; // a reload may have changed its timing
      g.members.add(r.objectId);
      if (g.nextFlushAt <= now) this.#tickSoon();
      // A first notification delay must not wait a whole groupInterval once it has passed.
      const eligibleAt = r.startsAt + route.firstNotificationDelayMs;
      if (eligibleAt > now && g.lastSentAt !== null && eligibleAt < g.nextFlushAt) g.nextFlushAt = eligibleAt;
    }
  }

  /** The route groups these labels go to (routes without any receiver are skipped). */
  #targetsOf(labels: Record<string, string>) {
    const out: { route: RouteModel; key: string; groupLabels: Record<string, string> }[] = [];
    for (const { route, path } of matchRoutes(this.#config.route, labels)) {
      if (!route.receiver) {
        this.#o.logger.debug({ labels }, 'no route and no fallback receiver for this alert');
        continue;
      }
      const groupLabels = groupLabelsOf(route, labels);
      out.push({ route, key: groupKeyOf(path, route.receiver, groupLabels), groupLabels });
    }
    return out;
  }

  #rebuildGroups(now: number): void {
    const previous = new Map(this.#groups);
    this.#groups.clear();
    // Groups that owe recoveries, recreated from the records (after a restart or a reload).
    for (const r of this.#records.values()) {
      for (const key of r.notifiedGroups) {
        if (this.#groups.has(key) || previous.has(key)) continue;
        const g = newGroup(
          key,
          receiverOfKey(key),
          this.#config.route,
          isEscalationKey(key) ? 0 : null,
          {},
          now,
        );
        this.#groups.set(key, g);
      }
    }
    for (const [k, g] of previous) this.#groups.set(k, g);
    for (const r of this.#records.values()) this.#route(r, now);
    for (const g of this.#groups.values()) {
      if (g.lastSentAt !== null) continue;
      let last: number | null = null;
      for (const id of g.members) {
        const r = this.#records.get(id);
        if (!r?.notifiedGroups.includes(g.key)) continue;
        if (r.status === 'firing') g.lastFiring.add(r.problemId);
        if (r.lastNotifiedAt !== null) last = Math.max(last ?? 0, r.lastNotifiedAt);
      }
      if (last !== null) {
        g.lastSentAt = last;
        g.nextFlushAt = now;
      }
    }
  }

  // ---- ticks → outbox --------------------------------------------------------------------

  /** Silences are read when a group is about to speak, so one added by the API or CLI counts at once. */
  #activeSilences(now: number): Silence[] {
    if (this.#silences.at !== now) {
      try {
        this.#silences = { at: now, list: this.#o.store.listSilences({ activeAt: now }) };
      } catch (err) {
        this.#o.logger.error({ err }, 'cannot read silences');
      }
    }
    return this.#silences.list;
  }

  /** Why this alert must not be told as firing by this group now, or null. */
  #mutedReason(
    r: AlertRecord,
    g: AlertGroup,
    now: number,
    silences: Silence[],
    sources: InhibitionSource[],
    parents: ReadonlyMap<string, readonly string[]>,
  ): string | null {
    const { engine } = this.#o;
    const obj = engine.object(r.objectId);
    const status = engine.status(r.objectId);
    if (!obj || !status) return 'gone from the spec';
    const host = obj.kind === 'host' ? obj.name : obj.host;
    const hostStatus = obj.kind === 'service' ? (engine.status(host) ?? null) : null;
    const downtimes = [
      ...engine.downtimesOf(r.objectId),
      ...(obj.kind === 'service' ? engine.downtimesOf(host) : []),
    ];
    const blocked = notificationBlockedReason(
      obj,
      { ...status, notificationNumber: Math.max(status.notificationNumber, r.notificationNumber) },
      hostStatus,
      now,
      downtimes,
    );
    r.acknowledged = status.acknowledgement !== null;
    if (blocked) return blocked;
    if (now < r.startsAt + g.route.firstNotificationDelayMs) return 'first notification delay';
    const silence = silencedBy(r.labels, silences, now);
    if (silence) return `silenced by #${silence.id} (${silence.author})`;
    return inhibitedBy(
      { objectId: r.objectId, labels: r.labels, host, kind: r.kind },
      sources,
      this.#config.inhibitRules,
      parents,
      (h) => {
        const s = engine.status(h);
        return s !== undefined && s.state !== 0 && s.stateType === 'HARD' && s.hasBeenChecked;
      },
    );
  }

  /** Looks at every group: escalations, then flushes that are due. Public for tests and stop(). */
  tick(): void {
    const now = this.#now();
    const { engine, store, logger } = this.#o;
    const parents = new Map(engine.deployment.hosts.map((h) => [h.name, h.parents] as const));
    const sources: InhibitionSource[] = [];
    if (this.#config.inhibitRules.length > 0) {
      for (const r of this.#records.values()) if (r.status === 'firing') sources.push(r);
    }
    // Escalations: alerts that have waited long enough (or were told often enough) join the
    // escalation receiver's group.
    for (const g of [...this.#groups.values()]) {
      if (g.escalation !== null || g.route.escalations.length === 0) continue;
      for (const id of g.members) {
        const r = this.#records.get(id);
        if (!r || hasLeft(r, g.key)) continue;
        r.acknowledged = engine.status(id)?.acknowledgement != null;
        for (const i of dueEscalations(g.route, r, now)) {
          const e = g.route.escalations[i]!;
          const key = `${g.key}/esc${i}>${e.receiver}`;
          let eg = this.#groups.get(key);
          if (!eg) {
            eg = newGroup(key, e.receiver, g.route, i, g.groupLabels, now);
            this.#groups.set(key, eg);
          }
          eg.members.add(id);
        }
      }
    }
    const planned: { g: AlertGroup; plan: FlushPlan; n: Notification | null; dedupKey: string }[] = [];
    for (const g of this.#groups.values()) {
      if (g.nextFlushAt > now) continue;
      if (!inActivePeriods(g.route.activeTimePeriods, this.#config.timePeriods, now)) continue;
      g.nextFlushAt = now + g.route.groupIntervalMs;
      const records = [...g.members].map((id) => this.#records.get(id)).filter((r) => r !== undefined);
      const silences = this.#activeSilences(now);
      const plan = planFlush(
        g,
        records,
        (r) => this.#mutedReason(r, g, now, silences, sources, parents),
        now,
      );
      if (!plan) continue;
      // A route or receiver that does not take problems or recoveries: the group still keeps its
      // books (so a recovery is owed only where a problem was told), it just says nothing.
      const n = this.#wanted(g, this.#notification(g, plan, now));
      planned.push({ g, plan, n, dedupKey: dedupKeyOf(g, plan, now) });
    }
    const events =
      this.#pendingEvents.length > 0 ? this.#eventNotifications(now, this.#activeSilences(now)) : [];
    const eventsTaken = this.#pendingEvents.length;
    if (planned.length === 0 && eventsTaken === 0 && this.#dirty.size === 0 && this.#deleted.size === 0)
      return;
    try {
      store.transaction(() => {
        const entries: NewOutboxEntry[] = planned.flatMap((p) =>
          p.n ? [{ dedupKey: p.dedupKey, receiver: p.g.receiver, payload: p.n, createdAt: now }] : [],
        );
        entries.push(...events);
        if (entries.length > 0) this.notificationsQueued += store.enqueueNotifications(entries);
        if (eventsTaken > 0) {
          // Every stored event has reached #onEvent by now (the engine stores, then tells, in one
          // turn), so the newest id is the cursor: a restart replays only what comes after it.
          const newest = store.queryEvents({ limit: 1 })[0]?.id;
          if (newest !== undefined) store.setMeta(EVENT_CURSOR, String(newest));
        }
        for (const p of planned) {
          applyFlush(p.g, p.plan, now);
          for (const r of [...p.plan.firing, ...p.plan.resolved]) this.#dirty.add(r.objectId);
        }
        const done: string[] = [];
        for (const id of this.#dirty) {
          const r = this.#records.get(id);
          if (r && r.status === 'resolved' && r.notifiedGroups.length === 0) done.push(id);
        }
        for (const id of done) this.#forget(id);
        const save = [...this.#dirty].flatMap((id) => {
          const r = this.#records.get(id);
          return r ? [{ id, data: r }] : [];
        });
        if (save.length > 0) store.saveAlertStates(save);
        if (this.#deleted.size > 0) store.deleteAlertStates([...this.#deleted]);
      });
      this.#dirty.clear();
      this.#deleted.clear();
      this.#pendingEvents.splice(0, eventsTaken);
    } catch (err) {
      logger.error({ err }, 'cannot write notifications to the outbox; retrying at the next tick');
      for (const p of planned) p.g.nextFlushAt = now;
      return;
    }
    for (const [key, g] of this.#groups) if (g.members.size === 0) this.#groups.delete(key);
    if (planned.length > 0 || events.length > 0) this.deliverer.poke();
    if (now - this.#lastPrune > 3_600_000) {
      this.#lastPrune = now;
      try {
        store.pruneNotifications(now - 7 * 86_400_000);
      } catch (err) {
        logger.warn({ err }, 'cannot prune the outbox');
      }
    }
  }

  /** The notification with only the alerts its route or receiver takes (notifyOn), or null. */
  #wanted(g: AlertGroup, n: Notification): Notification | null {
    if (n.alerts.length === 0) return null;
    const receiver = this.#config.receivers.find((x) => x.name === g.receiver);
    if (!receiver) return n; // the deliverer says what is wrong with it
    const kinds = notifyKindsOf(g.escalation === null ? g.route : null, receiver);
    const alerts = n.alerts.filter((a) => kinds.includes(a.status === 'firing' ? 'problem' : 'recovery'));
    if (alerts.length === 0) return null;
    if (alerts.length === n.alerts.length) return n;
    return {
      ...n,
      alerts,
      status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      commonLabels: commonLabelsOf(alerts),
    };
  }

  #eventNotifications(now: number, silences: Silence[]): NewOutboxEntry[] {
    const { engine, store, logger } = this.#o;
    return eventOutboxEntries(this.#pendingEvents, {
      engine,
      store,
      logger,
      config: this.#config,
      records: this.#records,
      groups: this.#groups,
      targetsOf: (labels) => this.#targetsOf(labels),
      silences,
      now,
    });
  }

  #notification(g: AlertGroup, plan: FlushPlan, now: number): Notification {
    const base = this.#config.externalUrl.replace(/\/+$/, '');
    const alerts: NotifiedAlert[] = [...plan.firing, ...plan.resolved].map((r) => ({
      status: r.status,
      fingerprint: r.objectId,
      problemId: r.problemId,
      labels: r.labels,
      annotations: { summary: r.summary, description: r.output },
      startsAt: r.startsAt,
      endsAt: r.status === 'resolved' ? r.endsAt : null,
      notificationNumber: r.notificationNumber + (plan.firing.includes(r) && g.escalation === null ? 1 : 0),
      url: `${base}/#/object/${encodeURIComponent(r.objectId)}`,
    }));
    // Left this group for another route: resolved here (as Alertmanager would say of an alert whose
    // labels changed), with where it went. Not when the same receiver holds it through the other
    // route: it was not taken away from them, and for PagerDuty/Opsgenie a resolve on the problem's
    // dedup key would close the incident the other route keeps open.
    for (const r of plan.moved) {
      if (r.movedTo?.includes(g.receiver)) continue;
      alerts.push({
        status: 'resolved',
        fingerprint: r.objectId,
        problemId: r.problemId,
        labels: r.labels,
        annotations: { summary: r.summary, description: r.output },
        startsAt: r.startsAt,
        endsAt: now,
        notificationNumber: r.notificationNumber,
        url: `${base}/#/object/${encodeURIComponent(r.objectId)}`,
        movedTo: r.movedTo ?? [],
      });
    }
    return {
      type: 'alert',
      receiver: g.receiver,
      groupKey: g.key,
      status: plan.firing.length > 0 ? 'firing' : 'resolved',
      groupLabels: g.groupLabels,
      commonLabels: commonLabelsOf(alerts),
      alerts,
      externalUrl: base,
      deployment: this.#o.engine.deployment.name,
      createdAt: now,
    };
  }

  // ---- watchdog and tests ---------------------------------------------------------------

  #startWatchdog(): void {
    const w = this.#config.watchdog;
    if (!w) return;
    const beat = () => {
      const receiver = this.#config.receivers.find((r) => r.name === w.receiver);
      if (!receiver) return;
      void sendNotification(receiver, this.heartbeat(receiver.name), this.#o.send).then((r) => {
        if (!r.ok)
          this.#o.logger.warn({ receiver: receiver.name, answer: r.response }, 'watchdog heartbeat failed');
      });
    };
    beat();
    this.#watchdog = setInterval(beat, w.intervalMs);
    this.#watchdog.unref();
  }

  heartbeat(receiver: string): Notification {
    return specialNotification(
      'heartbeat',
      receiver,
      this.#o.engine.deployment.name,
      this.#config.externalUrl,
      this.#now(),
    );
  }

  /** Records per object (read-only view for the API and tests). */
  alerts(): AlertRecord[] {
    return [...this.#records.values()];
  }

  groups(): AlertGroup[] {
    return [...this.#groups.values()];
  }
}

/** A test or heartbeat message: one synthetic firing alert, so every channel has something to show. */
export function specialNotification(
  type: 'test' | 'heartbeat',
  receiver: string,
  deployment: string,
  externalUrl: string,
  now: number,
): Notification {
  const labels = { alertname: type === 'test' ? 'StewardTest' : 'Watchdog', deployment, severity: 'info' };
  return {
    type,
    receiver,
    groupKey: `steward/${deployment}/${type}`,
    status: 'firing',
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    alerts: [
      {
        status: 'firing',
        fingerprint: `${type}/${receiver}`,
        problemId: `steward/${deployment}/${type}/${now}`,
        labels,
        annotations: {
          summary:
            type === 'test'
              ? `Test notification from Steward (${deployment}) to ${receiver}`
              : `Steward (${deployment}) is alive`,
          description: new Date(now).toISOString(),
        },
        startsAt: now,
        endsAt: null,
        notificationNumber: 0,
        url: externalUrl,
      },
    ],
    externalUrl,
    deployment,
    createdAt: now,
  };
}

/**
 * The same decision (group, alerts, statuses, from the same persisted state) has the same key, so a
 * tick redone after a crash is not sent twice; repeats differ by time.
 */
function dedupKeyOf(g: AlertGroup, plan: FlushPlan, now: number): string {
  const h = createHash('sha256');
  h.update(g.key);
  h.update('\0');
  // The notification number tells apart a problem told again by a group it came back to.
  for (const r of plan.firing) h.update(`F${r.problemId}#${r.notificationNumber}\0`);
  for (const r of plan.resolved) h.update(`R${r.problemId}\0`);
  for (const r of plan.moved) h.update(`M${r.problemId}\0`);
  if (plan.repeat) h.update(`repeat@${now}`);
  return `${g.receiver}:${h.digest('hex')}`;
}
