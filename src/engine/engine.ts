import {
  type Acknowledgement,
  type CheckResult,
  type Comment,
  type Deployment,
  type Downtime,
  type EventListener,
  type HostModel,
  initialStatus,
  type MonitoringEvent,
  type ObjectStatus,
  type ServiceModel,
  stateName,
} from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import { runProbe } from '../probes/index.ts';
import { hashOffset, initialDue, nextDue, Scheduler, spreadOffset } from '../scheduler/index.ts';
import {
  acknowledge as acknowledgeStatus,
  checkFreshness,
  evaluateDowntimes,
  eventSubject,
  processHostResult,
  processServiceResult,
  removeAcknowledgement,
} from '../state/index.ts';
import type { Sample, Store } from '../store/types.ts';
import { perfdataSamples } from './perfdata-samples.ts';
import { planReload } from './reload-plan.ts';
import { EngineTelemetry } from './telemetry.ts';

export type CheckedModel = HostModel | ServiceModel;

/** Checks added or changed by a reload start within this window (spread, not all at once). */
const NEW_CHECK_SPREAD_MS = 5_000;

export interface EngineOptions {
  deployment: Deployment;
  store: Store;
  logger: Logger;
  /** Checks in flight at once. */
  concurrency?: number;
  now?: () => number;
  /** Results are persisted in batches at most this far apart (ms); events go out after that. */
  flushIntervalMs?: number;
  /** How often rollups and retention run (ms). */
  maintenanceIntervalMs?: number;
  /** A host result younger than this is trusted when a service turns bad (Nagios' cached_host_check_horizon). */
  hostCheckHorizonMs?: number;
}

export interface ReloadReport {
  at: number;
  ok: boolean;
  added: string[];
  removed: string[];
  changed: string[];
  errors?: string[];
}

/**
 * The monitoring engine: runs checks on schedule, feeds results through the state machine,
 * persists status, history and perfdata, and tells subscribers about events once they are durable.
 */
export class Engine {
  deployment: Deployment;
  readonly store: Store;
  readonly telemetry = new EngineTelemetry();
  readonly scheduler: Scheduler;
  readonly startedAt: number;
  lastReload: ReloadReport | null = null;

  #log: Logger;
  #now: () => number;
  #objects = new Map<string, CheckedModel>();
  #statuses = new Map<string, ObjectStatus>();
  /** Downtimes not yet ended, by object id. */
  #downtimes = new Map<string, Downtime[]>();
  /** The delay last used to schedule each object, to tell normal rhythm from retries. */
  #lastDelay = new Map<string, number>();
  #listeners = new Set<EventListener>();
  #dirty = new Set<string>();
  #pendingEvents: MonitoringEvent[] = [];
  #pendingSamples: Sample[] = [];
  #flushTimer: NodeJS.Timeout | null = null;
  #tickTimer: NodeJS.Timeout | null = null;
  #maintenanceTimer: NodeJS.Timeout | null = null;
  #flushIntervalMs: number;
  #maintenanceIntervalMs: number;
  #hostHorizonMs: number;
  #running = false;

