import type { AlertRule } from '../api/types.ts';
import { formatDurationMs } from './format.ts';

/** A horizontal line on a chart at an alarm threshold. */
export interface ChartThreshold {
  value: number;
  label: string;
  ruleId: string;
}

const LATENCY_EXPR = /^latency_(p50|p95|p99)_ms\b/;

/**
 * Lists the thresholds of the latency panel's threshold rules on percentile latency,
 * such as `latency_p95_ms by model over 10m > 15000`. Rules of other kinds (SLO burn,
 * baseline) compare ratios, not milliseconds, so they draw no line.
 */
export function latencyThresholds(rules: readonly AlertRule[]): ChartThreshold[] {
  const thresholds: ChartThreshold[] = [];
  for (const rule of rules) {
    const match = LATENCY_EXPR.exec(rule.expr);
    if (rule.panel !== 'latency' || rule.kind !== 'threshold' || match === null) continue;
    if (typeof rule.threshold !== 'number' || !Number.isFinite(rule.threshold)) continue;
    thresholds.push({
      value: rule.threshold,
      label: `${match[1] ?? ''} ${rule.comparator} ${formatDurationMs(rule.threshold)} (${rule.id})`,
      ruleId: rule.id,
    });
  }
  return thresholds;
}
