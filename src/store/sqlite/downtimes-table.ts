import type { Downtime } from '../../core/index.ts';
import type { Connection } from './connection.ts';

interface DowntimeRow {
  id: number;
  object_id: string;
  include_services: number;
  start_time: number;
  end_time: number;
  fixed: number;
  duration_ms: number;
  author: string;
  comment: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  cancelled: number;
}

const COLUMNS =
  'id, object_id, include_services, start_time, end_time, fixed, duration_ms, author, comment, created_at, started_at, ended_at, cancelled';

function fromRow(r: DowntimeRow): Downtime {
  return {
    id: r.id,
    objectId: r.object_id,
    includeServices: r.include_services === 1,
    start: r.start_time,
    end: r.end_time,
    fixed: r.fixed === 1,
    durationMs: r.duration_ms,
    author: r.author,
    comment: r.comment,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    cancelled: r.cancelled === 1,
  };
}

export class DowntimesTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  add(d: Omit<Downtime, 'id'>): Downtime {
    const r = this.#conn
      .statement(
        `INSERT INTO downtimes (object_id, include_services, start_time, end_time, fixed, duration_ms, author, comment, created_at, started_at, ended_at, cancelled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...downtimeColumns(d));
    return { ...d, id: Number(r.lastInsertRowid) };
  }

  update(d: Downtime): void {
    const r = this.#conn
      .statement(
        `UPDATE downtimes SET object_id = ?, include_services = ?, start_time = ?, end_time = ?, fixed = ?, duration_ms = ?,
           author = ?, comment = ?, created_at = ?, started_at = ?, ended_at = ?, cancelled = ?
         WHERE id = ?`,
      )
      .run(...downtimeColumns(d), d.id);
    if (r.changes === 0) throw new Error(`cannot update downtime ${d.id}: there is no downtime with that id`);
  }

  get(id: number): Downtime | null {
    const row = this.#conn.statement(`SELECT ${COLUMNS} FROM downtimes WHERE id = ?`).get(id) as
      | DowntimeRow
      | undefined;
    return row ? fromRow(row) : null;
  }

  /** Pending and active downtimes (all, with includeEnded), by start time. */
  list(opts: { objectId?: string; includeEnded?: boolean } = {}): Downtime[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.objectId !== undefined) {
      where.push('object_id = ?');
      args.push(opts.objectId);
    }
    if (!opts.includeEnded) where.push('ended_at IS NULL AND cancelled = 0');
    const sql = `SELECT ${COLUMNS} FROM downtimes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_time, id`;
    return (this.#conn.statement(sql).all(...args) as unknown as DowntimeRow[]).map(fromRow);
  }
}

/** A downtime's values in the column order of INSERT and UPDATE above. */
function downtimeColumns(d: Omit<Downtime, 'id'>): (string | number | null)[] {
  return [
    d.objectId,
    d.includeServices ? 1 : 0,
    d.start,
    d.end,
    d.fixed ? 1 : 0,
    d.durationMs,
    d.author,
    d.comment,
    d.createdAt,
    d.startedAt,
    d.endedAt,
    d.cancelled ? 1 : 0,
  ];
}
