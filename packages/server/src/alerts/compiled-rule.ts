import type { SeriesExpression } from '../panels/series-expression.ts';
import type { Comparator, RuleSpec } from './rule-schema.ts';

/**
 * Where a rule came from: a YAML file under the data directory (with the 1-based
 * line and column of its `id`, when known), or the rules API.
 */
export type RuleOrigin =
  { kind: 'file'; path: string; line?: number; column?: number } | { kind: 'api' };

/** A validated rule with its expression parsed and its durations in milliseconds. */
export interface CompiledRule {
  /** The project whose data the rule reads and whose alerts it raises. */
  projectId: string;
  id: string;
  spec: RuleSpec;
  origin: RuleOrigin;
  expression: SeriesExpression;
  comparator: Comparator;
  threshold: number;
  /** The value an active alert must cross back over before it resolves. */
  resolveThreshold: number;
  forMs: number;
  keepFiringForMs: number;
  /** Length of the baseline window of baseline and no_data rules; 0 for other kinds. */
  baselineMs: number;
}

/** Identifies a rule across projects: rule ids are unique within one project only. */
export function ruleKey(projectId: string, ruleId: string): string {
  return `${projectId}/${ruleId}`;
}

/** A validation problem: the path of the field inside the rule and what to fix. */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}
