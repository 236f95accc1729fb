import type { MonitoringEvent } from '../../core/index.ts';
import type { EventQuery } from '../types.ts';
import type { Connection } from './connection.ts';

export const DEFAULT_EVENT_LIMIT = 500;
export const MAX_EVENT_LIMIT = 10_000;

interface EventRow {
  id: number;
  time: number;
  type: MonitoringEvent['type'];
  object_id: string;
  host: string;
  service: string | null;
  environment: string;
  state: number | null;
  hard: number | null;
  data: string;
}

/** History: the fields queries filter on are columns, the rest of each event is JSON. */
export class EventsTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  append(events: readonly MonitoringEvent[]): void {
    if (events.length === 0) return;
    const insert = this.#conn.statement(
      `INSERT INTO events (time, type, object_id, host, service, environment, state, hard, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#conn.transaction(() => {
      for (const e of events) {
        const { id: _id, time, type, objectId, host, service, environment, state, hard, ...rest } = e;
        insert.run(
          time,
          type,
          objectId,
          host,
          service,
          environment,
          state ?? null,
          hard === undefined ? null : hard ? 1 : 0,
          JSON.stringify(rest),
        );
      }
    });
  }

  /** Newest first (by id); page backwards with beforeId = the last id of the previous page. */
  query(q: EventQuery): MonitoringEvent[] {
    const limit = Math.min(q.limit ?? DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT);
    if (!(limit > 0)) return [];
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (q.objectId !== undefined) add('object_id = ?', q.objectId);
    if (q.host !== undefined) add('host = ?', q.host);
    if (q.service !== undefined) add('service = ?', q.service);
    if (q.environment !== undefined) add('environment = ?', q.environment);
    // One JSON parameter, so the SQL text (and the statement cache) does not vary with the list.
    if (q.types !== undefined && q.types.length > 0) {
      add('type IN (SELECT value FROM json_each(?))', JSON.stringify(q.types));
    }
    if (q.hardOnly) add('hard = 1');
    if (q.from !== undefined) add('time >= ?', q.from);
    if (q.to !== undefined) add('time <= ?', q.to);
    if (q.beforeId !== undefined) add('id < ?', q.beforeId);
    const sql = `SELECT id, time, type, object_id, host, service, environment, state, hard, data FROM events
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.#conn.statement(sql).all(...args, Math.floor(limit)) as unknown as EventRow[];
    return rows.map(fromRow);
  }

  count(): number {
    return (this.#conn.statement('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }

  /** Deletes up to `max` events older than `before`; returns how many. */
  deleteOlderThan(before: number, max: number): number {
    return Number(
      this.#conn
        .statement(
          'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? ORDER BY time LIMIT ?)',
        )
        .run(before, max).changes,
    );
  }
}

function fromRow(r: EventRow): MonitoringEvent {
  const rest = JSON.parse(r.data) as Omit<
    MonitoringEvent,
    'time' | 'type' | 'objectId' | 'host' | 'service' | 'environment'
  >;
  const e: MonitoringEvent = {
    id: r.id,
    time: r.time,
    type: r.type,
    objectId: r.object_id,
    host: r.host,
    service: r.service,
    environment: r.environment,
    ...rest,
  };
  if (r.state !== null) e.state = r.state;
  if (r.hard !== null) e.hard = r.hard === 1;
  return e;
}
