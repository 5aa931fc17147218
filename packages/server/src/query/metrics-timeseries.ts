import { unixNanoFromMs } from '../ingest/timestamps.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import type {
  GroupBy,
  LlmAggregate,
  LlmQuery,
  Store,
  TimeseriesSeries,
  TtftSeries,
} from '../store/store.ts';
import { histogramQuantile } from '../metrics/histogram-quantile.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import {
  AGGREGATE_METRICS,
  MetricGroup,
  addHistogram,
  metricGroupKey,
  servicesWithErrorDurations,
} from './metric-groups.ts';

const NANOS_PER_MS = 1_000_000n;

/** Time-to-first-chunk histograms of the OTel GenAI client metrics. */
export const TIME_TO_FIRST_CHUNK_METRICS = [
  'gen_ai.client.operation.time_to_first_chunk',
  // The name after the renames of the GenAI conventions 0.1.0.
  'gen_ai.client.inference.time_to_first_chunk',
] as const;

/** One bucket of one group. */
interface Cell<T> {
  key: string | null;
  t: number;
  value: T;
}

/**
 * Sorts points into cells by group key and step-aligned bucket of their time, the way
 * span series bucket calls by start time.
 */
function cellsOf<T>(
  points: readonly MetricPoint[],
  groupBy: GroupBy | null,
  stepMs: number,
  create: () => T,
  add: (value: T, point: MetricPoint, bucketMs: number) => void,
): Cell<T>[] {
  const cells = new Map<string, Cell<T>>();
  for (const point of points) {
    const key = metricGroupKey(point, groupBy);
    const timeMs = Number(point.timeUnixNano / NANOS_PER_MS);
    const t = Math.floor(timeMs / stepMs) * stepMs;
    const id = JSON.stringify([key, t]);
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = { key, t, value: create() };
      cells.set(id, cell);
    }
    add(cell.value, point, t);
  }
  return [...cells.values()];
}

/** Orders group keys as the span queries do: ascending, null last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Groups cells into series ordered by key (null last), each with its points by time. */
function toSeries<T, P extends { t: number }>(
  cells: readonly Cell<T>[],
  toPoint: (cell: Cell<T>) => P | null,
): { key: string | null; points: P[] }[] {
  const byKey = new Map<string | null, P[]>();
  for (const cell of cells) {
    const point = toPoint(cell);
    if (point === null) continue;
    const points = byKey.get(cell.key) ?? [];
    points.push(point);
    byKey.set(cell.key, points);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([key, points]) => ({ key, points: points.sort((a, b) => a.t - b.t) }));
}

/**
 * Computes the LLM time series from OTLP metrics, as `metricsSummary` computes the summary,
 * with one aggregate per group and step. A cumulative point's minimum and maximum count
 * only when its series started inside the step.
 */
export async function metricsTimeseries(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<TimeseriesSeries[]> {
  if (query.filters.registeredModel !== undefined) return [];
  const points = await store.metricPoints(query, AGGREGATE_METRICS, query.filters);
  const errorDurationServices = servicesWithErrorDurations(points);
  const cells = cellsOf(
    points,
    groupBy,
    stepMs,
    () => new MetricGroup(),
    (group, point) => group.add(point, errorDurationServices),
  );
  const atUnixNano = unixNanoFromMs(query.toUnixMs);
  return toSeries(cells, (cell) => {
    if (!cell.value.hasData()) return null;
    const aggregate: LlmAggregate = cell.value.toAggregate(atUnixNano);
    return {
      t: cell.t,
      requests: aggregate.requests,
      errors: aggregate.errors,
      latencyMs: aggregate.latencyMs,
      tokens: aggregate.tokens,
      costUsd: aggregate.costUsd,
      unpricedRequests: aggregate.unpricedRequests,
    };
  });
}

/**
 * Computes time to first token per group and step from the time-to-first-chunk histogram:
 * the calls it counts and percentiles interpolated from its buckets.
 */
export async function metricsTimeToFirstToken(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<TtftSeries[]> {
  if (query.filters.registeredModel !== undefined) return [];
  const points = await store.metricPoints(query, TIME_TO_FIRST_CHUNK_METRICS, query.filters);
  const cells = cellsOf(
    points,
    groupBy,
    stepMs,
    () => ({ requests: 0, latency: new LatencyHistogram() }),
    (cell, point) => {
      cell.requests += point.deltaCount ?? 0;
      addHistogram(cell.latency, point);
    },
  );
  return toSeries(cells, (cell) => {
    if (cell.value.requests === 0) return null;
    const merged = cell.value.latency.merge();
    const quantile = (q: number): number | null =>
      merged === null ? null : histogramQuantile(q, merged.histogram);
    return { t: cell.t, requests: cell.value.requests, p50: quantile(0.5), p95: quantile(0.95) };
  });
}