  constructor(opts: EngineOptions) {
    this.deployment = opts.deployment;
    this.store = opts.store;
    this.#log = opts.logger;
    this.#now = opts.now ?? Date.now;
    this.#flushIntervalMs = opts.flushIntervalMs ?? 20;
    this.#maintenanceIntervalMs = opts.maintenanceIntervalMs ?? 60_000;
    this.#hostHorizonMs = opts.hostCheckHorizonMs ?? 15_000;
    this.startedAt = this.#now();
    this.scheduler = new Scheduler({
      concurrency: opts.concurrency ?? 512,
      run: (id, due) => this.#runScheduled(id, due),
      now: this.#now,
    });
    this.scheduler.onLateness((ms) => {
      this.telemetry.lateness.observe(ms / 1000);
      this.telemetry.recentLatenessMs.push(ms);
    });
    this.#indexObjects(opts.deployment);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(): void {
    const now = this.#now();
    const persisted = new Map(this.store.loadStatuses().map((s) => [s.id, s]));
    for (const d of this.store.listDowntimes({ includeEnded: false })) this.#addDowntimeToIndex(d);
    const objects = [...this.#objects.values()];
    objects.forEach((obj, i) => {
      let status = persisted.get(obj.id);
      if (!status) {
        status = this.#freshStatus(obj);
        this.#dirty.add(obj.id); // pending objects are listed too (steward status reads the store)
      }
      this.#statuses.set(obj.id, status);
      this.#scheduleInitial(obj, status, i, objects.length, now);
    });
    // Statuses of objects no longer in the spec stay in the store until a reload removes them; drop them now.
    const gone = [...persisted.keys()].filter((id) => !this.#objects.has(id));
    if (gone.length > 0) this.store.deleteStatuses(gone);
    this.#running = true;
    this.flush();
    this.scheduler.start();
    this.#tickTimer = setInterval(() => this.#tick(), 1000);
    this.#tickTimer.unref();
    this.#maintenanceTimer = setInterval(() => this.#maintenance(), this.#maintenanceIntervalMs);
    this.#maintenanceTimer.unref();
    this.#log.info(
      { hosts: this.deployment.hosts.length, services: this.deployment.services.length },
      'engine started',
    );
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#tickTimer) clearInterval(this.#tickTimer);
    if (this.#maintenanceTimer) clearInterval(this.#maintenanceTimer);
    await this.scheduler.stop();
    this.flush();
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- reads -----------------------------------------------------------------------------

  object(id: string): CheckedModel | undefined {
    return this.#objects.get(id);
  }

  status(id: string): ObjectStatus | undefined {
    return this.#statuses.get(id);
  }

  objects(): IterableIterator<CheckedModel> {
    return this.#objects.values();
  }

  downtimesOf(id: string): Downtime[] {
    return this.#downtimes.get(id) ?? [];
  }

  // ---- results ---------------------------------------------------------------------------

  /** A passive result (API): processed exactly like an active one. */
  submitResult(id: string, result: CheckResult): ObjectStatus {
    const obj = this.#objects.get(id);
    if (!obj) throw new Error(`no host or service "${id}" in the spec`);
    this.telemetry.passiveResults.inc();
    this.#applyResult(obj, { ...result, passive: true }, this.#now());
    return this.#statuses.get(id)!;
  }

  /** Runs a check now, out of schedule (the API's recheck). */
  recheck(id: string): boolean {
    const obj = this.#objects.get(id);
    if (!obj?.probe || obj.probe.kind === 'passive') return false;
    this.scheduler.schedule(id, this.#now());
    return true;
  }

  async #runScheduled(id: string, due: number): Promise<void> {
    const obj = this.#objects.get(id);
    if (!obj?.probe || obj.probe.kind === 'passive') return;
    this.telemetry.countCheck(obj.probe.kind);
    const host = obj.kind === 'host' ? obj : (this.#objects.get(obj.host) as HostModel | undefined);
    const result = await runProbe(obj.probe, {
      timeoutMs: obj.timing.timeoutMs,
      timeoutState: obj.timeoutState,
      objectKind: obj.kind,
      host: host ? { name: host.name, address: host.address } : { name: '', address: '' },
      pluginDirs: this.deployment.pluginDirs,
      warning: obj.warning,
      critical: obj.critical,
      environment: obj.environment,
      intervalMs: obj.timing.intervalMs,
    });
    result.scheduledAt = due;
    if (!this.#running || this.#objects.get(id) !== obj) return; // stopped or reloaded meanwhile
    const now = this.#now();
    this.telemetry.execution.observe((result.finishedAt - result.startedAt) / 1000);
    const delay = this.#applyResult(obj, result, now);
    const previousDelay = this.#lastDelay.get(id);
    // In its normal rhythm a check keeps its phase (no drift); retries and the first check after
    // a retry are timed from now, as Nagios does.
    const next =
      previousDelay === delay && delay === obj.timing.intervalMs ? nextDue(due, delay, now) : now + delay;
    this.#lastDelay.set(id, delay);
    if (!this.scheduler.isScheduled(id)) this.scheduler.schedule(id, next);
    const status = this.#statuses.get(id);
    if (status) status.nextCheck = this.scheduler.dueOf(id) ?? next;
  }

  /** Feeds one result through the state machine; returns the delay until the next check. */
  #applyResult(obj: CheckedModel, result: CheckResult, now: number): number {
    const before = this.#statuses.get(obj.id) ?? this.#freshStatus(obj);
    let outcome: { status: ObjectStatus; events: MonitoringEvent[]; nextCheckInMs: number };
    if (obj.kind === 'host') {
      const parents = obj.parents.map((p) => this.#statuses.get(p)).filter((s): s is ObjectStatus => !!s);
      outcome = processHostResult(obj, before, result, parents, now);
      if (outcome.status.state !== 0) this.#refreshStale(obj.parents, now);
    } else {
      const hostStatus = this.#statuses.get(obj.host) ?? null;
      outcome = processServiceResult(obj, before, result, hostStatus, now);
      if (outcome.status.state !== 0 && before.state === 0) this.#refreshStale([obj.host], now);
    }
    let status = outcome.status;
    const events = outcome.events;
    if (before.lastCheck === null)
      events.unshift({
        time: now,
        type: 'monitoring_start',
        ...eventSubject(obj),
        state: status.state,
        output: status.output,
      });
    const downtimes = this.#downtimes.get(obj.id);
    if (downtimes && downtimes.length > 0) {
      const dt = evaluateDowntimes(obj, status, downtimes, now);
      status = dt.status;
      events.push(...dt.events);
      this.#saveDowntimes(dt.downtimes);
    }
    status.nextCheck = before.nextCheck;
    this.#statuses.set(obj.id, status);
    this.telemetry.countResult(stateName(obj.kind, status.state));
    this.#queue(obj.id, events);
    if (result.perfdata.length > 0) {
      perfdataSamples(
        result.perfdata,
        {
          environment: obj.environment,
          host: obj.kind === 'host' ? obj.name : obj.host,
          service: obj.kind === 'host' ? '' : obj.name,
        },
        result.finishedAt,
        this.#pendingSamples,
      );
    }
    if (result.samples) {
      for (const x of result.samples) {
        if (!Number.isFinite(x.value)) continue;
        this.#pendingSamples.push({
          series: { name: x.name, labels: x.labels, unit: x.unit },
          t: result.finishedAt,
          v: x.value,
        });
      }
    }
    if (events.some((e) => e.type === 'acknowledgement_removed')) this.#dropAckComments(obj.id);
    return outcome.nextCheckInMs;
  }

  /** Checks hosts now whose last result is older than the horizon (a service or child went bad). */
  #refreshStale(ids: string[], now: number): void {
    for (const id of ids) {
      const obj = this.#objects.get(id);
      const s = this.#statuses.get(id);
      if (!obj?.probe || obj.probe.kind === 'passive' || !s) continue;
      if (s.lastCheck !== null && now - s.lastCheck < this.#hostHorizonMs) continue;
      if (this.scheduler.isRunning(id)) continue;
      this.scheduler.schedule(id, now);
    }
  }

  // ---- acknowledgements, downtimes, comments ---------------------------------------------

  acknowledge(id: string, ack: Omit<Acknowledgement, 'time'>): { ok: true } | { ok: false; error: string } {
    const obj = this.#objects.get(id);
    const status = this.#statuses.get(id);
    if (!obj || !status) return { ok: false, error: `no host or service "${id}"` };
    const now = this.#now();
    const r = acknowledgeStatus(obj, status, { ...ack, time: now }, now);
    if ('error' in r) return { ok: false, error: r.error };
    this.#statuses.set(id, r.status);
    this.store.addComment({
      objectId: id,
      author: ack.author,
      text: ack.comment,
      time: now,
      source: 'acknowledgement',
      persistent: false,
    });
    this.#queue(id, r.events);
    this.flush();
    return { ok: true };
  }

  unacknowledge(id: string, author: string): boolean {
    const obj = this.#objects.get(id);
    const status = this.#statuses.get(id);
    if (!obj || !status?.acknowledgement) return false;
    const now = this.#now();
    const r = removeAcknowledgement(obj, status, now, author);
    this.#statuses.set(id, r.status);
    this.#dropAckComments(id);
    this.#queue(id, r.events);
    this.flush();
    return true;
  }

  scheduleDowntime(d: Omit<Downtime, 'id' | 'createdAt' | 'startedAt' | 'endedAt' | 'cancelled'>): Downtime {
    const obj = this.#objects.get(d.objectId);
    if (!obj) throw new Error(`no host or service "${d.objectId}"`);
    const now = this.#now();
    const created = this.store.addDowntime({
      ...d,
      createdAt: now,
      startedAt: null,
      endedAt: null,
      cancelled: false,
    });
    this.store.addComment({
      objectId: d.objectId,
      author: d.author,
      text: d.comment,
      time: now,
      source: 'downtime',
      persistent: false,
    });
    this.#addDowntimeToIndex(created);
    this.#evaluateDowntimesOf(obj, now);
    this.flush();
    return this.store.getDowntime(created.id) ?? created;
  }

  cancelDowntime(id: number, author: string): Downtime | null {
    const d = this.store.getDowntime(id);
    if (!d || d.endedAt !== null) return null;
    const obj = this.#objects.get(d.objectId);
    const now = this.#now();
    const cancelled: Downtime = { ...d, cancelled: true, endedAt: now };
    this.store.updateDowntime(cancelled);
    const list = (this.#downtimes.get(d.objectId) ?? []).filter((x) => x.id !== id);
    this.#downtimes.set(d.objectId, list);
    if (obj) {
      const status = this.#statuses.get(obj.id);
      if (status) {
        this.#statuses.set(obj.id, {
          ...status,
          activeDowntimes: status.activeDowntimes.filter((x) => x !== id),
        });
        this.#queue(obj.id, [
          {
            time: now,
            type: 'downtime_cancelled',
            ...eventSubject(obj),
            author,
            comment: d.comment,
            details: { downtimeId: id },
          },
        ]);
      }
    }
    this.flush();
    return cancelled;
  }

