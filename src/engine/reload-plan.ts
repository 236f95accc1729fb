import type { Deployment, HostModel, ServiceModel } from '../core/index.ts';

type CheckedModel = HostModel | ServiceModel;

/** What a reload does to the running objects, by id (in the next deployment's order). */
export interface ReloadPlan {
  added: string[];
  removed: string[];
  /** Objects whose definition changed in any way (labels, thresholds, probe, timing ...). */
  changed: string[];
  /** Changed objects whose next check must be rescheduled: their probe or interval changed. */
  rescheduled: Set<string>;
}

/**
 * Compares the running objects with a new deployment. Unchanged objects keep their status and
 * schedule; `source` (where in the spec an object is written) does not count as a change.
 */
export function planReload(current: ReadonlyMap<string, CheckedModel>, next: Deployment): ReloadPlan {
  const nextObjects: CheckedModel[] = [...next.hosts, ...next.services];
  const nextIds = new Set(nextObjects.map((obj) => obj.id));
  const plan: ReloadPlan = {
    added: [],
    removed: [...current.keys()].filter((id) => !nextIds.has(id)),
    changed: [],
    rescheduled: new Set(),
  };
  for (const obj of nextObjects) {
    const old = current.get(obj.id);
    if (old === undefined) {
      plan.added.push(obj.id);
      continue;
    }
    if (sameDefinition(old, obj)) continue;
    plan.changed.push(obj.id);
    if (
      JSON.stringify(old.probe) !== JSON.stringify(obj.probe) ||
      old.timing.intervalMs !== obj.timing.intervalMs
    )
      plan.rescheduled.add(obj.id);
  }
  return plan;
}

function sameDefinition(a: CheckedModel, b: CheckedModel): boolean {
  const strip = (o: CheckedModel) => JSON.stringify({ ...o, source: undefined });
  return strip(a) === strip(b);
}
