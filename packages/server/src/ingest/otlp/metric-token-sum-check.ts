import {
  SINGLE_TYPE_TOKEN_METRICS,
  TYPED_TOKEN_METRICS,
} from '../../metrics/genai-metric-names.ts';
import type { AnyDataPoint } from './metric-data.ts';

const TOKEN_METRIC_NAMES: ReadonlySet<string> = new Set([
  ...TYPED_TOKEN_METRICS,
  ...Object.keys(SINGLE_TYPE_TOKEN_METRICS),
]);

/**
 * Returns a warning when a histogram point of a token metric has recorded values but no sum,
 * or ''. OTLP makes the sum optional, but token totals are the sums of the token histograms,
 * so such a point adds 0 tokens. Foghorn does not estimate the sum from the buckets.
 */
export function describeMissingTokenSum(metricName: string, point: AnyDataPoint): string {
  if (!TOKEN_METRIC_NAMES.has(metricName)) return '';
  if (!('sum' in point) || point.sum !== null || point.count === 0) return '';
  return (
    `sum is missing, so the ${point.count} token counts recorded in this point add 0 to ` +
    `the token totals of ${metricName}; record the histogram with its sum`
  );
}
