/**
 * The spec (as loaded and merged by src/spec) → BlueprintInput, remembering for every input path
 * the spec path it came from, so a problem synth finds in the input is reported at the spec's
 * file:line:column. Product ports of a host are its own followed by its roles', each once.
 */
import { applyRoles, type Spec, type SpecError, type SpecErrorAt } from '../spec/index.ts';
import type {
  BlueprintEnvironment,
  BlueprintHost,
  BlueprintInput,
  BlueprintMonitoring,
} from './blueprint-input.ts';
import { blueprintInputProblems, type InputProblem } from './check-input.ts';
import { firewallAgreementProblems } from './firewall-agreement.ts';

export type SpecPath = (string | number)[];

/** The default port of `steward serve` (also the spec's documented default). */
export const DEFAULT_DASHBOARD_PORT = 8443;

export interface SpecProblem {
  /** Where in the merged spec document. */
  path: SpecPath;
  message: string;
  hint: string;
}

export interface BlueprintFromSpec {
  input: BlueprintInput;
  /** Input path (as InputProblem.path writes it) → the spec path it came from. */
  origins: Map<string, SpecPath>;
  /** What the spec lacks for a blueprint (found before the input can be checked). */
  problems: SpecProblem[];
}

/** The shape of `access.users` (added to the spec for the gateway); read defensively. */
function accessUsers(spec: Spec): { name: string }[] {
  const users = (spec.access as { users?: unknown } | undefined)?.users;
  if (!Array.isArray(users)) return [];
  return users.filter(
    (user): user is { name: string } => typeof (user as { name?: unknown } | null)?.name === 'string',
  );
}

export function blueprintFromSpec(spec: Spec): BlueprintFromSpec {
  const origins = new Map<string, SpecPath>();
  const problems: SpecProblem[] = [];
  const from = (inputPath: string, specPath: SpecPath): void => {
    origins.set(inputPath, specPath);
  };

  from('deployment', ['deployment']);
  from('operatorNetworks', ['operatorNetworks']);
  for (let i = 0; i < spec.operatorNetworks.length; i++)
    from(`operatorNetworks[${i}]`, ['operatorNetworks', i]);

  const bastionSpec = spec.access?.bastion;
  if (bastionSpec === undefined) {
    problems.push({
      path: spec.access === undefined ? [] : ['access'],
      message: 'the AWS blueprint needs the bastion: `access.bastion` is missing',
      hint: 'add `access: { bastion: { placement: vpc, port: 2222 } }` (or placement: datacenter with its address)',
    });
  }
  const bastion: BlueprintInput['bastion'] = {
    placement: bastionSpec?.placement ?? 'vpc',
    port: bastionSpec?.port ?? 0,
  };
  if (bastionSpec?.address !== undefined) bastion.address = bastionSpec.address;
  if (bastionSpec?.instanceType !== undefined) bastion.instanceType = bastionSpec.instanceType;
  from('bastion', ['access', 'bastion']);
  for (const key of ['placement', 'port', 'address', 'instanceType'])
    from(`bastion.${key}`, ['access', 'bastion', key]);

  const m = spec.monitoring ?? {};
  const monitoring: BlueprintMonitoring = { dashboardPort: m.dashboardPort ?? DEFAULT_DASHBOARD_PORT };
  if (m.certificateArn !== undefined) monitoring.certificateArn = m.certificateArn;
  if (m.domain !== undefined) monitoring.domain = m.domain;
  if (m.hostedZone !== undefined) monitoring.hostedZone = { id: m.hostedZone.id, name: m.hostedZone.name };
  if (m.alertEmail !== undefined) monitoring.alertEmail = m.alertEmail;
  if (m.instanceType !== undefined) monitoring.instanceType = m.instanceType;
  from('monitoring', ['monitoring']);
  for (const key of Object.keys(monitoring)) from(`monitoring.${key}`, ['monitoring', key]);

  // Operators default to the gateway's users, so one list says who the operators are.
  const explicitOperators = spec.aws?.operators;
  const operators = (explicitOperators ?? accessUsers(spec)).map((operator) => ({ name: operator.name }));
  for (let i = 0; i < operators.length; i++) {
    from(
      `operators[${i}].name`,
      explicitOperators ? ['aws', 'operators', i, 'name'] : ['access', 'users', i, 'name'],
    );
  }

  // Files jobs with a host run there unless the spec says otherwise (as src/spec/resolve-backup.ts).
  const hostBackupJobs = new Set(
    (spec.backup?.jobs ?? [])
      .filter(
        (job) =>
          (job.runOn ?? (job.files !== undefined && job.host !== undefined ? 'host' : 'steward')) === 'host',
      )
      .flatMap((job) => (job.host === undefined ? [] : [job.host])),
  );
  const roles = spec.roles ?? {};
  const roleValues = new Map(Object.entries(roles).map(([name, role]) => [name, { value: { ...role } }]));
  const environments: BlueprintEnvironment[] = (spec.environments ?? []).map((envSpec, e) => {
    const at = `environments[${e}]`;
    const specAt: SpecPath = ['environments', e];
    from(at, specAt);
    const hosts: BlueprintHost[] = (envSpec.hosts ?? []).map((hostSpec, h) => {
      const hostAt = `${at}.hosts[${h}]`;
      const hostSpecAt: SpecPath = [...specAt, 'hosts', h];
      from(hostAt, hostSpecAt);
      from(`${hostAt}.name`, [...hostSpecAt, 'name']);
      const host: BlueprintHost = { name: hostSpec.name };
      // The role that says what the host is: the first one serving the product, else the first.
      const shownRole =
        hostSpec.roles?.find((role) => (roles[role]?.productPorts ?? []).length > 0) ?? hostSpec.roles?.[0];
      if (shownRole !== undefined) host.role = shownRole;
      const ports: number[] = [];
      const addPorts = (list: number[] | undefined, listAt: SpecPath) =>
        (list ?? []).forEach((port, k) => {
          if (ports.includes(port)) return;
          from(`${hostAt}.productPorts[${ports.length}]`, [...listAt, k]);
          ports.push(port);
        });
      addPorts(hostSpec.productPorts, [...hostSpecAt, 'productPorts']);
      // Each role once, with the roles it builds on (their ports too).
      for (const { name: role } of applyRoles(hostSpec.roles ?? [], roleValues))
        addPorts(roles[role]?.productPorts, ['roles', role, 'productPorts']);
      if (ports.length > 0) host.productPorts = ports;
      if (hostSpec.instanceType !== undefined) host.instanceType = hostSpec.instanceType;
      from(`${hostAt}.instanceType`, [...hostSpecAt, 'instanceType']);
      if (hostBackupJobs.has(hostSpec.name)) host.runsBackups = true;
      return host;
    });
    const env: BlueprintEnvironment = { name: envSpec.name, hosts };
    if (envSpec.account !== undefined) env.account = envSpec.account;
    if (envSpec.region !== undefined) env.region = envSpec.region;
    if (envSpec.cidr !== undefined) env.cidr = envSpec.cidr;
    if (envSpec.availabilityZones !== undefined) env.availabilityZones = envSpec.availabilityZones;
    if (envSpec.natGateways !== undefined) env.natGateways = envSpec.natGateways;
    if (envSpec.productClients !== undefined) env.productClients = envSpec.productClients;
    if (envSpec.database !== undefined) {
      env.database = { engine: envSpec.database.engine };
      if (envSpec.database.instanceClass !== undefined)
        env.database.instanceClass = envSpec.database.instanceClass;
      if (envSpec.database.backupRetentionDays !== undefined)
        env.database.backupRetentionDays = envSpec.database.backupRetentionDays;
    }
    for (const key of [
      'name',
      'account',
      'region',
      'cidr',
      'availabilityZones',
      'natGateways',
      'productClients',
      'database',
    ]) {
      from(`${at}.${key}`, [...specAt, key]);
    }
    return env;
  });
  from('environments', ['environments']);

  const input: BlueprintInput = {
    deployment: spec.deployment,
    operatorNetworks: spec.operatorNetworks,
    environments,
    bastion,
    monitoring,
    operators,
  };
  const bucket = spec.backup?.bucket;
  if (bucket !== undefined) {
    input.backupBucket = {};
    if (bucket.name !== undefined) input.backupBucket.name = bucket.name;
    if (bucket.retentionDays !== undefined) input.backupBucket.retentionDays = bucket.retentionDays;
  }
  from('backupBucket', ['backup', 'bucket']);
  for (const key of ['name', 'retentionDays']) from(`backupBucket.${key}`, ['backup', 'bucket', key]);
  if (spec.aws?.ci !== undefined) {
    input.ci = { issuer: spec.aws.ci.issuer, subjects: spec.aws.ci.subjects };
    if (spec.aws.ci.audience !== undefined) input.ci.audience = spec.aws.ci.audience;
  }
  from('ci', ['aws', 'ci']);
  for (const key of ['issuer', 'subjects', 'audience']) from(`ci.${key}`, ['aws', 'ci', key]);
  return { input, origins, problems };
}

