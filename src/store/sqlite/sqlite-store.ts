import { statSync } from 'node:fs';
import type { Comment, Downtime, MonitoringEvent, ObjectStatus } from '../../core/index.ts';
import {
  type ApiToken,
  DEFAULT_RETENTION,
  type EventQuery,
  type MaintenanceReport,
  type NewOutboxEntry,
  type OutboxEntry,
  type OutboxStats,
  type RangeQuery,
  type RangeResult,
  type RetentionSettings,
  type Sample,
  type SeriesInfo,
  type Silence,
  type Store,
  type StoreStats,
} from '../types.ts';
import type {
  AuditEntry,
  AuditQuery,
  NewUser,
  SessionRecord,
  UserPatch,
  UserRecord,
} from '../users-types.ts';
import { AlertStatesTable } from './alert-states-table.ts';
import { AuditTable } from './audit-table.ts';
import { CommentsTable } from './comments-table.ts';
import { Connection } from './connection.ts';
import { DowntimesTable } from './downtimes-table.ts';
import { EventsTable } from './events-table.ts';
import { MetaTable } from './meta-table.ts';
import { MetricsStore } from './metrics-store.ts';
import { migrate } from './migrations.ts';
import { OutboxTable } from './outbox-table.ts';
import { SessionsTable } from './sessions-table.ts';
import { SilencesTable } from './silences-table.ts';
import { StatusesTable } from './statuses-table.ts';
import { TokensTable } from './tokens-table.ts';
import { UsersTable } from './users-table.ts';

export interface SqliteStoreOptions {
  retention?: Partial<RetentionSettings>;
  /** The clock deciding what "within retention" means for queries and token timestamps (tests). */
  now?: () => number;
  /** How long after a 5m bucket closes it is rolled up, so late samples still count. Default 60 s. */
  rollupLagMs?: number;
  /** Wall time one runMaintenance call may take before it stops and reports done: false. Default 200 ms. */
  maintenanceBudgetMs?: number;
  /** Buffered samples at which commits start moving the write buffer into samples. Default 500,000. */
  bufferFlushThreshold?: number;
  /** About how many samples one such move handles (bounds its pause). Default 20,000. */
  bufferSliceSamples?: number;
}

const EVENTS_PER_DELETE = 5000;

/** Opens (creating and migrating as needed) the store in `<dataDir>/steward.db`. */
export function openSqliteStore(dataDir: string, opts: SqliteStoreOptions = {}): Store {
  return new SqliteStore(dataDir, opts);
}

export class SqliteStore implements Store {
  readonly #conn: Connection;
  readonly #statuses: StatusesTable;
  readonly #events: EventsTable;
  readonly #downtimes: DowntimesTable;
  readonly #comments: CommentsTable;
  readonly #tokens: TokensTable;
  readonly #meta: MetaTable;
  readonly #users: UsersTable;
  readonly #sessions: SessionsTable;
  readonly #audit: AuditTable;
  readonly #metrics: MetricsStore;
  readonly #outbox: OutboxTable;
  readonly #silences: SilencesTable;
  readonly #alertStates: AlertStatesTable;
  readonly #retention: RetentionSettings;
  readonly #budgetMs: number;

  constructor(dataDir: string, opts: SqliteStoreOptions = {}) {
    const now = opts.now ?? Date.now;
    this.#retention = { ...DEFAULT_RETENTION, ...opts.retention };
    for (const [k, v] of Object.entries(this.#retention)) {
      if (!(v > 0)) throw new Error(`store retention "${k}" must be a positive number of ms (got ${v})`);
    }
    this.#budgetMs = opts.maintenanceBudgetMs ?? 200;
    this.#conn = new Connection(dataDir);
    try {
      migrate(this.#conn);
      this.#meta = new MetaTable(this.#conn);
      this.#statuses = new StatusesTable(this.#conn);
      this.#events = new EventsTable(this.#conn);
      this.#downtimes = new DowntimesTable(this.#conn);
      this.#comments = new CommentsTable(this.#conn);
      this.#tokens = new TokensTable(this.#conn, now);
      this.#outbox = new OutboxTable(this.#conn);
      this.#silences = new SilencesTable(this.#conn);
      this.#alertStates = new AlertStatesTable(this.#conn);
      this.#users = new UsersTable(this.#conn, now);
      this.#sessions = new SessionsTable(this.#conn);
      this.#audit = new AuditTable(this.#conn);
      this.#metrics = new MetricsStore(this.#conn, this.#meta, {
        retention: this.#retention,
        now,
        rollupLagMs: opts.rollupLagMs ?? 60_000,
        bufferFlushThreshold: opts.bufferFlushThreshold ?? 500_000,
        bufferSliceSamples: opts.bufferSliceSamples ?? 20_000,
      });
    } catch (err) {
      this.#conn.close();
      throw err;
    }
  }

