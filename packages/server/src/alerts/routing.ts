import type { RouteNode } from './alerting-config.ts';
import type { Labels } from './labels.ts';
import { matchesAll } from './matchers.ts';

/**
 * Returns the route nodes that handle an alert, as Alertmanager does: children are
 * tried in order, the first match is taken unless it has `continue: true`, and a
 * node none of whose children match handles the alert itself.
 */
export function matchRoutes(node: RouteNode, labels: Labels): RouteNode[] {
  if (!matchesAll(node.matchers, labels)) return [];
  const matched: RouteNode[] = [];
  for (const child of node.routes) {
    const found = matchRoutes(child, labels);
    if (found.length === 0) continue;
    matched.push(...found);
    if (!child.continue) break;
  }
  return matched.length > 0 ? matched : [node];
}

/** The group key of an alert on a route: the route path and the values of its group-by labels. */
export function groupKeyFor(
  node: RouteNode,
  labels: Labels,
  alertKey: string,
): { key: string; groupLabels: Labels } {
  if (node.groupBy.includes('...')) {
    return { key: `${node.path}:${alertKey}`, groupLabels: { ...labels } };
  }
  const groupLabels: Labels = {};
  for (const name of node.groupBy) groupLabels[name] = labels[name] ?? '';
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(groupLabels[name])}`);
  return { key: `${node.path}:{${pairs.join(',')}}`, groupLabels };
}
