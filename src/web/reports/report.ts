import type { Store } from '../../store/types.ts';
import { type Availability, availability, type ReportObject } from './availability.ts';

export interface AvailabilityReport {
  environment: string;
  from: number;
  to: number;
  generatedAt: number;
  rows: Availability[];
  /** Mean SLA % over hosts and over services. */
  summary: { hosts: number; services: number; hostSla: number; serviceSla: number };
}

/** Reads each object's HARD history and downtimes from the store and computes its availability. */
export function buildAvailabilityReport(
  store: Store,
  objects: ReportObject[],
  environment: string,
  from: number,
  to: number,
): AvailabilityReport {
  const rows: Availability[] = [];
  const neverChecked = new Set(
    store
      .loadStatuses()
      .filter((s) => s.lastCheck === null)
      .map((s) => s.id),
  );
  for (const o of objects) {
    if (o.environment !== environment) continue;
    const before = store.queryEvents({
      objectId: o.id,
      types: ['state'],
      hardOnly: true,
      to: from,
      limit: 1,
    });
    const changes = store
      .queryEvents({ objectId: o.id, types: ['state'], hardOnly: true, from, to, limit: 100_000 })
      .map((e) => ({ time: e.time, state: e.state ?? 0 }));
    const downtimes = store
      .listDowntimes({ objectId: o.id, includeEnded: true })
      .filter((d) => d.startedAt !== null)
      .map((d) => [d.startedAt!, d.endedAt ?? Date.now()] as [number, number]);
    // The latest start of monitoring up to `to` (an object removed and added again starts again).
    const started = store.queryEvents({ objectId: o.id, types: ['monitoring_start'], to, limit: 1 });
    // Not checked yet: nothing is known. Checked but no start recorded (history from before
    // Steward recorded starts, or pruned): the history is all there is.
    const monitoredFrom = neverChecked.has(o.id) ? to : (started[0]?.time ?? null);
    rows.push(availability(o, from, to, before[0]?.state ?? 0, changes, downtimes, monitoredFrom));
  }
  rows.sort((a, b) => a.slaPercent - b.slaPercent || a.object.id.localeCompare(b.object.id));
  // Objects not monitored at all during the period say nothing about it.
  const mean = (all: Availability[]) => {
    const xs = all.filter((r) => r.undeterminedMs < r.to - r.from);
    return xs.length ? Math.round((xs.reduce((n, r) => n + r.slaPercent, 0) / xs.length) * 1e4) / 1e4 : 100;
  };
  const hosts = rows.filter((r) => r.object.kind === 'host');
  const services = rows.filter((r) => r.object.kind === 'service');
  return {
    environment,
    from,
    to,
    generatedAt: Date.now(),
    rows,
    summary: {
      hosts: hosts.length,
      services: services.length,
      hostSla: mean(hosts),
      serviceSla: mean(services),
    },
  };
}