  transaction<T>(fn: () => T): T {
    const result = this.#conn.transaction(fn);
    if (!this.#conn.inTransaction) this.#metrics.afterCommit();
    return result;
  }

  loadStatuses(): ObjectStatus[] {
    return this.#statuses.load();
  }

  saveStatuses(statuses: ObjectStatus[]): void {
    this.transaction(() => this.#statuses.save(statuses));
  }

  deleteStatuses(ids: string[]): void {
    this.transaction(() => this.#statuses.delete(ids));
  }

  appendEvents(events: MonitoringEvent[]): void {
    this.transaction(() => this.#events.append(events));
  }

  queryEvents(query: EventQuery): MonitoringEvent[] {
    return this.#events.query(query);
  }

  addDowntime(d: Omit<Downtime, 'id'>): Downtime {
    return this.#downtimes.add(d);
  }

  updateDowntime(d: Downtime): void {
    this.#downtimes.update(d);
  }

  listDowntimes(opts?: { objectId?: string; includeEnded?: boolean }): Downtime[] {
    return this.#downtimes.list(opts);
  }

  getDowntime(id: number): Downtime | null {
    return this.#downtimes.get(id);
  }

  addComment(c: Omit<Comment, 'id'>): Comment {
    return this.#comments.add(c);
  }

  listComments(opts?: { objectId?: string }): Comment[] {
    return this.#comments.list(opts);
  }

  deleteComment(id: number): boolean {
    return this.#comments.delete(id);
  }

  writeSamples(samples: Sample[]): void {
    if (samples.length === 0) return;
    this.transaction(() => this.#metrics.write(samples));
  }

  queryRange(q: RangeQuery): RangeResult | null {
    return this.#metrics.query(q);
  }

  listSeries(match?: { name?: string; labels?: Record<string, string> }): SeriesInfo[] {
    return this.#metrics.listSeries(match);
  }

  addToken(name: string, hash: string, role: string): ApiToken {
    return this.#tokens.add(name, hash, role);
  }

  findTokenByHash(hash: string): ApiToken | null {
    return this.#tokens.findByHash(hash);
  }

  touchToken(id: number, time: number): void {
    this.#tokens.touch(id, time);
  }

  listTokens(): ApiToken[] {
    return this.#tokens.list();
  }

  revokeToken(name: string): boolean {
    return this.#tokens.revoke(name);
  }

  addUser(u: NewUser): UserRecord {
    return this.#users.add(u);
  }

  getUser(name: string): UserRecord | null {
    return this.#users.get(name);
  }

  getUserById(id: number): UserRecord | null {
    return this.#users.byId(id);
  }

  listUsers(): UserRecord[] {
    return this.#users.list();
  }

  updateUser(name: string, patch: UserPatch): boolean {
    return this.#users.update(name, patch);
  }

  deleteUser(name: string): boolean {
    return this.#users.delete(name);
  }

  addSession(s: SessionRecord): void {
    this.#sessions.add(s);
  }

  getSession(idHash: string): SessionRecord | null {
    return this.#sessions.get(idHash);
  }

  touchSession(idHash: string, time: number): void {
    this.#sessions.touch(idHash, time);
  }

  deleteSession(idHash: string): void {
    this.#sessions.delete(idHash);
  }

  deleteUserSessions(userId: number): number {
    return this.#sessions.deleteForUser(userId);
  }

  deleteExpiredSessions(now: number, idleMs: number): number {
    return this.#sessions.deleteExpired(now, idleMs);
  }

  appendAudit(e: Omit<AuditEntry, 'id'>): AuditEntry {
    return this.#audit.append(e);
  }

  ingestAudit(source: string, entries: (Omit<AuditEntry, 'id' | 'source'> & { eventId: string })[]): number {
    return this.transaction(() => this.#audit.ingest(source, entries));
  }

  auditSources(): string[] {
    return this.#audit.sources();
  }

  queryAudit(q: AuditQuery): AuditEntry[] {
    return this.#audit.query(q);
  }

  enqueueNotifications(entries: NewOutboxEntry[]): number {
    return this.transaction(() => this.#outbox.enqueue(entries));
  }

  dueNotifications(now: number, limit: number): OutboxEntry[] {
    return this.#outbox.due(now, limit);
  }

  nextNotificationDueAt(): number | null {
    return this.#outbox.nextAttemptAt();
  }

  getNotification(id: number): OutboxEntry | null {
    return this.#outbox.get(id);
  }

  listNotifications(opts: { status?: OutboxEntry['status']; limit?: number } = {}): OutboxEntry[] {
    return this.#outbox.list(opts);
  }

  markNotificationDelivered(id: number, time: number, response: string): void {
    this.#outbox.delivered(id, time, response);
  }

  markNotificationFailed(id: number, error: string, nextAttemptAt: number | null): void {
    this.#outbox.attemptFailed(id, error, nextAttemptAt);
  }

  outboxStats(): OutboxStats {
    return this.#outbox.stats();
  }

  pruneNotifications(before: number): number {
    return this.#outbox.prune(before);
  }

  addSilence(s: Omit<Silence, 'id'>): Silence {
    return this.#silences.add(s);
  }

  listSilences(opts: { activeAt?: number } = {}): Silence[] {
    return this.#silences.list(opts);
  }

  expireSilence(id: number, now: number): Silence | null {
    return this.#silences.expire(id, now);
  }

  loadAlertStates(): { id: string; data: unknown }[] {
    return this.#alertStates.load();
  }

  saveAlertStates(states: { id: string; data: unknown }[]): void {
    this.transaction(() => this.#alertStates.save(states));
  }

  deleteAlertStates(ids: string[]): void {
    this.transaction(() => this.#alertStates.delete(ids));
  }

  getMeta(key: string): string | null {
    return this.#meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.#meta.set(key, value);
  }

  runMaintenance(now: number): MaintenanceReport {
    if (this.#conn.inTransaction) {
      throw new Error('runMaintenance manages its own transactions: call it outside store.transaction()');
    }
    const started = performance.now();
    // Checked after each bounded step, so every call makes progress whatever the budget.
    const overBudget = () => performance.now() - started > this.#budgetMs;
    const m = this.#metrics.maintain(now, overBudget);
    let events = 0;
    let eventsDone = false;
    if (m.done) {
      const before = now - this.#retention.eventsMs;
      for (;;) {
        const n = this.#events.deleteOlderThan(before, EVENTS_PER_DELETE);
        events += n;
        if (n < EVENTS_PER_DELETE) {
          eventsDone = true;
          break;
        }
        if (overBudget()) break;
      }
    }
    return {
      done: m.done && eventsDone,
      flushed: m.flushed,
      rolled5m: m.rolled5m,
      rolled1h: m.rolled1h,
      deleted: { raw: m.deletedRaw, fiveMinute: m.deleted5m, hourly: m.deleted1h, events },
      ms: performance.now() - started,
    };
  }

  stats(): StoreStats {
    let bytes = 0;
    for (const file of [this.#conn.path, `${this.#conn.path}-wal`]) {
      try {
        bytes += statSync(file).size;
      } catch {
        // No WAL file right after a checkpoint with truncation.
      }
    }
    return {
      bytes,
      series: this.#metrics.registry.size,
      rawSamples: this.#metrics.rawSamples,
      events: this.#events.count(),
    };
  }

  /** Checkpoints the WAL into the database file (leaving no -wal behind) and closes. */
  close(): void {
    if (!this.#conn.db.isOpen) return;
    this.#conn.db.exec('PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize;');
    this.#conn.close();
  }
}
