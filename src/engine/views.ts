import { type Downtime, type ObjectStatus, stateName } from '../core/index.ts';
import type { CheckedModel } from './engine.ts';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export interface ServiceView {
  id: string;
  host: string;
  environment: string;
  name: string;
  kind: string;
  state: string;
  stateCode: number;
  stateType: 'SOFT' | 'HARD';
  attempt: number;
  maxAttempts: number;
  output: string;
  longOutput: string;
  perfdata: ObjectStatus['perfdata'];
  lastCheck: string | null;
  nextCheck: string | null;
  lastStateChange: string | null;
  lastHardStateChange: string | null;
  lastHardState: string;
  checked: boolean;
  flapping: boolean;
  percentStateChange: number;
  acknowledged: boolean;
  acknowledgement: { type: string; author: string; comment: string; time: string } | null;
  inDowntime: boolean;
  labels: Record<string, string>;
  latencyMs: number;
  executionMs: number;
}

export interface HostView extends Omit<ServiceView, 'host' | 'kind'> {
  address: string;
  roles: string[];
  parents: string[];
  hasCheck: boolean;
  services: { total: number; ok: number; warning: number; critical: number; unknown: number };
}

function common(obj: CheckedModel, s: ObjectStatus) {
  return {
    id: obj.id,
    environment: obj.environment,
    state: stateName(obj.kind, s.state),
    stateCode: s.state,
    stateType: s.stateType,
    attempt: s.attempt,
    maxAttempts: obj.timing.maxAttempts,
    output: s.output,
    longOutput: s.longOutput,
    perfdata: s.perfdata,
    lastCheck: iso(s.lastCheck),
    nextCheck: iso(s.nextCheck),
    lastStateChange: iso(s.lastStateChange),
    lastHardStateChange: iso(s.lastHardStateChange),
    lastHardState: stateName(obj.kind, s.lastHardState),
    checked: s.hasBeenChecked,
    flapping: s.flap.flapping,
    percentStateChange: Math.round(s.flap.percentStateChange * 100) / 100,
    acknowledged: s.acknowledgement !== null,
    acknowledgement: s.acknowledgement
      ? {
          type: s.acknowledgement.type,
          author: s.acknowledgement.author,
          comment: s.acknowledgement.comment,
          time: new Date(s.acknowledgement.time).toISOString(),
        }
      : null,
    inDowntime: s.activeDowntimes.length > 0,
    labels: obj.labels,
    latencyMs: s.latencyMs,
    executionMs: s.executionMs,
  };
}

export function serviceView(obj: CheckedModel & { kind: 'service' }, s: ObjectStatus): ServiceView {
  return { ...common(obj, s), host: obj.host, name: obj.name, kind: obj.probe.kind };
}

export function hostView(
  obj: CheckedModel & { kind: 'host' },
  s: ObjectStatus,
  services: ObjectStatus[],
): HostView {
  const counts = { total: services.length, ok: 0, warning: 0, critical: 0, unknown: 0 };
  for (const x of services) {
    if (x.state === 0) counts.ok++;
    else if (x.state === 1) counts.warning++;
    else if (x.state === 2) counts.critical++;
    else counts.unknown++;
  }
  return {
    ...common(obj, s),
    name: obj.name,
    address: obj.address,
    roles: obj.roles,
    parents: obj.parents,
    hasCheck: obj.probe !== null,
    services: counts,
  };
}

export function downtimeView(d: Downtime) {
  return {
    id: d.id,
    objectId: d.objectId,
    start: new Date(d.start).toISOString(),
    end: new Date(d.end).toISOString(),
    fixed: d.fixed,
    durationMs: d.durationMs,
    author: d.author,
    comment: d.comment,
    createdAt: new Date(d.createdAt).toISOString(),
    startedAt: iso(d.startedAt),
    endedAt: iso(d.endedAt),
    cancelled: d.cancelled,
    inEffect: d.startedAt !== null && d.endedAt === null,
  };
}
