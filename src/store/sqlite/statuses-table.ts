import type { ObjectStatus } from '../../core/index.ts';
import type { Connection } from './connection.ts';

/** Object statuses, one JSON document per object id. */
export class StatusesTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  load(): ObjectStatus[] {
    const rows = this.#conn.statement('SELECT status FROM statuses ORDER BY id').all() as {
      status: string;
    }[];
    return rows.map((r) => JSON.parse(r.status) as ObjectStatus);
  }

  save(statuses: readonly ObjectStatus[]): void {
    if (statuses.length === 0) return;
    const upsert = this.#conn.statement(
      'INSERT INTO statuses (id, status) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status',
    );
    this.#conn.transaction(() => {
      for (const s of statuses) upsert.run(s.id, JSON.stringify(s));
    });
  }

  delete(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const del = this.#conn.statement('DELETE FROM statuses WHERE id = ?');
    this.#conn.transaction(() => {
      for (const id of ids) del.run(id);
    });
  }
}
