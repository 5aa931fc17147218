import { ACTIVE_REQUEST_METRICS } from '../metrics/genai-metric-names.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import type { InflightSeries, LlmQuery, Store } from '../store/store.ts';

const NANOS_PER_MS = 1_000_000n;
/**
 * How far before the window the changes of a delta up-down counter are summed into its
 * starting level. A call in flight ends within minutes, so its +1 and -1 both fall inside.
 */
const LEVEL_LOOKBACK_MS = 24 * 3_600_000;

function seriesIdentity(point: MetricPoint): string {
  return JSON.stringify([
    point.metricName,
    point.serviceName,
    point.attributes,
    point.resourceAttributes,
  ]);
}

/** True for a delta up-down counter, whose points carry changes of the level, not levels. */
function isDeltaUpDown(point: MetricPoint): boolean {
  return point.kind === 'sum' && point.temporality === 'delta' && !point.isMonotonic;
}

/** Sums the changes of each delta up-down series: its level after the last of `points`. */
function deltaLevels(points: readonly MetricPoint[]): Map<string, number> {
  const levels = new Map<string, number>();
  for (const point of points) {
    if (!isDeltaUpDown(point) || point.value === null) continue;
    const identity = seriesIdentity(point);
    levels.set(identity, (levels.get(identity) ?? 0) + point.value);
  }
  return levels;
}

/**
 * Averages the active-requests metric per bucket: the mean of each series' levels in the
 * bucket, summed over series (one series per process and attribute set). A gauge or a
 * cumulative up-down counter reports its level. A delta up-down counter reports changes,
 * so its level is its level before the window (`startLevels`) plus its changes so far.
 */
export function inflightFromMetricPoints(
  points: readonly MetricPoint[],
  stepMs: number,
  startLevels: ReadonlyMap<string, number> = new Map(),
): InflightSeries['points'] {
  const sums = new Map<number, Map<string, { total: number; count: number }>>();
  const levels = new Map(startLevels);
  for (const point of points) {
    if (point.value === null) continue;
    const identity = seriesIdentity(point);
    let level = point.value;
    if (isDeltaUpDown(point)) {
      level += levels.get(identity) ?? 0;
      levels.set(identity, level);
    }
    const timeMs = Number(point.timeUnixNano / NANOS_PER_MS);
    const bucketMs = Math.floor(timeMs / stepMs) * stepMs;
    const bySeries = sums.get(bucketMs) ?? new Map<string, { total: number; count: number }>();
    sums.set(bucketMs, bySeries);
    const entry = bySeries.get(identity) ?? { total: 0, count: 0 };
    entry.total += level;
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
 * that metric, otherwise the average concurrency of LLM call spans. A delta up-down
 * counter's level before the window is the sum of its stored changes in the
 * `LEVEL_LOOKBACK_MS` before it, so only windows with such a counter read earlier points,
 * and the read stays bounded as the store grows.
 * NOTE: a restarted process starts a delta up-down counter at 0 again, but the sum
 * carries over any change the old process never reversed when the series identity
 * (resource and attributes) stays the same. A change older than the lookback is left out,
 * and a series that sent no point in a bucket is missing from that bucket's sum.
 */
export async function inflightSeries(
  store: Store,
  query: LlmQuery,
  stepMs: number,
): Promise<InflightSeries> {
  const points = await store.metricPoints(query, ACTIVE_REQUEST_METRICS, query.filters);
  let startLevels = new Map<string, number>();
  if (points.some(isDeltaUpDown)) {
    const earlier = await store.metricPoints(
      {
        projectId: query.projectId,
        fromUnixMs: query.fromUnixMs - LEVEL_LOOKBACK_MS,
        toUnixMs: query.fromUnixMs,
      },
      ACTIVE_REQUEST_METRICS,
      query.filters,
    );
    startLevels = deltaLevels(earlier);
  }
  const fromMetric = inflightFromMetricPoints(points, stepMs, startLevels);
  if (fromMetric.length > 0) return { source: 'metric', points: fromMetric };
  return { source: 'spans', points: await store.inflightFromSpans(query, stepMs) };
}
