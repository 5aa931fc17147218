import { errorTypeFromName } from '../enrich/error-type.ts';
import {
  DURATION_METRICS,
  ERROR_METRICS,
  SINGLE_TYPE_TOKEN_METRICS,
  TYPED_TOKEN_METRICS,
  millisecondsPerUnit,
  tokenKindOf,
} from '../metrics/genai-metric-names.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import { readString } from '../semconv/attributes.ts';
import type { GroupBy, LlmAggregate } from '../store/store.ts';
import { histogramQuantile } from '../metrics/histogram-quantile.ts';
import { LatencyHistogram, type RangeMs } from './latency-histogram.ts';
import { MetricUsage } from './metric-usage.ts';

/** Every metric the summary and time series read. */
export const AGGREGATE_METRICS: readonly string[] = [
  ...DURATION_METRICS,
  ...TYPED_TOKEN_METRICS,
  ...Object.keys(SINGLE_TYPE_TOKEN_METRICS),
  ...ERROR_METRICS,
];

/** An aggregate computed from metrics, with the latency buckets it was interpolated from. */
export interface MetricAggregate extends LlmAggregate {
  latencyBucketBoundsMs: number[];
  /** Ranges where buckets of different points were merged by interpolation; see `MergedLatency`. */
  approximateLatencyRangesMs: RangeMs[];
  /** True when the buckets are too wide for the percentiles to mean much. */
  coarseLatencyBuckets: boolean;
}

/** Returns the group key of a point, read from the same attributes as the span columns. */
export function metricGroupKey(point: MetricPoint, groupBy: GroupBy | null): string | null {
  switch (groupBy) {
    case null:
      return null;
    case 'model':
      return point.model;
    case 'responseModel':
      return readString(point.attributes, ['gen_ai.response.model']);
    case 'provider':
      return point.provider;
    case 'tenant':
      return point.tenant;
    case 'feature':
      return point.feature;
    case 'service':
      return point.serviceName;
    case 'errorType':
      return point.errorType === null ? null : errorTypeFromName(point.errorType);
    case 'operation':
      return readString(point.attributes, ['gen_ai.operation.name']);
    case 'registeredModel':
      // GenAI metrics carry no registered model, so every point falls in the null group.
      return null;
  }
}

/**
 * Returns the services whose duration points carry an error type. Their histograms count
 * failed calls already (the OTel GenAI convention), so their error counters are not added.
 * Other services record durations of successful calls only (as the OTel metrics examples
 * do), so their error counters add failed calls to the requests.
 */
export function servicesWithErrorDurations(points: readonly MetricPoint[]): Set<string> {
  const services = new Set<string>();
  for (const point of points) {
    if (point.errorType !== null && isDuration(point)) services.add(point.serviceName);
  }
  return services;
}

function isDuration(point: MetricPoint): boolean {
  return (DURATION_METRICS as readonly string[]).includes(point.metricName);
}

/** Requests, errors, latency, tokens and cost of one group of metric points. */
export class MetricGroup {
  private requests = 0;
  private errors = 0;
  private readonly latency = new LatencyHistogram();
  private readonly usage = new MetricUsage();

  /**
   * Adds one point. `errorDurationServices` comes from `servicesWithErrorDurations` over
   * the whole window.
   */
  add(point: MetricPoint, errorDurationServices: Set<string>): void {
    if (isDuration(point)) {
      this.addDuration(point);
    } else if ((ERROR_METRICS as readonly string[]).includes(point.metricName)) {
      if (errorDurationServices.has(point.serviceName)) return;
      const failed = point.deltaValue ?? 0;
      this.requests += failed;
      this.errors += failed;
      this.usage.addRequests(point, failed);
    } else {
      const kind = SINGLE_TYPE_TOKEN_METRICS[point.metricName] ?? tokenKindOf(point.tokenType);
      if (kind !== null) this.usage.addTokens(point, kind, tokenTotal(point));
    }
  }

  /** True when the group has a request, an error or input or output tokens. */
  hasData(): boolean {
    const tokens = this.usage.totals();
    return this.requests > 0 || this.errors > 0 || tokens.input + tokens.output > 0;
  }

  /** Computes the aggregate, pricing tokens with the prices in force at `atUnixNano`. */
  toAggregate(atUnixNano: bigint): MetricAggregate {
    const merged = this.latency.merge();
    const quantile = (q: number): number | null =>
      merged === null ? null : histogramQuantile(q, merged.histogram);
    return {
      requests: this.requests,
      errors: this.errors,
      latencyMs: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) },
      tokens: this.usage.totals(),
      ...this.usage.price(atUnixNano),
      latencyBucketBoundsMs: merged?.histogram.bounds ?? [],
      approximateLatencyRangesMs: merged?.approximateRangesMs ?? [],
      coarseLatencyBuckets: merged?.coarse ?? false,
    };
  }

  private addDuration(point: MetricPoint): void {
    const count = point.deltaCount ?? 0;
    this.requests += count;
    if (point.errorType !== null) this.errors += count;
    this.usage.addRequests(point, count);
    addHistogram(this.latency, point);
  }
}

/** Adds a histogram point's buckets, converted to milliseconds, to `latency`. */
export function addHistogram(latency: LatencyHistogram, point: MetricPoint): void {
  const factor = millisecondsPerUnit(point.unit);
  // Ingest keeps min and max only on points whose increase contains every call since the
  // series started, so they describe the calls the point counts.
  const extremes = { min: point.min, max: point.max };
  if (point.kind === 'exponential_histogram' && point.exponential !== null) {
    latency.addExponential(point.exponential, factor, extremes);
  } else if (point.kind === 'histogram') {
    latency.addExplicit(point.explicitBounds, point.deltaBucketCounts, factor, extremes);
  }
}

function tokenTotal(point: MetricPoint): number {
  if (point.kind === 'sum') return point.deltaValue ?? 0;
  return point.deltaSum ?? 0;
}
