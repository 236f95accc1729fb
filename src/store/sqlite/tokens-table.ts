import type { ApiToken } from '../types.ts';
import type { Connection } from './connection.ts';

interface TokenRow {
  id: number;
  name: string;
  role: string;
  created_at: number;
  last_used_at: number | null;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function fromRow(r: TokenRow): ApiToken {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

/** API tokens, stored as SHA-256 hex hashes only. No method ever returns a hash. */
export class TokensTable {
  readonly #conn: Connection;
  readonly #now: () => number;

  constructor(conn: Connection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  add(name: string, hash: string, role: string): ApiToken {
    const h = normaliseHash(hash);
    if (name.trim() === '') throw new Error('an API token needs a name');
    const taken = this.#conn.statement('SELECT name FROM tokens WHERE name = ? OR hash = ?').all(name, h) as {
      name: string;
    }[];
    if (taken.some((t) => t.name === name)) {
      throw new Error(`an API token named "${name}" already exists: revoke it first or choose another name`);
    }
    if (taken.length > 0)
      throw new Error('this token is already stored under another name; generate a new token');
    const createdAt = this.#now();
    const r = this.#conn
      .statement('INSERT INTO tokens (name, hash, role, created_at) VALUES (?, ?, ?, ?)')
      .run(name, h, role, createdAt);
    return { id: Number(r.lastInsertRowid), name, role, createdAt, lastUsedAt: null };
  }

  findByHash(hash: string): ApiToken | null {
    const h = hash.toLowerCase();
    if (!SHA256_HEX.test(h)) return null;
    const row = this.#conn
      .statement('SELECT id, name, role, created_at, last_used_at FROM tokens WHERE hash = ?')
      .get(h) as TokenRow | undefined;
    return row ? fromRow(row) : null;
  }

  touch(id: number, time: number): void {
    this.#conn.statement('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(time, id);
  }

  list(): ApiToken[] {
    const rows = this.#conn
      .statement('SELECT id, name, role, created_at, last_used_at FROM tokens ORDER BY name')
      .all();
    return (rows as unknown as TokenRow[]).map(fromRow);
  }

  revoke(name: string): boolean {
    return this.#conn.statement('DELETE FROM tokens WHERE name = ?').run(name).changes > 0;
  }
}

function normaliseHash(hash: string): string {
  const h = hash.toLowerCase();
  // The message never repeats the value: a caller passing the token itself by mistake must not log it.
  if (!SHA256_HEX.test(h))
    throw new Error('addToken expects the SHA-256 hash of the token as 64 hex digits, not the token');
  return h;
}
