import type { Silence } from '../types.ts';
import type { Connection } from './connection.ts';

interface SilenceRow {
  id: number;
  matchers: string;
  starts_at: number;
  ends_at: number;
  author: string;
  comment: string;
  created_at: number;
}

function fromRow(r: SilenceRow): Silence {
  return {
    id: r.id,
    matchers: JSON.parse(r.matchers) as Record<string, string>,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    author: r.author,
    comment: r.comment,
    createdAt: r.created_at,
  };
}

/** Silences: label matchers muting alerts between startsAt and endsAt. Expiring sets endsAt. */
export class SilencesTable {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  add(s: Omit<Silence, 'id'>): Silence {
    const r = this.#conn
      .statement(
        'INSERT INTO silences (matchers, starts_at, ends_at, author, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.author, s.comment, s.createdAt);
    return { ...s, id: Number(r.lastInsertRowid) };
  }

  list(opts: { activeAt?: number }): Silence[] {
    const rows = (opts.activeAt === undefined
      ? this.#conn.statement('SELECT * FROM silences ORDER BY id').all()
      : this.#conn
          .statement('SELECT * FROM silences WHERE ends_at > ? ORDER BY id')
          .all(opts.activeAt)) as unknown as SilenceRow[];
    return rows.map(fromRow);
  }

  expire(id: number, now: number): Silence | null {
    this.#conn.statement('UPDATE silences SET ends_at = min(ends_at, ?) WHERE id = ?').run(now, id);
    const row = this.#conn.statement('SELECT * FROM silences WHERE id = ?').get(id) as SilenceRow | undefined;
    return row ? fromRow(row) : null;
  }
}
