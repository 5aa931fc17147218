import { stringify } from 'yaml';
import type { CompiledRule } from '../alerts/compiled-rule.ts';
import { BURN_WINDOW_SETS } from '../alerts/slo-windows.ts';
import { formatDurationMs } from '../panels/duration.ts';
import type { SeriesExpression } from '../panels/series-expression.ts';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { LLM_LABELS as L, LLM_METRIC_NAMES as N } from './llm-metric-names.ts';
import {
  NotExpressibleError,
  PROMETHEUS_LABEL_OF,
  buildPromQl,
  sumIncrease,
} from './promql-builder.ts';

interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Foghorn rule that PromQL over the exported series cannot express, and why. */
export interface SkippedRule {
  id: string;
  reason: string;
}

export interface PrometheusRulesResult {
  /** The rule file, ready for `promtool check rules`. */
  yaml: string;
  skipped: SkippedRule[];
  alertCount: number;
  recordCount: number;
}

const DEFAULT_WINDOW_MS = 5 * 60_000;

function thresholdExpr(rule: CompiledRule, value: string): string {
  return `${value} ${rule.comparator} ${rule.threshold}`;
}

/** Keeps only groups with at least `min_requests` calls in the window, as Foghorn's evaluator does. */
function withMinRequests(rule: CompiledRule, expr: string, windowMs: number): string {
  if (rule.spec.min_requests <= 0) return expr;
  const by = rule.expression.by === null ? '' : ` on (${PROMETHEUS_LABEL_OF[rule.expression.by]})`;
  const shape = {
    by: rule.expression.by === null ? null : PROMETHEUS_LABEL_OF[rule.expression.by]!,
    matchers: { [L.project]: rule.projectId },
    range: formatDurationMs(windowMs),
    offset: null,
  };
  return `(${expr}) and${by} ${sumIncrease(N.requests, shape)} >= ${rule.spec.min_requests}`;
}

/** Reads the series of the rule's project only, so each project's rules see their own data. */
function ruleQuery(rule: CompiledRule, windowMs: number, offsetMs = 0): string {
  return buildPromQl(rule.expression, windowMs, { offsetMs, projectId: rule.projectId });
}

/**
 * Names an SLO ratio record. Records of a project other than the default one
 * carry its id, with characters Prometheus names reject replaced by `_`.
 */
function recordName(
  expression: SeriesExpression,
  windowMs: number,
  objective: number,
  projectId: string,
): string {
  const by = expression.by === null ? '' : `${PROMETHEUS_LABEL_OF[expression.by]}:`;
  const project =
    projectId === DEFAULT_PROJECT_ID ? '' : `${projectId.replace(/[^a-zA-Z0-9_]/g, '_')}_`;
  const threshold =
    expression.matchers.threshold_ms === undefined ? '' : `_${expression.matchers.threshold_ms}ms`;
  return `${by}foghorn_${project}${expression.metric}${threshold}_${String(objective).replace('.', '_')}:ratio_rate${formatDurationMs(windowMs)}`;
}

/** Multi-window, multi-burn-rate alert over recording rules of the ratio per window; `$value` is the burn rate. */
function sloRules(rule: CompiledRule, records: Map<string, PromRule>): PromRule {
  const slo = rule.spec.slo!;
  const budget = Number((1 - slo.objective).toPrecision(12));
  const burn = (windowMs: number): string => {
    const name = recordName(rule.expression, windowMs, slo.objective, rule.projectId);
    records.set(name, { record: name, expr: ruleQuery(rule, windowMs) });
    return `${name} / ${budget}`;
  };
  const pairs = BURN_WINDOW_SETS[slo.windows].map(
    (pair) => `(${burn(pair.longMs)} > ${pair.factor} and ${burn(pair.shortMs)} > ${pair.factor})`,
  );
  const longestMs = Math.max(...BURN_WINDOW_SETS[slo.windows].map((pair) => pair.longMs));
  return { alert: rule.id, expr: withMinRequests(rule, pairs.join(' or '), longestMs) };
}

function baselineRule(rule: CompiledRule): PromRule {
  const windowMs = rule.expression.windowMs ?? DEFAULT_WINDOW_MS;
  const current = ruleQuery(rule, windowMs);
  const compare = rule.spec.baseline?.compare ?? 'ratio';
  if (compare !== 'ratio')
    throw new NotExpressibleError(
      `baseline comparison "${compare}" has no translation; only ratio has`,
    );
  const baseline = ruleQuery(rule, rule.baselineMs, windowMs);
  return {
    alert: rule.id,
    expr: withMinRequests(rule, thresholdExpr(rule, `(${current}) / (${baseline})`), windowMs),
  };
}

function noDataRule(rule: CompiledRule): PromRule {
  const windowMs = rule.expression.windowMs ?? DEFAULT_WINDOW_MS;
  const label = rule.expression.by === null ? null : PROMETHEUS_LABEL_OF[rule.expression.by]!;
  const on = label === null ? '' : ` on (${label})`;
  const history = ruleQuery(rule, rule.baselineMs, windowMs);
  const recent = ruleQuery(rule, windowMs);
  return {
    alert: rule.id,
    expr: `${history} >= ${Math.max(1, rule.spec.min_requests)} unless${on} ${recent} > 0`,
  };
}

