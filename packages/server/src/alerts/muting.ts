import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import type { InhibitRule } from './alerting-config.ts';
import type { Silence } from './alert-store.ts';
import type { Labels } from './labels.ts';
import { matchesAll } from './matchers.ts';

/**
 * True when an active silence of the alert's project (its `project` label) matches every
 * matcher against the labels; a silence never mutes another project's alerts.
 */
export function isSilenced(silences: readonly Silence[], labels: Labels, nowMs: number): boolean {
  const projectId = labels.project ?? DEFAULT_PROJECT_ID;
  return silences.some(
    (silence) =>
      silence.projectId === projectId &&
      silence.startsAtMs <= nowMs &&
      nowMs < silence.endsAtMs &&
      matchesAll(silence.matchers, labels),
  );
}

/**
 * True when a firing source alert inhibits the target, as in Alertmanager: the
 * target matches `target_matchers`, a source matches `source_matchers`, both have
 * equal values for every `equal` label (missing equals empty), and an alert that
 * matches both sides is never inhibited by another that also matches both.
 */
export function isInhibited(
  rules: readonly InhibitRule[],
  target: Labels,
  firingSources: readonly Labels[],
): boolean {
  return rules.some((rule) => {
    if (!matchesAll(rule.target_matchers, target)) return false;
    const targetIsSource = matchesAll(rule.source_matchers, target);
    return firingSources.some((source) => {
      if (source === target || !matchesAll(rule.source_matchers, source)) return false;
      // Alerts of one project never inhibit another project's.
      if ((source.project ?? '') !== (target.project ?? '')) return false;
      if (targetIsSource && matchesAll(rule.target_matchers, source)) return false;
      return rule.equal.every((name) => (source[name] ?? '') === (target[name] ?? ''));
    });
  });
}
