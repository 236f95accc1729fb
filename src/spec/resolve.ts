/**
 * Turns a valid, merged spec into the Deployment the engine runs: roles applied, own checks
 * overriding role checks, templates rendered per host, and timing from the nearest level that
 * sets it (check > environment defaults > spec defaults > built-in).
 */
import path from 'node:path';
import { parseDuration } from '../core/duration.ts';
import type {
  CheckTiming,
  Deployment,
  FlapSettings,
  FreshnessSettings,
  HostModel,
  ProbeSpec,
  ServiceModel,
  SourceLocation,
} from '../core/model.ts';
import { serviceId } from '../core/model.ts';
import { parseServiceState, type ServiceState } from '../core/states.ts';
import { CHECK_KIND_KEYS, checkKind } from './check-kinds/index.ts';
import type { DocumentPath } from './errors.ts';
import type { MergedHost, MergedSpec } from './merge.ts';
import { resolveAlerting } from './resolve-alerting.ts';
import { resolveBackup } from './resolve-backup.ts';
import { resolveDashboard } from './resolve-dashboard.ts';
import { roleChecksOf } from './role-checks.ts';
import type { CheckSpec, HostCheckSpec } from './schema/check.ts';
import { DEFAULT_FLAP } from './schema/flap-detection.ts';
import type { HostSpec } from './schema/host.ts';
import { mergeSnmpAgent, type SnmpAgentSettings } from './schema/snmp-agent.ts';
import type { Spec } from './schema/spec.ts';
import { BUILT_IN_TIMING, type TimingSpec } from './schema/timing.ts';
import { type FileProblem, locate, type Origin } from './source-file.ts';
import type { TemplateValues } from './templating.ts';

export const DEFAULT_PLUGIN_DIRS = ['/usr/lib/nagios/plugins', '/usr/lib/monitoring-plugins'];

type AnyCheck = CheckSpec | HostCheckSpec;

function durationMs(text: string): number {
  // Validated before resolution, so parseDuration cannot fail here.
  return parseDuration(text)!;
}

/** Timing from the nearest level that sets each key: the check, then `layers` from nearest to farthest. */
function timingOf(check: AnyCheck | undefined, layers: TimingSpec[]): CheckTiming {
  let own: TimingSpec = {};
  if (check !== undefined) {
    const kindKey = CHECK_KIND_KEYS.find((key) => check[key] !== undefined);
    const kindTimeout = kindKey === undefined ? undefined : checkKind(kindKey).timeout?.(check[kindKey]);
    own = {
      interval: check.interval,
      retryInterval: check.retryInterval,
      maxAttempts: check.maxAttempts,
      timeout: check.timeout ?? kindTimeout,
    };
  }
  const nearest = <K extends keyof TimingSpec>(key: K) =>
    [own, ...layers].map((layer) => layer[key]).find((v) => v !== undefined) ?? BUILT_IN_TIMING[key];
  return {
    intervalMs: durationMs(nearest('interval')),
    retryIntervalMs: durationMs(nearest('retryInterval')),
    maxAttempts: nearest('maxAttempts'),
    timeoutMs: durationMs(nearest('timeout')),
  };
}

function labelsOf(
  ...sources: (Record<string, string | number | boolean> | undefined)[]
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const source of sources)
    for (const [key, value] of Object.entries(source ?? {})) labels[key] = String(value);
  return labels;
}

function state(name: string | undefined, fallback: ServiceState): ServiceState {
  return name === undefined ? fallback : (parseServiceState(name) ?? fallback);
}

function flapOf(check: AnyCheck | undefined): FlapSettings {
  return {
    enabled: check?.flapDetection?.enabled ?? DEFAULT_FLAP.enabled,
    lowThreshold: check?.flapDetection?.low ?? DEFAULT_FLAP.low,
    highThreshold: check?.flapDetection?.high ?? DEFAULT_FLAP.high,
  };
}

function sourceOf(origin: Origin): SourceLocation {
  return { file: origin.file.path, ...locate(origin.file, origin.path) };
}

interface Resolver {
  pluginDirs: string[];
  /** Timing defaults for an environment's checks, nearest first. */
  timing: (environment: string) => TimingSpec[];
  /** An environment's `snmp:` agent settings. */
  snmp: (environment: string) => SnmpAgentSettings | undefined;
  warnings: FileProblem[];
}

/** The fields hosts and services share; the probe comes from the check's kind key. */
function checkedFields(
  check: AnyCheck | undefined,
  origin: Origin,
  template: TemplateValues,
  environment: string,
  resolver: Resolver,
  snmpAgent?: SnmpAgentSettings,
): {
  probe: ProbeSpec | null;
  fields: Omit<HostModel, 'kind' | 'id' | 'name' | 'address' | 'roles' | 'parents' | 'probe' | 'labels'>;
} {
  let probe: ProbeSpec | null = null;
  const kindKey = check === undefined ? undefined : CHECK_KIND_KEYS.find((key) => check[key] !== undefined);
  if (check !== undefined && kindKey !== undefined) {
    probe = checkKind(kindKey).toProbe(check[kindKey], {
      template,
      baseDir: path.dirname(origin.file.path),
      pluginDirs: resolver.pluginDirs,
      snmpAgent,
      warn: (at: DocumentPath, message: string, hint: string) =>
        resolver.warnings.push({
          file: origin.file,
          path: [...origin.path, kindKey, ...at],
          message,
          hint,
          severity: 'warning',
        }),
    });
  }
  const fields: ReturnType<typeof checkedFields>['fields'] = {
    environment,
    timing: timingOf(check, resolver.timing(environment)),
    timeoutState: state(check?.timeoutState, 2),
    flap: flapOf(check),
    source: sourceOf(origin),
  };
  if (check?.warning !== undefined) fields.warning = String(check.warning);
  if (check?.critical !== undefined) fields.critical = String(check.critical);
  if (check?.freshness !== undefined) {
    const freshness: FreshnessSettings = {
      thresholdMs: durationMs(check.freshness),
      staleState: state(check.staleState, 3),
    };
    fields.freshness = freshness;
  } else if (check?.staleState !== undefined) {
    resolver.warnings.push({
      file: origin.file,
      path: [...origin.path, 'staleState'],
      severity: 'warning',
      message: 'staleState has no effect without freshness',
      hint: 'add `freshness: 10m` (how old a result may be), or remove staleState',
    });
  }
  if (kindKey === 'passive' && check?.freshness === undefined) {
    resolver.warnings.push({
      file: origin.file,
      path: origin.path,
      severity: 'warning',
      message: 'a passive check without freshness never notices that results stopped arriving',
      hint: 'add `freshness:` with a bit more than the submission interval, e.g. 10m',
    });
  }
  return { probe, fields };
}

