import type { NewOutboxEntry, OutboxEntry, OutboxStats } from '../types.ts';
import type { Connection } from './connection.ts';

interface OutboxRow {
  id: number;
  dedup_key: string;
  receiver: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  status: OutboxEntry['status'];
  delivered_at: number | null;
  last_error: string | null;
  response: string | null;
}

function fromRow(r: OutboxRow): OutboxEntry {
  return {
    id: r.id,
    dedupKey: r.dedup_key,
    receiver: r.receiver,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    status: r.status,
    deliveredAt: r.delivered_at,
    lastError: r.last_error,
    response: r.response,
  };
}

/**
 * The notification outbox: a notification is a row before it is sent, so a crash between deciding
 * and delivering loses nothing. dedup_key is unique: writing the same notification twice (a restart
 * re-deriving it) is a no-op, and one delivered is never queued again.
 */
export class OutboxTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  enqueue(entries: NewOutboxEntry[]): number {
    const insert = this.#conn.statement(
      `INSERT INTO outbox (dedup_key, receiver, payload, created_at, attempts, next_attempt_at, status)
       VALUES (?, ?, ?, ?, 0, ?, 'pending') ON CONFLICT (dedup_key) DO NOTHING`,
    );
    let added = 0;
    for (const e of entries) {
      added += Number(
        insert.run(e.dedupKey, e.receiver, JSON.stringify(e.payload), e.createdAt, e.createdAt).changes,
      );
    }
    return added;
  }

  due(now: number, limit: number): OutboxEntry[] {
    const rows = this.#conn
      .statement(
        `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      )
      .all(now, limit) as unknown as OutboxRow[];
    return rows.map(fromRow);
  }

  nextAttemptAt(): number | null {
    const row = this.#conn
      .statement(`SELECT min(next_attempt_at) AS t FROM outbox WHERE status = 'pending'`)
      .get() as { t: number | null };
    return row.t;
  }

  get(id: number): OutboxEntry | null {
    const row = this.#conn.statement('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row ? fromRow(row) : null;
  }

  list(opts: { status?: OutboxEntry['status']; limit?: number }): OutboxEntry[] {
    const rows = (opts.status
      ? this.#conn
          .statement('SELECT * FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ?')
          .all(opts.status, opts.limit ?? 100)
      : this.#conn
          .statement('SELECT * FROM outbox ORDER BY id DESC LIMIT ?')
          .all(opts.limit ?? 100)) as unknown as OutboxRow[];
    return rows.map(fromRow);
  }

  delivered(id: number, time: number, response: string): void {
    this.#conn
      .statement(
        `UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, response = ?, last_error = NULL WHERE id = ?`,
      )
      .run(time, response.slice(0, 2000), id);
  }

  attemptFailed(id: number, error: string, nextAttemptAt: number | null): void {
    this.#conn
      .statement(
        `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
           status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?`,
      )
      .run(error.slice(0, 2000), nextAttemptAt, nextAttemptAt, id);
  }

  stats(): OutboxStats {
    const rows = this.#conn
      .statement('SELECT status, count(*) AS n, min(created_at) AS oldest FROM outbox GROUP BY status')
      .all() as { status: OutboxEntry['status']; n: number; oldest: number | null }[];
    const stats: OutboxStats = { pending: 0, delivered: 0, failed: 0, oldestPendingAt: null };
    for (const r of rows) {
      stats[r.status] = r.n;
      if (r.status === 'pending') stats.oldestPendingAt = r.oldest;
    }
    const retries = this.#conn
      .statement("SELECT coalesce(sum(attempts), 0) AS n FROM outbox WHERE attempts > 1 OR status = 'failed'")
      .get() as { n: number };
    stats.failedAttempts = retries.n;
    return stats;
  }

  /** Deletes delivered and failed rows created before `before`; pending rows stay. */
  prune(before: number): number {
    return Number(
      this.#conn.statement(`DELETE FROM outbox WHERE status != 'pending' AND created_at < ?`).run(before)
        .changes,
    );
  }
}
