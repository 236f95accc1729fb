/**
 * Checks what the schema cannot see on its own: names that must be unique, and names that must
 * refer to something (roles, parents) — across all files, with did-you-mean for near misses.
 */
import { closestMatch } from './did-you-mean.ts';
import type { MergedHost, MergedSpec } from './merge.ts';
import { asArray, asObject, stringAt } from './plain-data.ts';
import { buildsOn, type RoleCheck, roleChecksOf } from './role-checks.ts';
import { describeOrigin, type FileProblem, type Origin } from './source-file.ts';

function didYouMeanHint(name: string, known: string[], otherwise: string): string {
  const suggestion = closestMatch(name, known);
  return suggestion === undefined ? otherwise : `did you mean \`${suggestion}\`?`;
}

/** The named checks in a list, with duplicates reported. */
function checksOf(
  list: unknown,
  origin: Origin,
  owner: string,
  problems: FileProblem[],
): Map<string, Origin> {
  const byName = new Map<string, Origin>();
  asArray(list).forEach((item, i) => {
    const name = stringAt(asObject(item), 'name');
    if (name === undefined) return;
    const checkOrigin: Origin = { file: origin.file, path: [...origin.path, 'checks', i] };
    const first = byName.get(name);
    if (first !== undefined) {
      problems.push({
        file: origin.file,
        path: [...checkOrigin.path, 'name'],
        message: `${owner} has two checks named \`${name}\` (the first at ${describeOrigin(first)})`,
        hint: 'rename one: check names are unique per host (the service id is host/name)',
      });
      return;
    }
    byName.set(name, checkOrigin);
  });
  return byName;
}

function checkUniqueHosts(spec: MergedSpec, problems: FileProblem[]): void {
  const first = new Map<string, MergedHost>();
  for (const host of spec.hosts) {
    const earlier = first.get(host.name);
    if (earlier === undefined) {
      first.set(host.name, host);
      continue;
    }
    problems.push({
      file: host.origin.file,
      path: [...host.origin.path, 'name'],
      message: `host \`${host.name}\` is already defined at ${describeOrigin(earlier.origin)} (environment ${earlier.environment})`,
      hint: 'rename one: host names are unique across all environments of the deployment',
    });
  }
}

function unknownRole(name: string, knownRoles: string[]): string {
  return didYouMeanHint(
    name,
    knownRoles,
    knownRoles.length === 0
      ? 'define it under `roles:` in the spec or an included file'
      : `defined roles: ${knownRoles.join(', ')}`,
  );
}

/** A role's `roles:` (the roles it builds on): each must exist, and none may lead back to it. */
function checkBaseRoles(spec: MergedSpec, problems: FileProblem[]): void {
  const knownRoles = [...spec.roles.keys()];
  for (const role of spec.roles.values()) {
    asArray(role.value.roles).forEach((base, i) => {
      if (typeof base !== 'string') return;
      const at = { file: role.origin.file, path: [...role.origin.path, 'roles', i] };
      if (base === role.name) {
        problems.push({
          ...at,
          message: `role \`${role.name}\` builds on itself`,
          hint: 'list the roles it builds on (e.g. linux), not the role itself',
        });
      } else if (!spec.roles.has(base)) {
        problems.push({ ...at, message: `unknown role \`${base}\``, hint: unknownRole(base, knownRoles) });
      } else if (buildsOn(base, role.name, spec.roles)) {
        problems.push({
          ...at,
          message: `roles \`${role.name}\` and \`${base}\` build on each other`,
          hint: `remove \`${base}\` here or \`${role.name}\` from the roles \`${base}\` builds on: roles build on roles in one direction`,
        });
      }
    });
  }
}

