import type { Attributes } from '../ingest/otlp/otlp-model.ts';

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';
export type Temporality = 'unspecified' | 'delta' | 'cumulative';

/** Exponential histogram buckets: bucket `offset + i` covers (base^(offset+i), base^(offset+i+1)], base = 2^(2^-scale). */
export interface ExponentialBuckets {
  scale: number;
  zeroCount: number;
  positiveOffset: number;
  positiveCounts: number[];
  negativeOffset: number;
  negativeCounts: number[];
}

/**
 * One stored metric data point. Sums and histograms carry their increase since
 * the previous point of the same series in the `delta*` fields, whatever
 * temporality the sender used, so queries add deltas up.
 */
export interface MetricPoint {
  metricName: string;
  unit: string;
  kind: MetricKind;
  temporality: Temporality;
  isMonotonic: boolean;
  serviceName: string;
  scopeName: string;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  attributes: Attributes;
  resourceAttributes: Attributes;
  model: string | null;
  provider: string | null;
  tenant: string | null;
  feature: string | null;
  /** `input`, `output` ... from `gen_ai.token.type` or `token_type`. */
  tokenType: string | null;
  /** The error class or name from `error.type` or `error_type`. */
  errorType: string | null;
  /** Gauge value, or the sum's value as sent. */
  value: number | null;
  /** Increase of a sum since the previous point. */
  deltaValue: number | null;
  /** Histogram and summary count and sum increases since the previous point. */
  deltaCount: number | null;
  deltaSum: number | null;
  min: number | null;
  max: number | null;
  explicitBounds: number[];
  /** Increase of each explicit bucket since the previous point. */
  deltaBucketCounts: number[];
  exponential: ExponentialBuckets | null;
  quantiles: { quantile: number; value: number }[];
  /** True when a counter reset or a new start time was seen at this point. */
  reset: boolean;
}
