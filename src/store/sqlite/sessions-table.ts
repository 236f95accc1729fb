import type { SessionRecord } from '../users-types.ts';
import type { Connection } from './connection.ts';

interface SessionRow {
  id_hash: string;
  user_id: number;
  stage: SessionRecord['stage'];
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string;
}

function fromRow(r: SessionRow): SessionRecord {
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    stage: r.stage,
    csrfToken: r.csrf_token,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    ip: r.ip,
  };
}

/** Dashboard sessions, keyed by the SHA-256 of the cookie value (the cookie itself is never stored). */
export class SessionsTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  add(s: SessionRecord): void {
    this.#conn
      .statement(
        `INSERT INTO sessions (id_hash, user_id, stage, csrf_token, created_at, last_seen_at, expires_at, ip)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.idHash, s.userId, s.stage, s.csrfToken, s.createdAt, s.lastSeenAt, s.expiresAt, s.ip);
  }

  get(idHash: string): SessionRecord | null {
    const row = this.#conn.statement('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as
      | SessionRow
      | undefined;
    return row ? fromRow(row) : null;
  }

  touch(idHash: string, time: number): void {
    this.#conn.statement('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(time, idHash);
  }

  delete(idHash: string): void {
    this.#conn.statement('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  deleteForUser(userId: number): number {
    return Number(this.#conn.statement('DELETE FROM sessions WHERE user_id = ?').run(userId).changes);
  }

  deleteExpired(now: number, idleMs: number): number {
    return Number(
      this.#conn
        .statement('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?')
        .run(now, now - idleMs).changes,
    );
  }
}
