import type { Comment, Downtime, MonitoringEvent, ObjectStatus } from '../core/index.ts';
import type { AuditEntry, AuditQuery, NewUser, SessionRecord, UserPatch, UserRecord } from './users-types.ts';

export type * from './users-types.ts';

/** A metric series: a name plus labels, as Prometheus identifies series. */
export interface SeriesRef {
  name: string;
  labels: Record<string, string>;
  /** Unit of measurement (perfdata UOM), informational. */
  unit?: string;
}

export interface Sample {
  series: SeriesRef;
  /** epoch ms */
  t: number;
  v: number;
}

export interface SeriesInfo extends SeriesRef {
  id: number;
  /** Canonical key: name{k="v",...} with labels sorted. */
  key: string;
  firstT: number | null;
  lastT: number | null;
}

export type Resolution = 'raw' | '5m' | '1h';

export interface RangeQuery {
  /** The series by canonical key or by ref. */
  series: string | SeriesRef;
  from: number;
  to: number;
  /** Desired spacing between points (ms); the store picks the coarsest resolution that still meets it. */
  stepMs: number;
}

export interface RangePoint {
  t: number;
  avg: number;
  min: number;
  max: number;
}

export interface RangeResult {
  key: string;
  resolution: Resolution;
  stepMs: number;
  points: RangePoint[];
}

export interface EventQuery {
  objectId?: string;
  host?: string;
  service?: string;
  environment?: string;
  types?: MonitoringEvent['type'][];
  /** Only HARD state changes */
  hardOnly?: boolean;
  from?: number;
  to?: number;
  /** Return events with id < beforeId (paging backwards). */
  beforeId?: number;
  limit?: number;
}

export interface ApiToken {
  id: number;
  name: string;
  role: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface RetentionSettings {
  rawMs: number;
  fiveMinuteMs: number;
  hourlyMs: number;
  eventsMs: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  rawMs: 48 * 3_600_000,
  fiveMinuteMs: 90 * 86_400_000,
  hourlyMs: 2 * 365 * 86_400_000,
  eventsMs: 2 * 365 * 86_400_000,
};

/** What one runMaintenance call did. */
export interface MaintenanceReport {
  /** False when the call stopped at its time budget with work left; call again soon. */
  done: boolean;
  /** Raw samples moved from the write buffer into the samples table. */
  flushed: number;
  /** Rollup rows written. */
  rolled5m: number;
  rolled1h: number;
  /** Rows deleted by retention. */
  deleted: { raw: number; fiveMinute: number; hourly: number; events: number };
  ms: number;
}

/** A notification to write to the outbox (before it is sent). */
export interface NewOutboxEntry {
  /** Unique: the same key twice is written once, so re-deriving a notification never doubles it. */
  dedupKey: string;
  receiver: string;
  /** JSON-serialisable notification. */
  payload: unknown;
  createdAt: number;
}

export interface OutboxEntry extends NewOutboxEntry {
  id: number;
  attempts: number;
  nextAttemptAt: number;
  status: 'pending' | 'delivered' | 'failed';
  deliveredAt: number | null;
  lastError: string | null;
  /** What the receiver answered on delivery (truncated). */
  response: string | null;
}

export interface OutboxStats {
  pending: number;
  delivered: number;
  failed: number;
  oldestPendingAt: number | null;
  /** Attempts that did not deliver (over all rows kept). */
  failedAttempts?: number;
}

/** Mutes alerts whose labels match every matcher (value or ~regex) between startsAt and endsAt. */
export interface Silence {
  id: number;
  matchers: Record<string, string>;
  startsAt: number;
  endsAt: number;
  author: string;
  comment: string;
  createdAt: number;
}

export interface StoreStats {
  bytes: number;
  series: number;
  rawSamples: number;
  events: number;
}

/**
 * The narrow interface every storage backend implements. The embedded default is SQLite; a
 * PostgreSQL / remote-write backend can take over by implementing the same methods.
 * Methods are synchronous because node:sqlite is; an async backend would wrap this in a queue.
 */
export interface Store {
  // Status of hosts and services (state machine memory).
  loadStatuses(): ObjectStatus[];
  saveStatuses(statuses: ObjectStatus[]): void;
  deleteStatuses(ids: string[]): void;

  // History.
  appendEvents(events: MonitoringEvent[]): void;
  queryEvents(query: EventQuery): MonitoringEvent[];

