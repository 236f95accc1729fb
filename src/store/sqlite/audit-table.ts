import type { AuditEntry, AuditQuery } from '../users-types.ts';
import type { Connection } from './connection.ts';

interface AuditRow {
  id: number;
  time: number;
  actor: string;
  action: string;
  target: string;
  outcome: AuditEntry['outcome'];
  ip: string;
  details: string;
}

function fromRow(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    time: r.time,
    actor: r.actor,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

/** Append-only log of logins, failures and actions; never updated, newest first when read. */
export class AuditTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  append(e: Omit<AuditEntry, 'id'>): AuditEntry {
    const r = this.#conn
      .statement(
        'INSERT INTO audit (time, actor, action, target, outcome, ip, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.time, e.actor, e.action, e.target, e.outcome, e.ip, JSON.stringify(e.details));
    return { ...e, id: Number(r.lastInsertRowid) };
  }

  query(q: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      args.push(value);
    };
    add('time >= ?', q.from);
    add('time < ?', q.to);
    add('actor = ?', q.actor);
    add('action = ?', q.action);
    add('outcome = ?', q.outcome);
    add('id < ?', q.beforeId);
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
    return (this.#conn.statement(sql).all(...args) as unknown as AuditRow[]).map(fromRow);
  }
}
