import { roleAllows, TOKEN_ROLES, type TokenRole } from '../api-tokens.ts';

export type Role = TokenRole;
export const ROLES = TOKEN_ROLES;

/**
 * Parses "prod=viewer,dev=operator,*=viewer" (or a single role for every environment) into the
 * per-environment map a user record holds.
 */
export function parseRoles(text: string): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [env, role] = part.includes('=') ? part.split('=', 2).map((s) => s.trim()) : ['*', part];
    if (!env || !ROLES.includes(role as Role)) {
      throw new Error(`--role "${part}" is not ENV=ROLE or ROLE: roles are ${ROLES.join(', ')}`);
    }
    out[env] = role as Role;
  }
  if (Object.keys(out).length === 0)
    throw new Error('give a role: --role viewer, or --role prod=viewer,dev=operator');
  return out;
}

/** The user's role in one environment, or null when the user may not even see it. */
export function roleIn(roles: Record<string, string>, environment: string): Role | null {
  const r = roles[environment] ?? roles['*'];
  return r && ROLES.includes(r as Role) ? (r as Role) : null;
}

export function mayIn(roles: Record<string, string>, environment: string, needed: Role): boolean {
  const r = roleIn(roles, environment);
  return r !== null && roleAllows(r, needed);
}

/** Admin somewhere, or everywhere through "*": what user management and the audit log need. */
export function isAdmin(roles: Record<string, string>): boolean {
  return roles['*'] === 'admin';
}
