import { ACTIVE_REQUEST_METRICS } from '../metrics/genai-metric-names.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import type { InflightSeries, LlmQuery, Store } from '../store/store.ts';

const NANOS_PER_MS = 1_000_000n;

function seriesIdentity(point: MetricPoint): string {
  return JSON.stringify([
    point.metricName,
    point.serviceName,
    point.attributes,
    point.resourceAttributes,
  ]);
}

/**
 * Averages the active-requests metric per bucket: the mean of each series' reported
 * levels in the bucket, summed over series (one series per process and attribute set).
 */
export function inflightFromMetricPoints(
  points: readonly MetricPoint[],
  stepMs: number,
): InflightSeries['points'] {
  const sums = new Map<number, Map<string, { total: number; count: number }>>();
  for (const point of points) {
    if (point.value === null) continue;
    const timeMs = Number(point.timeUnixNano / NANOS_PER_MS);
    const bucketMs = Math.floor(timeMs / stepMs) * stepMs;
    const bySeries = sums.get(bucketMs) ?? new Map<string, { total: number; count: number }>();
    sums.set(bucketMs, bySeries);
    const identity = seriesIdentity(point);
    const entry = bySeries.get(identity) ?? { total: 0, count: 0 };
    entry.total += point.value;
    entry.count += 1;
    bySeries.set(identity, entry);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, bySeries]) => ({
      t,
      inflight: [...bySeries.values()].reduce((sum, entry) => sum + entry.total / entry.count, 0),
    }));
}

/**
 * Returns in-flight requests per bucket from `gen_ai.requests.active` when the window has
 * that metric, otherwise the average concurrency of LLM call spans.
 */
export async function inflightSeries(
  store: Store,
  query: LlmQuery,
  stepMs: number,
): Promise<InflightSeries> {
  const points = await store.metricPoints(query, ACTIVE_REQUEST_METRICS, query.filters);
  const fromMetric = inflightFromMetricPoints(points, stepMs);
  if (fromMetric.length > 0) return { source: 'metric', points: fromMetric };
  return { source: 'spans', points: await store.inflightFromSpans(query, stepMs) };
}