function alertExpression(rule: CompiledRule, records: Map<string, PromRule>): PromRule {
  switch (rule.spec.kind) {
    case 'slo_burn':
      return sloRules(rule, records);
    case 'baseline':
      return baselineRule(rule);
    case 'no_data':
      return noDataRule(rule);
    case 'budget':
      throw new NotExpressibleError('tenant budgets are stored in Foghorn, not exported as series');
    default: {
      const windowMs = rule.expression.windowMs ?? DEFAULT_WINDOW_MS;
      return {
        alert: rule.id,
        expr: withMinRequests(rule, thresholdExpr(rule, ruleQuery(rule, windowMs)), windowMs),
      };
    }
  }
}

/** Rewrites a Foghorn annotation template into Go template syntax over the exported labels. */
export function translateTemplate(template: string, rule: CompiledRule): string {
  const percent = `${Number((rule.threshold * 100).toPrecision(6))}%`;
  const slo = rule.spec.slo;
  // An SLO rule has one burn-rate threshold per window pair.
  const threshold =
    slo === undefined
      ? String(rule.threshold)
      : BURN_WINDOW_SETS[slo.windows].map((pair) => pair.factor).join(' or ');
  return template
    .replace(/\{\{\s*\$threshold\s*\|\s*percent\s*\}\}/g, percent)
    .replace(/\{\{\s*\$threshold\s*\}\}/g, threshold)
    .replace(/\$value\s*\|\s*percent/g, '$value | humanizePercentage')
    .replace(
      /\$labels\.([a-z_]+)/g,
      (_whole, name: string) => `$labels.${PROMETHEUS_LABEL_OF[name] ?? name}`,
    );
}

function dashboardLink(rule: CompiledRule, publicUrl: string): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/?panel=${encodeURIComponent(rule.spec.panel)}`;
  const by = rule.expression.by;
  if (by === null || by === 'error_type') return base;
  return `${base}&${by}={{ $labels.${PROMETHEUS_LABEL_OF[by]} | urlquery }}`;
}

function decorate(rule: CompiledRule, alert: PromRule, publicUrl: string): PromRule {
  const annotations: Record<string, string> = {};
  for (const [name, text] of Object.entries(rule.spec.annotations))
    annotations[name] = translateTemplate(text, rule);
  annotations.dashboard = dashboardLink(rule, publicUrl);
  const result: PromRule = { alert: alert.alert, expr: alert.expr };
  if (rule.forMs > 0) result.for = formatDurationMs(rule.forMs);
  if (rule.keepFiringForMs > 0) result.keep_firing_for = formatDurationMs(rule.keepFiringForMs);
  result.labels = {
    ...rule.spec.labels,
    severity: rule.spec.severity,
    foghorn_rule: rule.id,
    panel: rule.spec.panel,
  };
  result.annotations = annotations;
  return result;
}

/**
 * Translates Foghorn alarm rules into a Prometheus rule file over the `/metrics`
 * series: one alert group per panel, plus a group of SLO ratio recording rules.
 * Each rule reads only the series whose `project` label is the rule's project.
 * `keep_firing_for` needs Prometheus 2.42 or later.
 */
export function buildPrometheusRules(
  rules: readonly CompiledRule[],
  publicUrl: string,
): PrometheusRulesResult {
  const records = new Map<string, PromRule>();
  const groups = new Map<string, PromRule[]>();
  const skipped: SkippedRule[] = [];
  for (const rule of rules) {
    try {
      const alert = decorate(rule, alertExpression(rule, records), publicUrl);
      const group = groups.get(rule.spec.panel) ?? [];
      group.push(alert);
      groups.set(rule.spec.panel, group);
    } catch (error) {
      if (!(error instanceof NotExpressibleError)) throw error;
      skipped.push({ id: rule.id, reason: error.message });
    }
  }
  const fileGroups = [];
  if (records.size > 0)
    fileGroups.push({ name: 'foghorn-slo-ratios', rules: [...records.values()] });
  for (const [panel, alerts] of groups)
    fileGroups.push({ name: `foghorn-${panel}`, rules: alerts });
  const alertCount = [...groups.values()].reduce((sum, alerts) => sum + alerts.length, 0);
  return { yaml: renderFile(fileGroups, skipped), skipped, alertCount, recordCount: records.size };
}

function renderFile(groups: object[], skipped: readonly SkippedRule[]): string {
  const header = [
    '# Prometheus rules generated by "foghorn export prometheus-rules" from Foghorn\'s alarm rules.',
  ];
  if (skipped.length > 0) header.push('# Rules PromQL over the exported series cannot express:');
  for (const rule of skipped) header.push(`#   ${rule.id}: ${rule.reason}`);
  return `${header.join('\n')}\n${stringify({ groups }, { lineWidth: 0 })}`;
}
