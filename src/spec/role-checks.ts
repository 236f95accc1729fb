/**
 * Which checks a host gets from its roles. A role may build on other roles (`roles: [linux]`):
 * those come first, and every role applies once however many ways it is reached, so
 * `roles: [linux, wso2-apim]` with wso2-apim building on linux gives linux's checks once. Two
 * roles that define the same check identically give it once; a role that builds on another may
 * redefine that one's checks; any other two definitions of one check name conflict, and the
 * host must choose in its own checks. Pure: validation (references.ts) reports the conflicts,
 * resolution (resolve.ts) plans the services, from the same answer.
 */
import { asArray, asObject, type PlainObject, stringAt } from './plain-data.ts';
import type { Origin } from './source-file.ts';

/** What ordering roles needs to know of one: its document. */
export interface RoleValue {
  value: PlainObject;
}

/** What this module needs to know of a role (MergedRole fits). */
export interface RoleSource extends RoleValue {
  origin: Origin;
}

/** The roles a role builds on, as written (invalid entries skipped). */
export function baseRolesOf(role: RoleValue | undefined): string[] {
  return asArray(role?.value.roles).filter((r): r is string => typeof r === 'string');
}

export interface AppliedRole {
  name: string;
  /** Index in the host's `roles` list of the entry that brought this role. */
  via: number;
}

/**
 * The roles a host's `roles` list applies, each once, in order: a role's base roles (depth
 * first) before the role itself. Unknown roles and cycles are skipped here (references.ts
 * reports them).
 */
export function applyRoles(listed: unknown[], roles: ReadonlyMap<string, RoleValue>): AppliedRole[] {
  const applied: AppliedRole[] = [];
  const seen = new Set<string>();
  const visit = (name: string, via: number): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const role = roles.get(name);
    if (role === undefined) return;
    for (const base of baseRolesOf(role)) visit(base, via);
    applied.push({ name, via });
  };
  listed.forEach((name, i) => {
    if (typeof name === 'string') visit(name, i);
  });
  return applied;
}

/** Whether `role` builds on `base`, directly or through other roles. */
export function buildsOn(role: string, base: string, roles: ReadonlyMap<string, RoleValue>): boolean {
  const seen = new Set<string>();
  const pending = [...baseRolesOf(roles.get(role))];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next === base) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...baseRolesOf(roles.get(next)));
  }
  return false;
}

export interface RoleCheck {
  name: string;
  /** The check as the role writes it. */
  check: PlainObject;
  role: string;
  origin: Origin;
  /** Index in the host's `roles` list of the entry that brought it. */
  via: number;
}

export interface RoleCheckConflict {
  name: string;
  kept: RoleCheck;
  other: RoleCheck;
}

/** JSON with object keys sorted: equal for checks that say the same thing in any key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = asObject(value);
  if (object === undefined) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(',')}}`;
}

/**
 * The checks a host's roles give it, in role order, one per name, and the conflicts between
 * roles (the first definition is kept for each).
 */
export function roleChecksOf(
  listed: unknown[],
  roles: ReadonlyMap<string, RoleSource>,
): { checks: RoleCheck[]; conflicts: RoleCheckConflict[] } {
  const checks: RoleCheck[] = [];
  const conflicts: RoleCheckConflict[] = [];
  for (const { name: roleName, via } of applyRoles(listed, roles)) {
    const role = roles.get(roleName)!;
    asArray(role.value.checks).forEach((item, i) => {
      const check = asObject(item);
      const name = stringAt(check, 'name');
      if (check === undefined || name === undefined) return;
      const entry: RoleCheck = {
        name,
        check,
        role: roleName,
        origin: { file: role.origin.file, path: [...role.origin.path, 'checks', i] },
        via,
      };
      const at = checks.findIndex((c) => c.name === name);
      if (at < 0) {
        checks.push(entry);
        return;
      }
      const earlier = checks[at]!;
      // The same role twice (a repeated name in its own list) is its own problem, reported there.
      if (earlier.role === roleName || canonical(earlier.check) === canonical(check)) return;
      if (buildsOn(roleName, earlier.role, roles)) checks[at] = entry;
      else conflicts.push({ name, kept: earlier, other: entry });
    });
  }
  return { checks, conflicts };
}
