import { findPanel, PANEL_IDS } from '../panels/panel-definitions.ts';
import { parseDurationMs } from '../panels/duration.ts';
import { METRICS, isSeriesDimension } from '../panels/metric-catalog.ts';
import {
  ExpressionError,
  parseSeriesExpression,
  type SeriesExpression,
} from '../panels/series-expression.ts';
import type { CompiledRule, RuleOrigin, RuleProblem } from './compiled-rule.ts';
import { checkTemplate } from './template.ts';
import { ruleSchema, type Comparator, type RuleSpec } from './rule-schema.ts';

/** Share of the threshold by which the default resolve threshold sits inside the fire threshold. */
export const DEFAULT_HYSTERESIS_RATIO = 0.05;

const SLO_METRICS = ['error_ratio', 'slow_ratio'];

/** The outcome of checking one rule: the compiled rule, or its problems. */
export type RuleCheckResult =
  { ok: true; rule: CompiledRule } | { ok: false; problems: RuleProblem[] };

/** Validates a rule object (from YAML or JSON) and compiles it. */
export function checkRule(input: unknown, origin: RuleOrigin): RuleCheckResult {
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      path: issue.path.filter((part) => typeof part !== 'symbol') as (string | number)[],
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const problems: RuleProblem[] = [];
  const rule = compile(parsed.data, origin, problems);
  return rule === null || problems.length > 0 ? { ok: false, problems } : { ok: true, rule };
}

function compile(spec: RuleSpec, origin: RuleOrigin, problems: RuleProblem[]): CompiledRule | null {
  const panel = findPanel(spec.panel);
  if (!panel) {
    problems.push({
      path: ['panel'],
      message: `unknown panel "${spec.panel}"; use one of ${PANEL_IDS.join(', ')}`,
    });
    return null;
  }
  const expression = parseExpression(spec, problems);
  if (expression === null) return null;
  const panelMetrics = panel.series.map((series) => parseSeriesExpression(series.expr).metric);
  if (!panelMetrics.includes(expression.metric)) {
    problems.push({
      path: ['expr'],
      message: `panel ${panel.id} has no series of metric ${expression.metric}; its series are: ${panel.series.map((s) => s.expr).join('; ')}`,
    });
  }
  checkKind(spec, expression, problems);
  for (const [name, template] of Object.entries(spec.annotations)) {
    for (const message of checkTemplate(template))
      problems.push({ path: ['annotations', name], message: `template ${message}` });
  }
  const threshold = spec.threshold ?? defaultThreshold(spec);
  const comparator = spec.kind === 'no_data' ? '<=' : spec.comparator;
  const resolveThreshold = spec.resolve_threshold ?? defaultResolveThreshold(comparator, threshold);
  checkResolveThreshold(spec, comparator, threshold, resolveThreshold, problems);
  return {
    projectId: spec.project,
    id: spec.id,
    spec,
    origin,
    expression,
    comparator,
    threshold,
    resolveThreshold,
    forMs: parseDurationMs(spec.for) ?? 0,
    keepFiringForMs: parseDurationMs(spec.keep_firing_for) ?? 0,
    baselineMs: spec.baseline === undefined ? 0 : (parseDurationMs(spec.baseline.over) ?? 0),
  };
}

function parseExpression(spec: RuleSpec, problems: RuleProblem[]): SeriesExpression | null {
  let expression: SeriesExpression;
  try {
    expression = parseSeriesExpression(spec.expr);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    problems.push({
      path: ['expr'],
      message: `${error.message} (at column ${error.column} of the expression)`,
    });
    return null;
  }
  const groupBy = spec.group_by?.[0];
  if (groupBy !== undefined && expression.by !== null && groupBy !== expression.by) {
    problems.push({
      path: ['group_by'],
      message: `group_by [${groupBy}] contradicts "by ${expression.by}" in expr; keep one of them`,
    });
  } else if (groupBy !== undefined && expression.by === null) {
    const definition = METRICS[expression.metric]!;
    if (!isSeriesDimension(groupBy) || !definition.dimensions.includes(groupBy)) {
      problems.push({
        path: ['group_by', 0],
        message: `metric ${expression.metric} cannot be grouped by "${groupBy}"; use one of ${definition.dimensions.join(', ')}`,
      });
      return null;
    }
    expression = { ...expression, by: groupBy };
  }
  return expression;
}

