import {
  fetchCost,
  fetchDimensions,
  fetchIngestInfo,
  fetchSummary,
  fetchTimeseries,
  type QueryScope,
} from '../api/client.ts';
import type {
  CostResponse,
  DimensionsResponse,
  IngestInfo,
  SummaryResponse,
  TimeseriesResponse,
} from '../api/types.ts';
import { useApiQuery, type QueryResult } from './useApiQuery.ts';

/** The queries behind the header and the three big graphs. */
export interface DashboardQueries {
  summaryByModel: QueryResult<SummaryResponse>;
  seriesByModel: QueryResult<TimeseriesResponse>;
  seriesByErrorType: QueryResult<TimeseriesResponse>;
  cost: QueryResult<CostResponse>;
  dimensions: QueryResult<DimensionsResponse>;
  ingestInfo: QueryResult<IngestInfo>;
}

/** Runs every always-visible query again whenever `scopeKey` changes. */
export function useDashboardQueries(scope: QueryScope, scopeKey: string): DashboardQueries {
  return {
    summaryByModel: useApiQuery(
      (signal) => fetchSummary(scope, 'model', signal),
      `summary:${scopeKey}`,
    ),
    seriesByModel: useApiQuery(
      (signal) => fetchTimeseries(scope, 'model', signal),
      `model:${scopeKey}`,
    ),
    seriesByErrorType: useApiQuery(
      (signal) => fetchTimeseries(scope, 'errorType', signal),
      `errorType:${scopeKey}`,
    ),
    cost: useApiQuery((signal) => fetchCost(scope, signal), `cost:${scopeKey}`),
    dimensions: useApiQuery(
      (signal) => fetchDimensions(scope.range, signal),
      `dimensions:${scope.range.fromMs}:${scope.range.toMs}`,
    ),
    ingestInfo: useApiQuery((signal) => fetchIngestInfo(signal), 'info'),
  };
}
