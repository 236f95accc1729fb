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
  source: string;
  event_id: string | null;
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
    source: r.source,
    ...(r.event_id !== null ? { eventId: r.event_id } : {}),
  };
}

const COLUMNS = '(time, actor, action, target, outcome, ip, details, source, event_id)';
const PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';

function row(e: Omit<AuditEntry, 'id' | 'source'>, source: string): (string | number | null)[] {
  const { time, actor, action, target, outcome, ip, details, eventId } = e;
  return [time, actor, action, target, outcome, ip, JSON.stringify(details), source, eventId ?? null];
}

/** Append-only log of logins, failures and actions; never updated, newest first when read. */
export class AuditTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  append(e: Omit<AuditEntry, 'id'>): AuditEntry {
    const source = e.source ?? 'local';
    const r = this.#conn
      .statement(`INSERT INTO audit ${COLUMNS} VALUES ${PLACEHOLDERS}`)
      .run(...row(e, source));
    return { ...e, source, id: Number(r.lastInsertRowid) };
  }

  /**
   * Appends events a reporter shipped; one whose (source, eventId) is stored already is skipped.
   * Returns how many were new. The caller runs it in a transaction (a batch lands whole or not).
   */
  ingest(source: string, entries: (Omit<AuditEntry, 'id' | 'source'> & { eventId: string })[]): number {
    const insert = this.#conn.statement(
      `INSERT INTO audit ${COLUMNS} VALUES ${PLACEHOLDERS} ON CONFLICT (source, event_id) WHERE event_id IS NOT NULL DO NOTHING`,
    );
    let added = 0;
    for (const e of entries) added += Number(insert.run(...row(e, source)).changes);
    return added;
  }

  /** The sources seen, `local` first, for the dashboard's filter. */
  sources(): string[] {
    const rows = this.#conn.statement('SELECT DISTINCT source FROM audit').all() as { source: string }[];
    return rows
      .map((r) => r.source)
      .sort((a, b) => (a === 'local' ? -1 : b === 'local' ? 1 : a.localeCompare(b)));
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
    add('source = ?', q.source);
    add('id < ?', q.beforeId);
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
    return (this.#conn.statement(sql).all(...args) as unknown as AuditRow[]).map(fromRow);
  }
}