function resolveHost(
  host: MergedHost,
  spec: MergedSpec,
  resolver: Resolver,
): { host: HostModel; services: ServiceModel[] } {
  const value = host.value as unknown as HostSpec;
  const template: TemplateValues = {
    address: value.address,
    host: value.name,
    environment: host.environment,
  };
  const snmpAgent = mergeSnmpAgent(resolver.snmp(host.environment), value.snmp);
  const hostCheckOrigin: Origin =
    value.hostCheck === undefined
      ? host.origin
      : { file: host.origin.file, path: [...host.origin.path, 'hostCheck'] };
  const { probe, fields } = checkedFields(
    value.hostCheck,
    hostCheckOrigin,
    template,
    host.environment,
    resolver,
    snmpAgent,
  );
  const model: HostModel = {
    kind: 'host',
    id: value.name,
    name: value.name,
    address: value.address,
    roles: [...new Set(value.roles ?? [])],
    parents: value.parents ?? [],
    labels: labelsOf(value.labels),
    probe,
    ...fields,
    source: sourceOf(host.origin),
  };

  // Role checks in role order, each role once (with the roles it builds on first); a host's own
  // check replaces the role check of the same name in place.
  const planned: { check: CheckSpec; origin: Origin; role?: string }[] = roleChecksOf(
    value.roles ?? [],
    spec.roles,
  ).checks.map(({ check, origin, role }) => ({ check: check as unknown as CheckSpec, origin, role }));
  (value.checks ?? []).forEach((check, i) => {
    const entry = { check, origin: { file: host.origin.file, path: [...host.origin.path, 'checks', i] } };
    const overridden = planned.findIndex((p) => p.check.name === check.name);
    if (overridden >= 0) planned[overridden] = entry;
    else planned.push(entry);
  });

  const services = planned.map(({ check, origin, role }): ServiceModel => {
    const resolved = checkedFields(check, origin, template, host.environment, resolver, snmpAgent);
    const service: ServiceModel = {
      kind: 'service',
      id: serviceId(value.name, check.name),
      host: value.name,
      name: check.name,
      labels: labelsOf(value.labels, check.labels),
      probe: resolved.probe!,
      ...resolved.fields,
    };
    if (role !== undefined) service.role = role;
    return service;
  });
  return { host: model, services };
}

function environmentSetting(environment: object, key: string): unknown {
  const settings = (environment as { settings?: Map<string, { value: unknown }> }).settings;
  return settings?.get(key)?.value;
}

export function resolveDeployment(
  main: Spec,
  mainFile: string,
  spec: MergedSpec,
  files: string[],
): { deployment: Deployment; warnings: FileProblem[] } {
  const specDir = path.dirname(mainFile);
  const pluginDirs =
    main.pluginDirs === undefined
      ? [...DEFAULT_PLUGIN_DIRS, path.join(specDir, 'plugins')]
      : main.pluginDirs.map((dir) => path.resolve(specDir, dir));
  const environmentDefaults = new Map(
    spec.environments.map((e) => [e.name, e.defaults?.value as TimingSpec | undefined] as const),
  );
  const environmentSnmp = new Map(
    spec.environments.map(
      // `settings` holds the environment's other keys (merge.ts); read defensively as it is new.
      (e) => [e.name, environmentSetting(e, 'snmp') as SnmpAgentSettings | undefined] as const,
    ),
  );
  const resolver: Resolver = {
    pluginDirs,
    snmp: (environment) => environmentSnmp.get(environment),
    warnings: [],
    timing: (environment) => [environmentDefaults.get(environment) ?? {}, main.defaults ?? {}],
  };
  const hosts: HostModel[] = [];
  const services: ServiceModel[] = [];
  for (const host of spec.hosts) {
    const resolved = resolveHost(host, spec, resolver);
    hosts.push(resolved.host);
    services.push(...resolved.services);
  }
  const backup =
    main.backup === undefined
      ? undefined
      : resolveBackup(
          main.backup,
          mainFile,
          hosts,
          spec.environments.map((e) => e.name),
        );
  if (backup !== undefined) {
    hosts.push(...backup.hosts);
    services.push(...backup.services);
    resolver.warnings.push(...backup.warnings);
  }
  return {
    deployment: {
      name: main.deployment,
      operatorNetworks: main.operatorNetworks,
      environments: spec.environments.map((e) => ({ name: e.name })),
      hosts,
      services,
      pluginDirs,
      files,
      ...(main.alerting === undefined ? {} : { alerting: resolveAlerting(main.alerting) }),
      ...(backup === undefined ? {} : { backup: backup.backup }),
      ...(main.access?.dashboard === undefined ? {} : { dashboard: resolveDashboard(main.access.dashboard) }),
    },
    warnings: resolver.warnings,
  };
}
