import { fetchSummary, fetchTimeseries, type QueryScope } from '../api/client.ts';
import {
  fetchBudgets,
  fetchInflight,
  fetchScoreBaseline,
  fetchScoreTimeseries,
  fetchTtft,
} from '../api/panel-client.ts';
import type {
  BudgetsResponse,
  InflightResponse,
  ScoreSummaryResponse,
  ScoreTimeseriesResponse,
  SummaryResponse,
  TimeseriesResponse,
  TtftResponse,
} from '../api/types.ts';
import { BASELINE_WINDOW_MS } from '../lib/quality-chart.ts';
import type { RowId } from '../state/rows.ts';
import { useApiQuery, type QueryResult } from './useApiQuery.ts';

/** The queries behind the collapsible rows; a closed row's queries stay idle. */
export interface RowQueries {
  featureSeries: QueryResult<TimeseriesResponse>;
  tenantSummary: QueryResult<SummaryResponse>;
  budgets: QueryResult<BudgetsResponse>;
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
    tenantSummary: useApiQuery(
      (signal) => fetchSummary(scope, 'tenant', signal),
      `tenant:${scopeKey}`,
      openRows.has('cost-by-tenant'),
    ),
    budgets: useApiQuery(
      (signal) => fetchBudgets(signal),
      `budgets:${scopeKey}`,
      openRows.has('cost-by-tenant'),
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