  // Downtimes and comments.
  addDowntime(d: Omit<Downtime, 'id'>): Downtime;
  updateDowntime(d: Downtime): void;
  listDowntimes(opts?: { objectId?: string; includeEnded?: boolean }): Downtime[];
  getDowntime(id: number): Downtime | null;
  addComment(c: Omit<Comment, 'id'>): Comment;
  listComments(opts?: { objectId?: string }): Comment[];
  deleteComment(id: number): boolean;

  // Metrics.
  writeSamples(samples: Sample[]): void;
  queryRange(q: RangeQuery): RangeResult | null;
  listSeries(match?: { name?: string; labels?: Record<string, string> }): SeriesInfo[];

  // API tokens (stored as hashes only).
  addToken(name: string, hash: string, role: string): ApiToken;
  findTokenByHash(hash: string): ApiToken | null;
  touchToken(id: number, time: number): void;
  listTokens(): ApiToken[];
  revokeToken(name: string): boolean;

  // Dashboard users, sessions and the audit log (src/web/users, src/web/sessions).
  addUser(u: NewUser): UserRecord;
  getUser(name: string): UserRecord | null;
  getUserById(id: number): UserRecord | null;
  listUsers(): UserRecord[];
  updateUser(name: string, patch: UserPatch): boolean;
  deleteUser(name: string): boolean;
  addSession(s: SessionRecord): void;
  getSession(idHash: string): SessionRecord | null;
  touchSession(idHash: string, time: number): void;
  deleteSession(idHash: string): void;
  deleteUserSessions(userId: number): number;
  deleteExpiredSessions(now: number, idleMs: number): number;
  appendAudit(e: Omit<AuditEntry, 'id'>): AuditEntry;
  /**
   * Stores events shipped by a reporter (a bastion) in one transaction; events whose
   * (source, eventId) is stored already are skipped. Returns how many were new.
   */
  ingestAudit(source: string, entries: (Omit<AuditEntry, 'id' | 'source'> & { eventId: string })[]): number;
  /** Every source in the audit log (`local`, then reporters by name). */
  auditSources(): string[];
  queryAudit(q: AuditQuery): AuditEntry[];

  // Notification outbox (written before sending; see NewOutboxEntry).
  /** Adds entries whose dedupKey is new; returns how many were added. */
  enqueueNotifications(entries: NewOutboxEntry[]): number;
  /** Pending entries due at `now`, oldest first. */
  dueNotifications(now: number, limit: number): OutboxEntry[];
  /** When the next pending entry is due, or null when none is pending. */
  nextNotificationDueAt(): number | null;
  getNotification(id: number): OutboxEntry | null;
  listNotifications(opts?: { status?: OutboxEntry['status']; limit?: number }): OutboxEntry[];
  markNotificationDelivered(id: number, time: number, response: string): void;
  /** Counts a failed attempt; nextAttemptAt null gives up (status failed). */
  markNotificationFailed(id: number, error: string, nextAttemptAt: number | null): void;
  outboxStats(): OutboxStats;
  /** Deletes delivered/failed entries created before `before`. */
  pruneNotifications(before: number): number;

  // Silences.
  addSilence(s: Omit<Silence, 'id'>): Silence;
  /** All silences, or those not ended at `activeAt` (active or future). */
  listSilences(opts?: { activeAt?: number }): Silence[];
  /** Ends a silence now; null when there is no such silence. */
  expireSilence(id: number, now: number): Silence | null;

  // Alerting's per-object memory (opaque JSON).
  loadAlertStates(): { id: string; data: unknown }[];
  saveAlertStates(states: { id: string; data: unknown }[]): void;
  deleteAlertStates(ids: string[]): void;

  // Small key/value state (e.g. last rollup time).
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;

  /**
   * Rolls raw samples up into 5m/1h and deletes what is past retention. Idempotent. Does a bounded
   * amount of work (a time budget); when the report says done: false, call it again soon.
   */
  runMaintenance(now: number): MaintenanceReport;

  /**
   * Runs fn in one transaction: the writes it makes commit together or not at all (a nested call
   * joins the outer transaction). Returns what fn returns; rethrows what it throws after rolling back.
   */
  transaction<T>(fn: () => T): T;
  stats(): StoreStats;
  close(): void;
}
