import type { AlertRule } from '../api/types.ts';

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export const SEVERITIES = ['page', 'ticket', 'info'] as const;

/** The editable fields of a rule, as the form's inputs hold them. */
export interface RuleFormFields {
  id: string;
  panel: string;
  expr: string;
  comparator: string;
  /** Empty for no threshold, which only non-threshold kinds accept. */
  threshold: string;
  for: string;
  keepFiringFor: string;
  severity: string;
  /** One `name=value` pair per line. */
  labels: string;
  summary: string;
}

export type RuleBodyResult =
  { ok: true; body: Record<string, unknown> } | { ok: false; message: string };

export const EMPTY_RULE_FIELDS: Readonly<RuleFormFields> = Object.freeze({
  id: '',
  panel: '',
  expr: '',
  comparator: '>',
  threshold: '',
  for: '0s',
  keepFiringFor: '0s',
  severity: 'ticket',
  labels: '',
  summary: '',
});

/** Fills the form from a rule as the rules API returns it. */
export function fieldsFromRule(rule: AlertRule): RuleFormFields {
  return {
    id: rule.id,
    panel: rule.panel,
    expr: rule.expr,
    comparator: rule.comparator,
    threshold: rule.threshold === undefined ? '' : String(rule.threshold),
    for: rule.for,
    keepFiringFor: rule.keep_firing_for ?? '0s',
    severity: rule.severity,
    labels: Object.entries(rule.labels ?? {})
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
    summary: rule.annotations?.summary ?? '',
  };
}

/**
 * Builds the request body of the rules API: the original rule's other fields (kind, slo,
 * baseline, group_by, ...) with the form's fields on top. The server checks the rest.
 */
export function ruleBodyFromFields(
  original: AlertRule | null,
  fields: RuleFormFields,
): RuleBodyResult {
  const labels = parseLabelLines(fields.labels);
  if (typeof labels === 'string') return { ok: false, message: labels };
  const threshold = fields.threshold.trim();
  if (threshold !== '' && !Number.isFinite(Number(threshold))) {
    return {
      ok: false,
      message: `threshold "${threshold}" is not a number; enter a number such as 8000 or leave it empty`,
    };
  }

  // The server rejects unknown fields, and it sets the project from the caller's session.
  const rest: Record<string, unknown> = { ...(original ?? {}) };
  delete rest.origin;
  delete rest.project;
  const annotations: Record<string, string> = { ...(original?.annotations ?? {}) };
  if (fields.summary.trim() === '') delete annotations.summary;
  else annotations.summary = fields.summary.trim();
  const body: Record<string, unknown> = {
    ...rest,
    id: fields.id.trim(),
    panel: fields.panel.trim(),
    expr: fields.expr.trim(),
    comparator: fields.comparator,
    for: fields.for.trim(),
    keep_firing_for: fields.keepFiringFor.trim(),
    severity: fields.severity,
    labels,
    annotations,
  };
  if (threshold === '') delete body.threshold;
  else body.threshold = Number(threshold);
  return { ok: true, body };
}

/** Parses `name=value` lines into a label map, or returns the problem as a message. */
export function parseLabelLines(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line === '') continue;
    const equals = line.indexOf('=');
    if (equals <= 0) {
      return `labels line ${index + 1} "${line}" is invalid; write one name=value pair per line`;
    }
    labels[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return labels;
}

/**
 * Returns silence matchers for a rule's alerts: `alertname` (the evaluator sets it to the
 * rule id) plus the rule's own labels, in the `name="value"` form of the silences API.
 */
export function silenceMatchersForRule(rule: AlertRule): string[] {
  const labels: Record<string, string> = { ...(rule.labels ?? {}), alertname: rule.id };
  return Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
}
