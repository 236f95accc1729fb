/**
 * Puts the files of a spec together: environments declared again in an included file add their
 * hosts, fragment `hosts:` join the environment they name, roles from every file form one set.
 * Works on data that may be invalid (skipping what it cannot read) so all errors surface at once.
 */
import { closestMatch } from './did-you-mean.ts';
import type { LoadedFile } from './include-loader.ts';
import { asArray, asObject, type PlainObject, stringAt } from './plain-data.ts';
import { describeOrigin, type FileProblem, type Origin } from './source-file.ts';

export interface MergedHost {
  name: string;
  environment: string;
  value: PlainObject;
  origin: Origin;
}

export interface MergedEnvironment {
  name: string;
  origin: Origin;
  defaults?: { value: PlainObject; origin: Origin };
  /** Its other keys (the AWS settings: account, region, cidr, database...), each set in one place. */
  settings: Map<string, { value: unknown; origin: Origin }>;
  hosts: MergedHost[];
}

/** Environment keys that are not settings: merged on their own terms. */
const MERGED_ENVIRONMENT_KEYS = new Set(['name', 'hosts', 'defaults']);

export interface MergedRole {
  name: string;
  value: PlainObject;
  origin: Origin;
}

export interface MergedSpec {
  environments: MergedEnvironment[];
  roles: Map<string, MergedRole>;
  /** Every host, in environment order. */
  hosts: MergedHost[];
}

export function mergeFiles(files: LoadedFile[]): { merged: MergedSpec; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const environments = new Map<string, MergedEnvironment>();
  const roles = new Map<string, MergedRole>();
  const fragmentHosts: {
    value: PlainObject;
    origin: Origin;
    environmentOrigin: Origin;
    environment: string;
  }[] = [];

  for (const { file, data } of files) {
    const document = asObject(data);
    const seenHere = new Map<string, Origin>();
    asArray(document?.environments).forEach((item, i) => {
      const environment = asObject(item);
      const name = stringAt(environment, 'name');
      if (environment === undefined || name === undefined) return;
      const origin: Origin = { file, path: ['environments', i] };
      const firstHere = seenHere.get(name);
      if (firstHere !== undefined) {
        problems.push({
          file,
          path: [...origin.path, 'name'],
          message: `environment \`${name}\` is declared twice in this file (first at ${describeOrigin(firstHere)})`,
          hint: 'put its hosts in one entry; environment names are unique',
        });
      }
      seenHere.set(name, firstHere ?? origin);
      let merged = environments.get(name);
      if (merged === undefined) {
        merged = { name, origin, settings: new Map(), hosts: [] };
        environments.set(name, merged);
      }
      const defaults = asObject(environment.defaults);
      if (defaults !== undefined) {
        const defaultsOrigin: Origin = { file, path: [...origin.path, 'defaults'] };
        if (merged.defaults !== undefined) {
          problems.push({
            file,
            path: defaultsOrigin.path,
            message: `defaults of environment \`${name}\` are already set at ${describeOrigin(merged.defaults.origin)}`,
            hint: 'set the defaults of an environment in one place',
          });
        } else {
          merged.defaults = { value: defaults, origin: defaultsOrigin };
        }
      }
      for (const [key, value] of Object.entries(environment)) {
        if (MERGED_ENVIRONMENT_KEYS.has(key)) continue;
        const settingOrigin: Origin = { file, path: [...origin.path, key] };
        const earlier = merged.settings.get(key);
        if (earlier !== undefined) {
          problems.push({
            file,
            path: settingOrigin.path,
            target: 'key',
            message: `${key} of environment \`${name}\` is already set at ${describeOrigin(earlier.origin)}`,
            hint: `set the ${key} of an environment in one place`,
          });
        } else {
          merged.settings.set(key, { value, origin: settingOrigin });
        }
      }
      const target = merged;
      asArray(environment.hosts).forEach((hostItem, j) => {
        const host = asObject(hostItem);
        const hostName = stringAt(host, 'name');
        if (host === undefined || hostName === undefined) return;
        target.hosts.push({
          name: hostName,
          environment: name,
          value: host,
          origin: { file, path: [...origin.path, 'hosts', j] },
        });
      });
    });

    const rolesObject = asObject(document?.roles);
    for (const [name, value] of Object.entries(rolesObject ?? {})) {
      const role = asObject(value);
      if (role === undefined) continue;
      const origin: Origin = { file, path: ['roles', name] };
      const earlier = roles.get(name);
      if (earlier !== undefined) {
        problems.push({
          file,
          path: origin.path,
          target: 'key',
          message: `role \`${name}\` is already defined at ${describeOrigin(earlier.origin)}`,
          hint: 'define each role once, or give this one another name',
        });
        continue;
      }
      roles.set(name, { name, value: role, origin });
    }

    asArray(document?.hosts).forEach((item, i) => {
      const host = asObject(item);
      const environment = stringAt(host, 'environment');
      if (host === undefined || environment === undefined) return;
      const origin: Origin = { file, path: ['hosts', i] };
      fragmentHosts.push({
        value: host,
        origin,
        environmentOrigin: { file, path: [...origin.path, 'environment'] },
        environment,
      });
    });
  }

  for (const host of fragmentHosts) {
    const environment = environments.get(host.environment);
    if (environment === undefined) {
      const known = [...environments.keys()];
      const suggestion = closestMatch(host.environment, known);
      problems.push({
        file: host.environmentOrigin.file,
        path: host.environmentOrigin.path,
        message: `unknown environment \`${host.environment}\``,
        hint:
          suggestion !== undefined
            ? `did you mean \`${suggestion}\`?`
            : known.length === 0
              ? 'declare it under `environments:` (with a name) in the spec or an included file'
              : `declared environments: ${known.join(', ')}; declare it under \`environments:\` or fix the name`,
      });
      continue;
    }
    const name = stringAt(host.value, 'name');
    if (name !== undefined)
      environment.hosts.push({ name, environment: environment.name, value: host.value, origin: host.origin });
  }

  const environmentList = [...environments.values()];
  return {
    merged: { environments: environmentList, roles, hosts: environmentList.flatMap((e) => e.hosts) },
    problems,
  };
}