  addComment(objectId: string, author: string, text: string): Comment {
    if (!this.#objects.has(objectId)) throw new Error(`no host or service "${objectId}"`);
    const obj = this.#objects.get(objectId)!;
    const now = this.#now();
    const c = this.store.addComment({ objectId, author, text, time: now, source: 'user', persistent: true });
    this.#queue(objectId, [
      {
        time: now,
        type: 'comment',
        ...eventSubject(obj),
        author,
        comment: text,
      },
    ]);
    this.flush();
    return c;
  }

  #dropAckComments(objectId: string): void {
    for (const c of this.store.listComments({ objectId })) {
      if (c.source === 'acknowledgement') this.store.deleteComment(c.id);
    }
  }

  #addDowntimeToIndex(d: Downtime): void {
    const list = this.#downtimes.get(d.objectId) ?? [];
    list.push(d);
    this.#downtimes.set(d.objectId, list);
  }

  #saveDowntimes(changed: Downtime[]): void {
    for (const d of changed) {
      this.store.updateDowntime(d);
      const list = this.#downtimes.get(d.objectId) ?? [];
      const kept = list.filter((x) => x.id !== d.id);
      if (d.endedAt === null) kept.push(d);
      this.#downtimes.set(d.objectId, kept);
      if (d.endedAt !== null) {
        for (const c of this.store.listComments({ objectId: d.objectId })) {
          if (c.source === 'downtime' && c.text === d.comment) {
            this.store.deleteComment(c.id);
            break;
          }
        }
      }
    }
  }

  #evaluateDowntimesOf(obj: CheckedModel, now: number): void {
    const list = this.#downtimes.get(obj.id);
    const status = this.#statuses.get(obj.id);
    if (!list || list.length === 0 || !status) return;
    const r = evaluateDowntimes(obj, status, list, now);
    if (r.downtimes.length === 0 && r.events.length === 0 && r.status === status) return;
    this.#statuses.set(obj.id, r.status);
    this.#saveDowntimes(r.downtimes);
    this.#queue(obj.id, r.events);
  }

  // ---- periodic work ---------------------------------------------------------------------

  #tick(): void {
    const now = this.#now();
    for (const id of [...this.#downtimes.keys()]) {
      const obj = this.#objects.get(id);
      if (obj) this.#evaluateDowntimesOf(obj, now);
    }
    for (const obj of this.#objects.values()) {
      if (!obj.freshness) continue;
      const status = this.#statuses.get(obj.id);
      if (!status) continue;
      const stale = checkFreshness(obj, status, now, this.startedAt);
      if (stale) this.#applyResult(obj, stale, now);
    }
  }

  #maintenance(): void {
    if (!this.#running) return;
    try {
      const report = this.store.runMaintenance(this.#now());
      // Each call has a time budget; after downtime there is a backlog, so continue soon
      // rather than a full interval later (the event loop runs checks in between).
      if (!report.done) setTimeout(() => this.#maintenance(), 250).unref();
    } catch (err) {
      this.#log.error({ err }, 'store maintenance failed');
    }
  }

  // ---- persistence -----------------------------------------------------------------------

  #queue(id: string, events: MonitoringEvent[]): void {
    this.#dirty.add(id);
    if (events.length > 0) {
      for (const e of events) {
        if (e.type === 'state' && (e.state !== e.previousState || e.stateType !== e.previousStateType)) {
          this.telemetry.stateChanges.inc();
          if (e.hard) this.telemetry.hardStateChanges.inc();
        }
        this.#pendingEvents.push(e);
      }
    }
    if (!this.#flushTimer) {
      this.#flushTimer = setTimeout(() => this.flush(), this.#flushIntervalMs);
    }
  }

  /** Writes pending statuses, events and samples; then tells subscribers about the events. */
  flush(): void {
    if (this.#flushTimer) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = null;
    }
    if (this.#dirty.size === 0 && this.#pendingEvents.length === 0 && this.#pendingSamples.length === 0)
      return;
    const statuses: ObjectStatus[] = [];
    for (const id of this.#dirty) {
      const s = this.#statuses.get(id);
      if (s) statuses.push(s);
    }
    const events = this.#pendingEvents;
    const samples = this.#pendingSamples;
    this.#dirty = new Set();
    this.#pendingEvents = [];
    this.#pendingSamples = [];
    try {
      this.store.transaction(() => {
        if (statuses.length > 0) this.store.saveStatuses(statuses);
        if (events.length > 0) this.store.appendEvents(events);
        if (samples.length > 0) this.store.writeSamples(samples);
      });
      this.telemetry.flushes.inc();
    } catch (err) {
      this.telemetry.flushErrors.inc();
      this.#log.error({ err }, 'could not persist results; keeping them for the next flush');
      for (const s of statuses) this.#dirty.add(s.id);
      this.#pendingEvents.unshift(...events);
      this.#pendingSamples.unshift(...samples);
      if (!this.#flushTimer) this.#flushTimer = setTimeout(() => this.flush(), 1000);
      return;
    }
    for (const e of events) {
      for (const l of this.#listeners) {
        try {
          l(e);
        } catch (err) {
          this.#log.error({ err }, 'event subscriber failed');
        }
      }
    }
  }

  // ---- spec ------------------------------------------------------------------------------

  #indexObjects(d: Deployment): void {
    this.#objects.clear();
    for (const h of d.hosts) this.#objects.set(h.id, h);
    for (const s of d.services) this.#objects.set(s.id, s);
  }

  #freshStatus(obj: CheckedModel): ObjectStatus {
    const s = initialStatus(obj.id, obj.kind);
    if (obj.kind === 'host' && !obj.probe) s.output = 'No host check defined: assumed UP';
    return s;
  }

  #scheduleInitial(obj: CheckedModel, status: ObjectStatus, index: number, count: number, now: number): void {
    if (!obj.probe || obj.probe.kind === 'passive') return;
    const due = initialDue(
      status.nextCheck,
      obj.timing.intervalMs,
      now,
      spreadOffset(index, count, obj.timing.intervalMs),
    );
    this.scheduler.schedule(obj.id, due);
    status.nextCheck = due;
  }

  /** Applies a new deployment: adds, removes and changes objects without resetting unchanged ones. */
  reload(next: Deployment): ReloadReport {
    const now = this.#now();
    const plan = planReload(this.#objects, next);
    this.deployment = next;
    this.#indexObjects(next);
    for (const id of plan.removed) {
      this.scheduler.unschedule(id);
      this.#statuses.delete(id);
      this.#lastDelay.delete(id);
    }
    if (plan.removed.length > 0) this.store.deleteStatuses(plan.removed);
    for (const id of plan.added) {
      const obj = this.#objects.get(id)!;
      const status = this.#freshStatus(obj);
      this.#statuses.set(id, status);
      if (obj.probe && obj.probe.kind !== 'passive') {
        // A check the operator just added should show a result soon, not up to an interval later.
        const due = now + hashOffset(id, Math.min(obj.timing.intervalMs, NEW_CHECK_SPREAD_MS));
        this.scheduler.schedule(id, due);
        status.nextCheck = due;
      }
      this.#dirty.add(id);
    }
    for (const id of plan.changed) {
      const obj = this.#objects.get(id)!;
      if (!obj.probe || obj.probe.kind === 'passive') {
        this.scheduler.unschedule(id);
      } else if (plan.rescheduled.has(id) || !this.scheduler.isScheduled(id)) {
        const due = now + hashOffset(id, Math.min(obj.timing.intervalMs, NEW_CHECK_SPREAD_MS));
        this.scheduler.schedule(id, due);
        this.#lastDelay.delete(id);
        const s = this.#statuses.get(id);
        if (s) s.nextCheck = due;
      }
    }
    this.flush();
    this.telemetry.reloads.inc();
    const { added, removed, changed } = plan;
    this.lastReload = { at: now, ok: true, added, removed, changed };
    this.#log.info(
      { added: added.length, removed: removed.length, changed: changed.length },
      'spec reloaded',
    );
    return this.lastReload;
  }

  /** Records a refused reload (invalid spec): the running config stays. */
  reloadRefused(errors: string[]): ReloadReport {
    this.telemetry.reloadFailures.inc();
    this.lastReload = { at: this.#now(), ok: false, added: [], removed: [], changed: [], errors };
    this.#log.error({ errors }, 'spec reload refused: the running configuration stays in effect');
    return this.lastReload;
  }
}
