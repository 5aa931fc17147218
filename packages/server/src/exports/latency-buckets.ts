import { DEFAULT_PACK_YAML } from '../alerts/default-pack.ts';
import type { CompiledRule } from '../alerts/compiled-rule.ts';
import { parseRuleFile } from '../alerts/rule-file.ts';
import { PANELS } from '../panels/panel-definitions.ts';
import { parseSeriesExpression, type SeriesExpression } from '../panels/series-expression.ts';

/** Bucket bounds in seconds advised for `gen_ai.client.operation.duration` by the OTel GenAI semantic conventions. */
export const GENAI_DURATION_BOUNDS_SECONDS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** Bucket bounds in seconds advised for `gen_ai.server.time_to_first_token` by the same conventions. */
export const GENAI_TTFT_BOUNDS_SECONDS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** The rules of the default alarm pack, which ships with every install. */
export function defaultPackRules(): CompiledRule[] {
  return parseRuleFile(DEFAULT_PACK_YAML, 'default.yaml').rules;
}

function latencyThresholdMs(
  expression: SeriesExpression,
  rule: CompiledRule | null,
  metricPrefix: string,
): number | null {
  if (expression.metric === 'slow_ratio' && metricPrefix === 'latency_')
    return Number(expression.matchers.threshold_ms);
  if (rule !== null && rule.spec.kind === 'threshold' && expression.metric.startsWith(metricPrefix))
    return rule.threshold;
  return null;
}

/**
 * Adds every latency threshold of the rules and panels, in seconds, to the advised
 * bounds, so that `histogram_quantile` and slow-call ratios are exact at each one.
 */
function boundsWithThresholds(
  base: readonly number[],
  rules: readonly CompiledRule[],
  metricPrefix: string,
): number[] {
  const bounds = new Set(base);
  for (const rule of rules) {
    const thresholdMs = latencyThresholdMs(rule.expression, rule, metricPrefix);
    if (thresholdMs !== null && thresholdMs > 0) bounds.add(thresholdMs / 1000);
  }
  for (const panel of PANELS) {
    for (const series of panel.series) {
      const thresholdMs = latencyThresholdMs(
        parseSeriesExpression(series.expr),
        null,
        metricPrefix,
      );
      if (thresholdMs !== null && thresholdMs > 0) bounds.add(thresholdMs / 1000);
    }
  }
  return [...bounds].sort((a, b) => a - b);
}

/** Duration bounds in seconds: the advised GenAI bounds plus every latency alarm and panel threshold. */
export function durationBoundsSeconds(
  rules: readonly CompiledRule[] = defaultPackRules(),
): number[] {
  return boundsWithThresholds(GENAI_DURATION_BOUNDS_SECONDS, rules, 'latency_');
}

/** Time-to-first-token bounds in seconds: the advised bounds plus every TTFT alarm threshold. */
export function ttftBoundsSeconds(rules: readonly CompiledRule[] = defaultPackRules()): number[] {
  return boundsWithThresholds(GENAI_TTFT_BOUNDS_SECONDS, rules, 'ttft_');
}
