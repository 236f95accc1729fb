import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, Store } from '../store/types.ts';

export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Tokens are stored as SHA-256 hashes only: the store never holds anything that grants access. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token and returns it in clear text, the only time it is ever visible. */
export function createApiToken(
  store: Store,
  name: string,
  role: TokenRole = 'admin',
): { token: string; info: ApiToken } {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) {
    throw new Error(`token name "${name}" is not allowed: use 1-64 letters, digits, '_', '.', '@' or '-'`);
  }
  if (store.listTokens().some((t) => t.name === name)) {
    throw new Error(
      `a token named "${name}" exists already: revoke it first (steward token revoke ${name}) or pick another name`,
    );
  }
  const token = `stw_${randomBytes(32).toString('base64url')}`;
  const info = store.addToken(name, hashToken(token), role);
  return { token, info };
}

export function roleAllows(role: string, needed: TokenRole): boolean {
  return TOKEN_ROLES.indexOf(role as TokenRole) >= TOKEN_ROLES.indexOf(needed);
}
