import type { Connection } from './connection.ts';

/** Alerting's memory per object (JSON, opaque to the store): what was notified, what still owes a recovery. */
export class AlertStatesTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  load(): { id: string; data: unknown }[] {
    const rows = this.#conn.statement('SELECT id, data FROM alert_states').all() as {
      id: string;
      data: string;
    }[];
    return rows.map((r) => ({ id: r.id, data: JSON.parse(r.data) as unknown }));
  }

  save(states: { id: string; data: unknown }[]): void {
    const upsert = this.#conn.statement(
      'INSERT INTO alert_states (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    );
    for (const s of states) upsert.run(s.id, JSON.stringify(s.data));
  }

  delete(ids: string[]): void {
    const del = this.#conn.statement('DELETE FROM alert_states WHERE id = ?');
    for (const id of ids) del.run(id);
  }
}
