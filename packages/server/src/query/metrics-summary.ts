import { unixNanoFromMs } from '../ingest/timestamps.ts';
import type { GroupBy, LlmQuery, Store, SummaryGroup } from '../store/store.ts';
import {
  AGGREGATE_METRICS,
  MetricGroup,
  metricGroupKey,
  servicesWithErrorDurations,
  type MetricAggregate,
} from './metric-groups.ts';

/** A summary group computed from metrics, with the latency buckets it was interpolated from. */
export interface MetricsSummaryGroup extends SummaryGroup, MetricAggregate {}

/**
 * Computes the LLM summary from OTLP metrics, for applications that send
 * metrics but no spans. Requests and latency come from the duration histogram,
 * tokens from the token metrics, errors from the error counter or the duration
 * points that carry an error type (decided per service, see
 * `servicesWithErrorDurations`). Percentiles are interpolated from the buckets,
 * and each group reports the bucket bounds it used.
 */
export async function metricsSummary(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy,
): Promise<MetricsSummaryGroup[]> {
  // No metric point has a registered model, so none matches a filter on one.
  if (query.filters.registeredModel !== undefined) return [];
  const points = await store.metricPoints(query, AGGREGATE_METRICS, query.filters);
  const errorDurationServices = servicesWithErrorDurations(points);
  const groups = new Map<string | null, MetricGroup>();
  for (const point of points) {
    const key = metricGroupKey(point, groupBy);
    let group = groups.get(key);
    if (group === undefined) {
      group = new MetricGroup();
      groups.set(key, group);
    }
    group.add(point, errorDurationServices);
  }
  const atUnixNano = unixNanoFromMs(query.toUnixMs);
  return [...groups.entries()]
    .filter(([, group]) => group.hasData())
    .map(([key, group]) => ({ key, ...group.toAggregate(atUnixNano) }))
    .sort((a, b) => b.requests - a.requests);
}
