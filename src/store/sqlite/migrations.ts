import type { Connection } from './connection.ts';

/**
 * A numbered schema change. Versions start at 1 and increase by one; each is applied once, in
 * order, in its own transaction together with its row in schema_migrations. Never edit a
 * migration that has shipped: add the next number (outbox, users, audit, ... go here).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'statuses, events, downtimes, comments, tokens, meta, metrics',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- ObjectStatus as JSON: read whole at start, written whole on change.
      CREATE TABLE statuses (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL
      ) STRICT;

      -- AUTOINCREMENT: an id is never handed out twice, even once retention has deleted every
      -- row, so ids keep increasing with time and paging by id (beforeId) stays stable.
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,
        type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        host TEXT NOT NULL,
        service TEXT,
        environment TEXT NOT NULL,
        state INTEGER,
        hard INTEGER,
        data TEXT NOT NULL -- JSON: the rest of the event
      ) STRICT;
      CREATE INDEX events_object ON events (object_id, id);
      CREATE INDEX events_host ON events (host, id);
      CREATE INDEX events_time ON events (time);

      CREATE TABLE downtimes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        object_id TEXT NOT NULL,
        include_services INTEGER NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL,
        fixed INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        author TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        cancelled INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX downtimes_object ON downtimes (object_id);

      CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        object_id TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        time INTEGER NOT NULL,
        source TEXT NOT NULL,
        persistent INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX comments_object ON comments (object_id);

      -- Only SHA-256 hashes of API tokens; a stolen database grants nothing.
      CREATE TABLE tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;

      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        labels TEXT NOT NULL, -- JSON object
        unit TEXT
      ) STRICT;
      CREATE INDEX series_name ON series (name);

      -- Raw samples, clustered by series then time (WITHOUT ROWID: the primary key is the table),
      -- so a range query for one series reads consecutive pages. No foreign key to series: it
      -- would cost a lookup per sample, and series rows are never deleted.
      CREATE TABLE samples (
        series_id INTEGER NOT NULL,
        t INTEGER NOT NULL,
        v REAL NOT NULL,
        PRIMARY KEY (series_id, t)
      ) STRICT, WITHOUT ROWID;

      -- Write-ahead log of samples not yet in the samples table. Writes arrive time-major (one
      -- sample for each of many series); put straight into samples, every commit would dirty one
      -- page per series. Appended here in arrival order they fill a few pages per commit; a copy
      -- held in memory (WriteBuffer) serves queries and later moves into samples series by
      -- series, many samples per page. Rebuilt from this table on open.
      CREATE TABLE samples_recent (
        seq INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL,
        t INTEGER NOT NULL,
        v REAL NOT NULL
      ) STRICT;

      -- Rollups: t is the bucket start; avg = sum / count.
      CREATE TABLE rollup_5m (
        series_id INTEGER NOT NULL,
        t INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (series_id, t)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE rollup_1h (
        series_id INTEGER NOT NULL,
        t INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (series_id, t)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'dashboard users, sessions, audit log',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL, -- scrypt, with its parameters and salt
        totp_secret TEXT,
        totp_confirmed INTEGER NOT NULL,
        totp_last_step INTEGER NOT NULL,
        recovery_codes TEXT NOT NULL, -- JSON array of SHA-256 hashes
        roles TEXT NOT NULL, -- JSON object: environment (or *) -> role
        failed_logins INTEGER NOT NULL,
        locked_until INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Keyed by the SHA-256 of the cookie value: a stolen database holds no usable session.
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        stage TEXT NOT NULL,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ip TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        outcome TEXT NOT NULL,
        ip TEXT NOT NULL,
        details TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_time ON audit (time);
    `,
  },
  {
    version: 3,
    name: 'notification outbox, silences, alert states',
    sql: `
      -- A notification is a row here before it is sent; dedup_key makes writing it twice a no-op.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedup_key TEXT NOT NULL UNIQUE,
        receiver TEXT NOT NULL,
        payload TEXT NOT NULL, -- JSON: the notification
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        status TEXT NOT NULL, -- pending | delivered | failed
        delivered_at INTEGER,
        last_error TEXT,
        response TEXT
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

      CREATE TABLE silences (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        matchers TEXT NOT NULL, -- JSON: label -> value or ~regex
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        author TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE alert_states (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL -- JSON, owned by src/alerting
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'audit entries shipped from bastions (source, event id)',
    sql: `
      ALTER TABLE audit ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
      ALTER TABLE audit ADD COLUMN event_id TEXT;
      -- A reporter re-sends what it is not sure arrived; the second copy must be a no-op.
      CREATE UNIQUE INDEX audit_event ON audit (source, event_id) WHERE event_id IS NOT NULL;
      CREATE INDEX audit_source_time ON audit (source, time);
    `,
  },
];

/** Brings the schema up to the newest migration; returns the versions applied now. */
export function migrate(conn: Connection, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`store migrations must be numbered 1, 2, 3, ...: entry ${i} has version ${m.version}`);
    }
  });
  conn.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const row = conn.db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as {
    v: number | null;
  };
  const current = row.v ?? 0;
  if (current > migrations.length) {
    throw new Error(
      `the store at ${conn.path} has schema version ${current}, newer than this Steward knows (${migrations.length}); run a newer Steward or restore a matching backup`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    try {
      conn.transaction(() => {
        conn.db.exec(m.sql);
        conn.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(m.version, m.name, Date.now());
      });
    } catch (err) {
      throw new Error(
        `store schema migration ${m.version} (${m.name}) failed on ${conn.path}: ${(err as Error).message}; the database was left at version ${m.version - 1}`,
      );
    }
    applied.push(m.version);
  }
  return applied;
}
