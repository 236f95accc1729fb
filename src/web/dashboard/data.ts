import { stateName } from '../../core/index.ts';
import type { CheckedModel, Engine } from '../../engine/index.ts';

/** Which environments a viewer may see (role per environment, "*" for the rest). */
export type Visibility = (environment: string) => boolean;

// Severity for ordering problems: host DOWN/UNREACHABLE, then CRITICAL, UNKNOWN, WARNING.
function severity(obj: CheckedModel, state: number): number {
  if (obj.kind === 'host') return state === 0 ? 0 : 4;
  return state === 2 ? 3 : state === 3 ? 2 : state === 1 ? 1 : 0;
}

export interface ProblemRow {
  id: string;
  kind: 'host' | 'service';
  host: string;
  name: string;
  environment: string;
  state: string;
  stateCode: number;
  severity: number;
  output: string;
  since: number | null;
  acknowledged: boolean;
  inDowntime: boolean;
  flapping: boolean;
}

export interface EnvironmentCounts {
  name: string;
  hosts: { total: number; up: number; down: number; unreachable: number };
  services: {
    total: number;
    ok: number;
    warning: number;
    critical: number;
    unknown: number;
    pending: number;
  };
  problems: number;
}

export interface Overview {
  generatedAt: number;
  environments: EnvironmentCounts[];
  /** Unhandled HARD problems (not acknowledged, not in downtime), worst first. */
  problems: ProblemRow[];
  acknowledged: ProblemRow[];
  inDowntime: ProblemRow[];
  flapping: ProblemRow[];
}

function row(engine: Engine, obj: CheckedModel): ProblemRow | null {
  const s = engine.status(obj.id);
  if (!s) return null;
  return {
    id: obj.id,
    kind: obj.kind,
    host: obj.kind === 'host' ? obj.name : obj.host,
    name: obj.name,
    environment: obj.environment,
    state: stateName(obj.kind, s.state),
    stateCode: s.state,
    severity: severity(obj, s.state),
    output: s.output.slice(0, 300),
    since: s.lastHardStateChange ?? s.lastStateChange,
    acknowledged: s.acknowledgement !== null,
    inDowntime: s.activeDowntimes.length > 0,
    flapping: s.flap.flapping,
  };
}

/** What the overview shows: problems first, then counts per environment. One pass over all objects. */
export function buildOverview(engine: Engine, visible: Visibility): Overview {
  const envs = new Map<string, EnvironmentCounts>();
  for (const e of engine.deployment.environments) {
    if (!visible(e.name)) continue;
    envs.set(e.name, {
      name: e.name,
      hosts: { total: 0, up: 0, down: 0, unreachable: 0 },
      services: { total: 0, ok: 0, warning: 0, critical: 0, unknown: 0, pending: 0 },
      problems: 0,
    });
  }
  const problems: ProblemRow[] = [];
  const acknowledged: ProblemRow[] = [];
  const inDowntime: ProblemRow[] = [];
  const flapping: ProblemRow[] = [];
  for (const obj of engine.objects()) {
    const env = envs.get(obj.environment);
    if (!env) continue;
    const s = engine.status(obj.id);
    if (!s) continue;
    if (obj.kind === 'host') {
      env.hosts.total++;
      if (s.state === 0) env.hosts.up++;
      else if (s.state === 1) env.hosts.down++;
      else env.hosts.unreachable++;
    } else {
      env.services.total++;
      if (!s.hasBeenChecked) env.services.pending++;
      else if (s.state === 0) env.services.ok++;
      else if (s.state === 1) env.services.warning++;
      else if (s.state === 2) env.services.critical++;
      else env.services.unknown++;
    }
    const problem = s.state !== 0 && s.stateType === 'HARD';
    if (!problem && !s.flap.flapping && s.activeDowntimes.length === 0) continue;
    const r = row(engine, obj)!;
    if (s.flap.flapping) flapping.push(r);
    if (!problem) {
      if (r.inDowntime) inDowntime.push(r);
      continue;
    }
    if (r.acknowledged) acknowledged.push(r);
    else if (r.inDowntime) inDowntime.push(r);
    else {
      problems.push(r);
      env.problems++;
    }
  }
  problems.sort(
    (a, b) => b.severity - a.severity || (a.since ?? 0) - (b.since ?? 0) || a.id.localeCompare(b.id),
  );
  return {
    generatedAt: Date.now(),
    environments: [...envs.values()],
    problems,
    acknowledged,
    inDowntime,
    flapping,
  };
}

/**
 * Every visible host or service as a compact row (arrays, not objects: 10,000 services stay a
 * small download): [id, host, name, environment, stateCode, state, stateType, output, lastCheck, flags]
 * where flags is a string of a (acknowledged), d (downtime), f (flapping), p (pending).
 */
export function objectRows(engine: Engine, kind: 'host' | 'service', visible: Visibility): unknown[][] {
  const rows: unknown[][] = [];
  for (const obj of engine.objects()) {
    if (obj.kind !== kind || !visible(obj.environment)) continue;
    const s = engine.status(obj.id);
    if (!s) continue;
    const flags =
      (s.acknowledgement ? 'a' : '') +
      (s.activeDowntimes.length > 0 ? 'd' : '') +
      (s.flap.flapping ? 'f' : '') +
      (s.hasBeenChecked ? '' : 'p');
    rows.push([
      obj.id,
      obj.kind === 'host' ? obj.name : obj.host,
      obj.name,
      obj.environment,
      s.state,
      stateName(obj.kind, s.state),
      s.stateType,
      s.output.slice(0, 160),
      s.lastCheck,
      flags,
    ]);
  }
  return rows;
}
