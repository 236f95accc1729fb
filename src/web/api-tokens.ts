import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, Store } from '../store/types.ts';

/** Roles of people and their tools, each allowed what the one before is, and more. */
export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];
/**
 * Roles of machines that only report: `audit-writer` may append to the audit log
 * (POST /api/v1/audit/events, e.g. a bastion's `steward gateway --report-to`) and nothing else,
 * not even read it, so a token stolen from a bastion in a public subnet opens nothing.
 */
export const REPORTER_ROLES = ['audit-writer'] as const;
export type ReporterRole = (typeof REPORTER_ROLES)[number];
export type ApiRole = TokenRole | ReporterRole;

/** Tokens are stored as SHA-256 hashes only: the store never holds anything that grants access. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token and returns it in clear text, the only time it is ever visible. */
export function createApiToken(
  store: Store,
  name: string,
  role: ApiRole = 'admin',
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

export function roleAllows(role: string, needed: ApiRole): boolean {
  if ((REPORTER_ROLES as readonly string[]).includes(needed)) return role === needed;
  const have = TOKEN_ROLES.indexOf(role as TokenRole);
  return have >= 0 && have >= TOKEN_ROLES.indexOf(needed as TokenRole);
}
