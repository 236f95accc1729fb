/**
 * Checks what the schema cannot see on its own: names that must be unique, and names that must
 * refer to something (roles, parents) — across all files, with did-you-mean for near misses.
 */
import { closestMatch } from './did-you-mean.ts';
import type { MergedHost, MergedSpec } from './merge.ts';
import { asArray, asObject, stringAt } from './plain-data.ts';
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

function checkRolesAndChecks(spec: MergedSpec, problems: FileProblem[]): void {
  const roleChecks = new Map<string, Map<string, Origin>>();
  for (const role of spec.roles.values()) {
    roleChecks.set(role.name, checksOf(role.value.checks, role.origin, `role \`${role.name}\``, problems));
  }
  const knownRoles = [...spec.roles.keys()];

  for (const host of spec.hosts) {
    const own = checksOf(host.value.checks, host.origin, `host \`${host.name}\``, problems);
    /** Check name → the role that gave it, for conflicts between roles. */
    const given = new Map<string, { role: string; origin: Origin }>();
    const listed = new Set<string>();
    asArray(host.value.roles).forEach((item, i) => {
      if (typeof item !== 'string') return;
      const at = [...host.origin.path, 'roles', i];
      if (listed.has(item)) {
        problems.push({
          file: host.origin.file,
          path: at,
          severity: 'warning',
          message: `role \`${item}\` is listed twice`,
          hint: 'remove the repetition; a role applies once',
        });
        return;
      }
      listed.add(item);
      const checks = roleChecks.get(item);
      if (checks === undefined) {
        problems.push({
          file: host.origin.file,
          path: at,
          message: `unknown role \`${item}\``,
          hint: didYouMeanHint(
            item,
            knownRoles,
            knownRoles.length === 0
              ? 'define it under `roles:` in the spec or an included file'
              : `defined roles: ${knownRoles.join(', ')}`,
          ),
        });
        return;
      }
      for (const [checkName, origin] of checks) {
        const earlier = given.get(checkName);
        if (earlier !== undefined && !own.has(checkName)) {
          problems.push({
            file: host.origin.file,
            path: at,
            message:
              `roles \`${earlier.role}\` and \`${item}\` both give host \`${host.name}\` a check named \`${checkName}\`` +
              ` (${describeOrigin(earlier.origin)} and ${describeOrigin(origin)})`,
            hint: `rename one of the two checks, or define \`${checkName}\` in the host's own checks to choose`,
          });
        }
        if (earlier === undefined) given.set(checkName, { role: item, origin });
      }
    });
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