function checkRolesAndChecks(spec: MergedSpec, problems: FileProblem[]): void {
  for (const role of spec.roles.values()) {
    checksOf(role.value.checks, role.origin, `role \`${role.name}\``, problems);
  }
  checkBaseRoles(spec, problems);
  const knownRoles = [...spec.roles.keys()];

  for (const host of spec.hosts) {
    const own = checksOf(host.value.checks, host.origin, `host \`${host.name}\``, problems);
    const listed = asArray(host.value.roles);
    const seen = new Set<string>();
    listed.forEach((item, i) => {
      if (typeof item !== 'string') return;
      const at = [...host.origin.path, 'roles', i];
      if (seen.has(item)) {
        problems.push({
          file: host.origin.file,
          path: at,
          severity: 'warning',
          message: `role \`${item}\` is listed twice`,
          hint: 'remove the repetition; a role applies once',
        });
      }
      seen.add(item);
      if (!spec.roles.has(item)) {
        problems.push({
          file: host.origin.file,
          path: at,
          message: `unknown role \`${item}\``,
          hint: unknownRole(item, knownRoles),
        });
      }
    });
    // Identical definitions have collapsed; what is left are two roles saying different things.
    for (const { name, kept, other } of roleChecksOf(listed, spec.roles).conflicts) {
      if (own.has(name)) continue;
      const through = (c: RoleCheck) => {
        const entry = listed[c.via];
        return entry === c.role ? `\`${c.role}\`` : `\`${c.role}\` (through \`${String(entry)}\`)`;
      };
      problems.push({
        file: host.origin.file,
        path: [...host.origin.path, 'roles', other.via],
        message:
          `roles ${through(kept)} and ${through(other)} give host \`${host.name}\` different checks named \`${name}\`` +
          ` (${describeOrigin(kept.origin)} and ${describeOrigin(other.origin)})`,
        hint: `define \`${name}\` in the host's own checks to choose, or rename one of the two checks`,
      });
    }
  }
}

function checkParents(spec: MergedSpec, problems: FileProblem[]): void {
  const hosts = new Map(spec.hosts.map((host) => [host.name, host]));
  const knownHosts = [...hosts.keys()];
  /** Edges that point at existing hosts, with where each is written. */
  const edges = new Map<string, { parent: string; origin: Origin }[]>();
  for (const host of spec.hosts) {
    const list: { parent: string; origin: Origin }[] = [];
    asArray(host.value.parents).forEach((parent, i) => {
      if (typeof parent !== 'string') return;
      const origin: Origin = { file: host.origin.file, path: [...host.origin.path, 'parents', i] };
      if (parent === host.name) {
        problems.push({
          ...origin,
          message: `host \`${host.name}\` lists itself as a parent`,
          hint: 'parents are the hosts on the network path to this one (a switch, a router, a hypervisor)',
        });
      } else if (!hosts.has(parent)) {
        problems.push({
          ...origin,
          message: `unknown parent host \`${parent}\``,
          hint: didYouMeanHint(parent, knownHosts, 'parents are names of hosts defined in any environment'),
        });
      } else {
        list.push({ parent, origin });
      }
    });
    edges.set(host.name, list);
  }

  // Depth-first search; reaching a host that is still on the path closes a cycle.
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (name: string): void => {
    onPath.push(name);
    for (const edge of edges.get(name) ?? []) {
      const start = onPath.indexOf(edge.parent);
      if (start >= 0) {
        const cycle = [...onPath.slice(start), edge.parent];
        problems.push({
          ...edge.origin,
          message: `parent cycle: ${cycle.join(' → ')}`,
          hint: 'parents must form a tree (the network path towards the monitoring host): remove one of these parents',
        });
      } else if (!done.has(edge.parent)) {
        visit(edge.parent);
      }
    }
    onPath.pop();
    done.add(name);
  };
  for (const host of spec.hosts) if (!done.has(host.name)) visit(host.name);
}

export function checkReferences(spec: MergedSpec): FileProblem[] {
  const problems: FileProblem[] = [];
  checkUniqueHosts(spec, problems);
  checkRolesAndChecks(spec, problems);
  checkParents(spec, problems);
  return problems;
}
