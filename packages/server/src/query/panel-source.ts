import type {
  GroupBy,
  LlmQuery,
  Store,
  SummaryGroup,
  TimeseriesSeries,
  TtftSeries,
} from '../store/store.ts';
import { metricsSummary } from './metrics-summary.ts';
import { metricsTimeToFirstToken, metricsTimeseries } from './metrics-timeseries.ts';

/**
 * The source of a panel's numbers: LLM call spans, or the GenAI metrics of
 * applications that send metrics but no spans.
 */
export type PanelSource = 'spans' | 'metrics';

/** A panel's data and its source. */
export interface SourcedResult<T> {
  source: PanelSource;
  data: T[];
}

/** Returns `fromSpans` when it has data; otherwise the metrics result, or the empty spans one. */
async function spansOrMetrics<T>(
  fromSpans: T[],
  fromMetrics: () => Promise<T[]>,
): Promise<SourcedResult<T>> {
  if (fromSpans.length > 0) return { source: 'spans', data: fromSpans };
  const data = await fromMetrics();
  return data.length > 0 ? { source: 'metrics', data } : { source: 'spans', data: fromSpans };
}

/** Computes the summary from spans, or from metrics when the window has no LLM span. */
export async function summaryFromSpansOrMetrics(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy,
): Promise<SourcedResult<SummaryGroup>> {
  return spansOrMetrics(await store.summary(query, groupBy), () =>
    metricsSummary(store, query, groupBy),
  );
}

/** Computes the time series from spans, or from metrics when the window has no LLM span. */
export async function timeseriesFromSpansOrMetrics(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<SourcedResult<TimeseriesSeries>> {
  return spansOrMetrics(await store.timeseries(query, groupBy, stepMs), () =>
    metricsTimeseries(store, query, groupBy, stepMs),
  );
}

/**
 * Computes time to first token from spans, or from the time-to-first-chunk metric when no
 * span in the window reports it.
 */
export async function timeToFirstTokenFromSpansOrMetrics(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<SourcedResult<TtftSeries>> {
  return spansOrMetrics(await store.timeToFirstToken(query, groupBy, stepMs), () =>
    metricsTimeToFirstToken(store, query, groupBy, stepMs),
  );
}
