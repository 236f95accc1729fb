/**
 * loadSpec: the spec file and its includes → a Deployment, or every error found, each located
 * in the file where it was written.
 */
import type { Deployment } from '../core/model.ts';
import { checkAccessReferences } from './access-references.ts';
import { BUILT_IN_ROLES_FILE, builtInRolesFile } from './built-in-roles.ts';
import { scrubSecrets } from './env-substitution.ts';
import type { SpecError } from './errors.ts';
import { loadFiles } from './include-loader.ts';
import { type MergedSpec, mergeFiles } from './merge.ts';
import { mergedErrorLocator, type SpecErrorAt } from './merged-locations.ts';
import { asArray, asObject } from './plain-data.ts';
import { checkReferences } from './references.ts';
import { resolveDeployment } from './resolve.ts';
import type { EnvironmentSpec } from './schema/environment.ts';
import type { HostSpec } from './schema/host.ts';
import { hasHostBits, isCidr, parseCidr } from './schema/network.ts';
import type { RoleSpec } from './schema/role.ts';
import type { Spec } from './schema/spec.ts';
import { type FileProblem, locateProblem } from './source-file.ts';

export type LoadResult =
  | {
      ok: true;
      deployment: Deployment;
      spec: Spec;
      warnings: SpecError[];
      /** Locates a finding at a path of `spec` in the file where that part was written. */
      errorAt: SpecErrorAt;
    }
  | { ok: false; errors: SpecError[]; warnings: SpecError[] };

export interface LoadOptions {
  /** Where ${ENV_VAR} values come from; default process.env. */
  env?: Record<string, string | undefined>;
  /**
   * The env's values are stand-ins (`steward validate --no-env`): a value from ${NAME} is not
   * checked against its field's format.
   */
  referencesOpaque?: boolean;
}

/** The main document with everything included put in place: all roles, all environments with all their hosts. */
function mergedDocument(main: Spec, merged: MergedSpec): Spec {
  const environments: EnvironmentSpec[] = merged.environments.map((environment) => {
    const entry: EnvironmentSpec = {
      name: environment.name,
      ...Object.fromEntries([...environment.settings].map(([key, setting]) => [key, setting.value])),
      hosts: environment.hosts.map((host) => {
        const { environment: _fragmentKey, ...value } = host.value;
        return value as unknown as HostSpec;
      }),
    };
    if (environment.defaults !== undefined) entry.defaults = environment.defaults.value;
    return entry;
  });
  const roles: Record<string, RoleSpec> = {};
  for (const role of merged.roles.values()) {
    // The document as the spec wrote it: built-in roles are applied, not part of it.
    if (role.origin.file.path === BUILT_IN_ROLES_FILE) continue;
    roles[role.name] = role.value as unknown as RoleSpec;
  }
  return { ...main, environments, roles };
}

function networkWarnings(main: unknown, problems: FileProblem[], file: FileProblem['file']): void {
  asArray(asObject(main)?.operatorNetworks).forEach((text, i) => {
    if (typeof text !== 'string') return;
    const cidr = parseCidr(text);
    if (isCidr(cidr) && hasHostBits(cidr)) {
      problems.push({
        file,
        path: ['operatorNetworks', i],
        severity: 'warning',
        message: `${text} has bits set after the /${cidr.prefix} prefix, so it means the whole network around that address`,
        hint: 'write the network address (e.g. 203.0.113.0/24), or /32 (/128 for IPv6) for one address',
      });
    }
  });
}

/** Sorted by file (in reading order), then position; the same message at the same place once. */
function tidy(errors: SpecError[], fileOrder: string[], secrets: Map<string, string>): SpecError[] {
  const seen = new Set<string>();
  const out: SpecError[] = [];
  for (const error of errors) {
    const scrubbed: SpecError = { ...error, message: scrubSecrets(error.message, secrets) };
    if (error.hint !== undefined) scrubbed.hint = scrubSecrets(error.hint, secrets);
    const key = `${scrubbed.file}:${scrubbed.line}:${scrubbed.column}:${scrubbed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(scrubbed);
  }
  const rank = (file: string) => {
    const i = fileOrder.indexOf(file);
    return i < 0 ? fileOrder.length : i;
  };
  return out.sort((a, b) => rank(a.file) - rank(b.file) || a.line - b.line || a.column - b.column);
}

export function loadSpec(file: string, options: LoadOptions = {}): LoadResult {
  const env = options.env ?? process.env;
  const loaded = loadFiles(file, env, options.referencesOpaque);
  const errors = [...loaded.errors];
  const warnings = [...loaded.warnings];
  const report = (problems: FileProblem[]) => {
    for (const problem of problems) {
      const error = locateProblem(problem.file, problem);
      (error.severity === 'warning' ? warnings : errors).push(error);
    }
  };

  // Built-in roles (linux, wso2-*) the spec does not define itself join as one more file.
  const builtIn = builtInRolesFile(loaded.files);
  const { merged, problems } = mergeFiles(builtIn === undefined ? loaded.files : [...loaded.files, builtIn]);
  report(problems);
  report(checkReferences(merged));
  const main = loaded.files[0];
  if (main !== undefined) {
    report(checkAccessReferences(main, merged));
    const networkProblems: FileProblem[] = [];
    networkWarnings(main.data, networkProblems, main.file);
    report(networkProblems);
  }

  const fileOrder = loaded.files.map((f) => f.file.displayName);
  const allValid = loaded.files.length > 0 && loaded.files.every((f) => f.valid);
  if (errors.length > 0 || main === undefined || !allValid) {
    return {
      ok: false,
      errors: tidy(errors, fileOrder, loaded.usedValues),
      warnings: tidy(warnings, fileOrder, loaded.usedValues),
    };
  }

  const mainSpec = main.data as Spec;
  const extra: FileProblem[] = [];
  const resolved = resolveDeployment(
    mainSpec,
    main.file.path,
    merged,
    loaded.files.map((f) => f.file.path),
  );
  extra.push(...resolved.warnings);
  if (resolved.deployment.hosts.length === 0) {
    extra.push({
      file: main.file,
      path: [],
      severity: 'warning',
      message: 'the deployment has no hosts, so nothing is monitored',
      hint: 'add hosts under `environments: [{ name: prod, hosts: [...] }]`',
    });
  }
  report(extra);
  return {
    ok: true,
    deployment: resolved.deployment,
    spec: mergedDocument(mainSpec, merged),
    warnings: tidy(warnings, fileOrder, loaded.usedValues),
    errorAt: mergedErrorLocator(main.file, merged, loaded.usedValues),
  };
}
