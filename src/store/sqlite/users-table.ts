import type { NewUser, UserPatch, UserRecord } from '../users-types.ts';
import type { Connection } from './connection.ts';

interface UserRow {
  id: number;
  name: string;
  password_hash: string;
  totp_secret: string | null;
  totp_confirmed: number;
  totp_last_step: number;
  recovery_codes: string;
  roles: string;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

function fromRow(r: UserRow): UserRecord {
  return {
    id: r.id,
    name: r.name,
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
    totpConfirmed: r.totp_confirmed === 1,
    totpLastStep: r.totp_last_step,
    recoveryCodes: JSON.parse(r.recovery_codes) as string[],
    roles: JSON.parse(r.roles) as Record<string, string>,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS: Record<keyof UserPatch, string> = {
  passwordHash: 'password_hash',
  totpSecret: 'totp_secret',
  totpConfirmed: 'totp_confirmed',
  totpLastStep: 'totp_last_step',
  recoveryCodes: 'recovery_codes',
  roles: 'roles',
  failedLogins: 'failed_logins',
  lockedUntil: 'locked_until',
};

function toColumn(key: keyof UserPatch, value: unknown): string | number | null {
  if (key === 'recoveryCodes' || key === 'roles') return JSON.stringify(value);
  if (key === 'totpConfirmed') return value ? 1 : 0;
  return value as string | number | null;
}

export class UsersTable {
  readonly #conn: Connection;
  readonly #now: () => number;

  constructor(conn: Connection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  add(u: NewUser): UserRecord {
    if (this.get(u.name)) throw new Error(`a user named "${u.name}" exists already`);
    const t = this.#now();
    const r = this.#conn
      .statement(
        `INSERT INTO users (name, password_hash, totp_secret, totp_confirmed, totp_last_step, recovery_codes,
           roles, failed_logins, locked_until, created_at, updated_at)
         VALUES (?, ?, NULL, 0, -1, '[]', ?, 0, NULL, ?, ?)`,
      )
      .run(u.name, u.passwordHash, JSON.stringify(u.roles), t, t);
    return this.byId(Number(r.lastInsertRowid))!;
  }

  get(name: string): UserRecord | null {
    const row = this.#conn.statement('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row ? fromRow(row) : null;
  }

  byId(id: number): UserRecord | null {
    const row = this.#conn.statement('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? fromRow(row) : null;
  }

  list(): UserRecord[] {
    return (this.#conn.statement('SELECT * FROM users ORDER BY name').all() as unknown as UserRow[]).map(
      fromRow,
    );
  }

  update(name: string, patch: UserPatch): boolean {
    const keys = (Object.keys(patch) as (keyof UserPatch)[]).filter(
      (k) => COLUMNS[k] && patch[k] !== undefined,
    );
    const sets = keys.map((k) => `${COLUMNS[k]} = ?`);
    const values = keys.map((k) => toColumn(k, patch[k]));
    const r = this.#conn
      .statement(`UPDATE users SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE name = ?`)
      .run(...values, this.#now(), name);
    return r.changes > 0;
  }

  delete(name: string): boolean {
    return this.#conn.statement('DELETE FROM users WHERE name = ?').run(name).changes > 0;
  }
}
