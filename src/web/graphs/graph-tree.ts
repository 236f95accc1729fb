import type { HostModel } from '../../core/model.ts';

export interface GraphTree {
  environments: { name: string; roles: { name: string; hosts: string[] }[] }[];
}

/** Hosts without a role are listed under this name. */
export const NO_ROLE = '(no role)';

/**
 * Cacti's graph tree, per environment → role → host. A host with several roles is under each of
 * them (as in Cacti, a graph can hang in several branches). Pure.
 */
export function graphTree(
  environments: readonly { name: string }[],
  hosts: readonly Pick<HostModel, 'name' | 'environment' | 'roles'>[],
  visible: (environment: string) => boolean,
): GraphTree {
  const byEnv = new Map<string, Map<string, string[]>>();
  for (const e of environments) if (visible(e.name)) byEnv.set(e.name, new Map());
  for (const h of hosts) {
    const roles = byEnv.get(h.environment);
    if (!roles) continue;
    for (const role of h.roles.length ? h.roles : [NO_ROLE]) {
      const list = roles.get(role);
      if (list) list.push(h.name);
      else roles.set(role, [h.name]);
    }
  }
  const sorted = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    environments: [...byEnv].map(([name, roles]) => ({
      name,
      roles: [...roles]
        .sort(([a], [b]) => (a === NO_ROLE ? 1 : b === NO_ROLE ? -1 : sorted(a, b)))
        .map(([role, list]) => ({ name: role, hosts: list.sort(sorted) })),
    })),
  };
}