/** `environments[1].hosts[0].productPorts[2]` → ['environments', 1, 'hosts', 0, 'productPorts', 2]. */
export function parseInputPath(path: string): SpecPath {
  const segments: SpecPath = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  }
  return segments;
}

function formatInputPath(segments: SpecPath): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * The spec path of an input problem: the recorded origin of its path, or of the nearest recorded
 * ancestor extended by the rest (environments[0].database.engine → the database's engine key).
 */
export function specPathOf(origins: Map<string, SpecPath>, inputPath: string): SpecPath {
  const segments = parseInputPath(inputPath);
  for (let keep = segments.length; keep > 0; keep--) {
    const origin = origins.get(formatInputPath(segments.slice(0, keep)));
    if (origin !== undefined) return [...origin, ...segments.slice(keep)];
  }
  return [];
}

/** Input problems as spec problems, at the places in the spec they came from. */
export function problemsInSpec(origins: Map<string, SpecPath>, problems: InputProblem[]): SpecProblem[] {
  return problems.map((problem) => ({
    path: specPathOf(origins, problem.path),
    message: problem.message,
    hint: problem.hint,
  }));
}

/**
 * The blueprint input of a loaded spec, or every problem that stops it, located in the spec's
 * files (what the spec lacks, then what the blueprint's own input checks find).
 */
export function blueprintInputOf(loaded: {
  spec: Spec;
  errorAt: SpecErrorAt;
}): { ok: true; input: BlueprintInput } | { ok: false; errors: SpecError[] } {
  const { input, origins, problems } = blueprintFromSpec(loaded.spec);
  let all = problems.length > 0 ? problems : problemsInSpec(origins, blueprintInputProblems(input));
  if (all.length === 0) all = firewallAgreementProblems(loaded.spec, input);
  if (all.length === 0) return { ok: true, input };
  // Two hosts taking one role's bad port are one mistake in the spec: report each place once.
  const seen = new Set<string>();
  const errors = all
    .map((p) => loaded.errorAt(p.path, p.message, { hint: p.hint }))
    .filter((e) => {
      const key = `${e.file}:${e.line}:${e.column}:${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { ok: false, errors };
}
