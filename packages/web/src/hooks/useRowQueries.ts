import { fetchSummary, fetchTimeseries, type QueryScope } from '../api/client.ts';
import { fetchCostProjection, projectionTimeMs } from '../api/cost-client.ts';
import {
  fetchInflight,
  fetchScoreBaseline,
  fetchScoreTimeseries,
  fetchTtft,
} from '../api/panel-client.ts';
import type {
  CostProjectionResponse,
  InflightResponse,
  ScoreSummaryResponse,
  ScoreTimeseriesResponse,
  SummaryResponse,
  TimeseriesResponse,
  TtftResponse,
} from '../api/types.ts';
import { BASELINE_WINDOW_MS } from '../lib/quality-chart.ts';
import type { CostBreakdown } from '../state/cost-breakdown.ts';
import type { RowId } from '../state/rows.ts';
import { useApiQuery, type QueryResult } from './useApiQuery.ts';

/** The queries behind the collapsible rows; a closed row's queries stay idle. */
export interface RowQueries {
  featureSeries: QueryResult<TimeseriesResponse>;
  /** Cost of the window by tenant or feature. */
  breakdownSummary: QueryResult<SummaryResponse>;
  /** The calendar-month projection by the same dimension, with tenant budgets. */
  breakdownProjection: QueryResult<CostProjectionResponse>;
  scoreSeries: QueryResult<ScoreTimeseriesResponse>;
  scoreBaseline: QueryResult<ScoreSummaryResponse>;
  inflight: QueryResult<InflightResponse>;
  ttft: QueryResult<TtftResponse>;
}

/** Runs the queries of the open rows again whenever `scopeKey` changes. */
export function useRowQueries(
  scope: QueryScope,
  scopeKey: string,
  openRows: ReadonlySet<RowId>,
  breakdown: CostBreakdown,
): RowQueries {
  const baseline = {
    fromMs: scope.range.fromMs - BASELINE_WINDOW_MS,
    toMs: scope.range.fromMs,
  };
  return {
    featureSeries: useApiQuery(
      (signal) => fetchTimeseries(scope, 'feature', signal),
      `feature:${scopeKey}`,
      openRows.has('tokens-by-feature'),
    ),
    breakdownSummary: useApiQuery(
      (signal) => fetchSummary(scope, breakdown, signal),
      `breakdown:${breakdown}:${scopeKey}`,
      openRows.has('cost-by-tenant'),
      breakdown,
    ),
    breakdownProjection: useApiQuery(
      (signal) =>
        fetchCostProjection(
          {
            filters: scope.filters,
            atMs: projectionTimeMs(scope.range.toMs, Date.now()),
            groupBy: breakdown,
          },
          signal,
        ),
      `projection:${breakdown}:${scopeKey}`,
      openRows.has('cost-by-tenant'),
      breakdown,
    ),
    scoreSeries: useApiQuery(
      (signal) => fetchScoreTimeseries(scope, signal),
      `scores:${scopeKey}`,
      openRows.has('quality'),
    ),
    scoreBaseline: useApiQuery(
      (signal) => fetchScoreBaseline(scope, baseline, signal),
      `baseline:${scopeKey}`,
      openRows.has('quality'),
    ),
    inflight: useApiQuery(
      (signal) => fetchInflight(scope, signal),
      `inflight:${scopeKey}`,
      openRows.has('inflight-ttft'),
    ),
    ttft: useApiQuery(
      (signal) => fetchTtft(scope, signal),
      `ttft:${scopeKey}`,
      openRows.has('inflight-ttft'),
    ),
  };
}
