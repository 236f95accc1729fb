import type { Connection } from './connection.ts';

/** Small key/value state that must survive restarts (rollup boundaries, last reload, ...). */
export class MetaTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  get(key: string): string | null {
    const row = this.#conn.statement('SELECT value FROM meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row ? row.value : null;
  }

  set(key: string, value: string): void {
    this.#conn
      .statement(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  delete(key: string): void {
    this.#conn.statement('DELETE FROM meta WHERE key = ?').run(key);
  }

  getNumber(key: string): number | null {
    const v = this.get(key);
    return v === null ? null : Number(v);
  }

  setNumber(key: string, value: number): void {
    this.set(key, String(value));
  }
}