function checkKind(spec: RuleSpec, expression: SeriesExpression, problems: RuleProblem[]): void {
  const needsWindow = spec.kind !== 'slo_burn';
  if (needsWindow && expression.windowMs === null) {
    problems.push({
      path: ['expr'],
      message: `a ${spec.kind} rule needs a window; end the expression with "over 5m" or similar`,
    });
  }
  if (spec.kind === 'threshold' && spec.threshold === undefined) {
    problems.push({
      path: ['threshold'],
      message: 'a threshold rule needs a numeric threshold, such as threshold: 8000',
    });
  }
  if (spec.kind === 'slo_burn') checkSlo(spec, expression, problems);
  if (spec.kind === 'baseline' || spec.kind === 'no_data') checkBaseline(spec, problems);
  if (spec.kind === 'baseline' && spec.threshold === undefined) {
    problems.push({
      path: ['threshold'],
      message:
        'a baseline rule needs a threshold for the comparison, such as threshold: 2 for twice the baseline',
    });
  }
  if (
    spec.kind === 'budget' &&
    (expression.metric !== 'projected_monthly_cost_usd' || expression.by !== 'tenant')
  ) {
    problems.push({
      path: ['expr'],
      message:
        'a budget rule compares projected_monthly_cost_usd by tenant with the budgets; use projected_monthly_cost_usd by tenant over 24h',
    });
  }
  if (spec.kind === 'no_data' && expression.metric !== 'requests') {
    problems.push({
      path: ['expr'],
      message: 'a no_data rule counts calls; use requests by service over 15m',
    });
  }
}

function checkSlo(spec: RuleSpec, expression: SeriesExpression, problems: RuleProblem[]): void {
  if (spec.slo === undefined) {
    problems.push({
      path: ['slo'],
      message: 'an slo_burn rule needs slo: {objective: 0.99, windows: page}',
    });
  }
  if (expression.windowMs !== null) {
    problems.push({
      path: ['expr'],
      message:
        'an slo_burn rule takes its windows from slo.windows; remove "over ..." from the expression',
    });
  }
  if (!SLO_METRICS.includes(expression.metric)) {
    problems.push({
      path: ['expr'],
      message: `an slo_burn rule needs a ratio of bad calls: ${SLO_METRICS.join(' or ')}`,
    });
  }
  const objective = spec.slo?.objective;
  if (objective !== undefined && spec.slo?.windows === 'page' && 14.4 * (1 - objective) >= 1) {
    problems.push({
      path: ['slo', 'objective'],
      message: `objective ${objective} leaves a budget so large that a 14.4x burn is impossible; use an objective of at least 0.931`,
    });
  }
}

function checkBaseline(spec: RuleSpec, problems: RuleProblem[]): void {
  if (spec.baseline === undefined) {
    problems.push({
      path: ['baseline'],
      message: `a ${spec.kind} rule needs baseline: {over: 24h}`,
    });
  }
}

function defaultThreshold(spec: RuleSpec): number {
  if (spec.kind === 'budget') return 1;
  if (spec.kind === 'slo_burn') return 1;
  return 0;
}

/** Moves the resolve threshold a few percent inside the fire threshold, so a hovering value does not flap. */
export function defaultResolveThreshold(comparator: Comparator, threshold: number): number {
  const margin = Math.abs(threshold) * DEFAULT_HYSTERESIS_RATIO;
  return comparator.startsWith('>') ? threshold - margin : threshold + margin;
}

function checkResolveThreshold(
  spec: RuleSpec,
  comparator: Comparator,
  threshold: number,
  resolveThreshold: number,
  problems: RuleProblem[],
): void {
  if (spec.resolve_threshold === undefined) return;
  const inside = comparator.startsWith('>')
    ? resolveThreshold <= threshold
    : resolveThreshold >= threshold;
  if (!inside) {
    const side = comparator.startsWith('>') ? 'at most' : 'at least';
    problems.push({
      path: ['resolve_threshold'],
      message: `resolve_threshold ${resolveThreshold} must be ${side} the threshold ${threshold}, so an alert resolves only after the value moved back`,
    });
  }
}
