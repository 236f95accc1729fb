import type { InhibitRuleModel } from '../core/alerting-model.ts';
import { matchesLabels } from './label-match.ts';

export interface InhibitionSource {
  objectId: string;
  labels: Record<string, string>;
}

/**
 * Why an alert is muted by what lies in front of it, or null. Built in: a host alert is muted while
 * one of its parents (transitively: the bastion, the router) is down or unreachable, and so is a
 * service on such a host. Configured: Alertmanager's inhibit rules (a firing source mutes matching
 * targets with the same values of `equal`).
 *
 * `hostParents` maps host → parents; `hostDown` tells whether a host is HARD DOWN/UNREACHABLE.
 */
export function inhibitedBy(
  target: { objectId: string; labels: Record<string, string>; host: string; kind: 'host' | 'service' },
  firing: readonly InhibitionSource[],
  rules: readonly InhibitRuleModel[],
  hostParents: ReadonlyMap<string, readonly string[]>,
  hostDown: (host: string) => boolean,
): string | null {
  const seen = new Set<string>();
  const queue = [...(hostParents.get(target.host) ?? [])];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    if (seen.has(parent)) continue;
    seen.add(parent);
    if (hostDown(parent)) return `host ${parent}, in front of ${target.host}, is down`;
    queue.push(...(hostParents.get(parent) ?? []));
  }
  for (const rule of rules) {
    if (!matchesLabels(rule.targetMatch, target.labels)) continue;
    const source = firing.find(
      (s) =>
        s.objectId !== target.objectId &&
        matchesLabels(rule.sourceMatch, s.labels) &&
        rule.equal.every((l) => (s.labels[l] ?? '') === (target.labels[l] ?? '')),
    );
    if (source) return `inhibited by the firing alert of ${source.objectId}`;
  }
  return null;
}
