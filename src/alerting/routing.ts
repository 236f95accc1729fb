import type { RouteModel } from '../core/alerting-model.ts';
import { matchesLabels } from './label-match.ts';

export interface MatchedRoute {
  route: RouteModel;
  /** Position in the tree, e.g. "0.2": part of group keys, stable while the spec does not change. */
  path: string;
}

/**
 * Alertmanager's routing: depth-first, the first matching child wins unless it says `continue`;
 * a route whose children match none is itself the match. The root matches everything.
 */
export function matchRoutes(root: RouteModel, labels: Record<string, string>): MatchedRoute[] {
  return walk(root, 'root', labels) ?? [{ route: root, path: 'root' }];
}

function walk(route: RouteModel, path: string, labels: Record<string, string>): MatchedRoute[] | null {
  if (!matchesLabels(route.match, labels)) return null;
  const found: MatchedRoute[] = [];
  for (let i = 0; i < route.routes.length; i++) {
    const child = walk(route.routes[i]!, `${path}.${i}`, labels);
    if (child === null) continue;
    found.push(...child);
    if (!route.routes[i]!.continue) break;
  }
  return found.length > 0 ? found : [{ route, path }];
}

/** Group key: the route, the receiver and the values of its groupBy labels (`...` = each alert alone). */
export function groupLabelsOf(route: RouteModel, labels: Record<string, string>): Record<string, string> {
  if (route.groupBy.includes('...')) return { ...labels };
  const out: Record<string, string> = {};
  for (const name of route.groupBy) out[name] = labels[name] ?? '';
  return out;
}

export function groupKeyOf(path: string, receiver: string, groupLabels: Record<string, string>): string {
  const parts = Object.keys(groupLabels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(groupLabels[k])}`);
  return `${path}/${receiver}:{${parts.join(',')}}`;
}
