import {
  fetchCost,
  fetchDimensions,
  fetchIngestInfo,
  fetchSummary,
  fetchTimeseries,
  type QueryScope,
} from '../api/client.ts';
import { fetchCostProjection, projectionTimeMs } from '../api/cost-client.ts';
import type {
  CostProjectionResponse,
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
  /** The calendar-month projection of every call that passes the filters. */
  projection: QueryResult<CostProjectionResponse>;
  dimensions: QueryResult<DimensionsResponse>;
  ingestInfo: QueryResult<IngestInfo>;
}

/**
 * Runs every always-visible query again whenever `scopeKey` changes. The graph queries
 * pause while another page is shown; the filter menus keep loading because every page
 * has them.
 */
export function useDashboardQueries(
  scope: QueryScope,
  scopeKey: string,
  dashboardShown = true,
): DashboardQueries {
  return {
    summaryByModel: useApiQuery(
      (signal) => fetchSummary(scope, 'model', signal),
      `summary:${scopeKey}`,
      dashboardShown,
    ),
    seriesByModel: useApiQuery(
      (signal) => fetchTimeseries(scope, 'model', signal),
      `model:${scopeKey}`,
      dashboardShown,
    ),
    seriesByErrorType: useApiQuery(
      (signal) => fetchTimeseries(scope, 'errorType', signal),
      `errorType:${scopeKey}`,
      dashboardShown,
    ),
    cost: useApiQuery((signal) => fetchCost(scope, signal), `cost:${scopeKey}`, dashboardShown),
    projection: useApiQuery(
      (signal) =>
        fetchCostProjection(
          {
            filters: scope.filters,
            atMs: projectionTimeMs(scope.range.toMs, Date.now()),
            groupBy: null,
          },
          signal,
        ),
      `projection:${scopeKey}`,
      dashboardShown,
    ),
    dimensions: useApiQuery(
      (signal) => fetchDimensions(scope.range, signal),
      `dimensions:${scope.range.fromMs}:${scope.range.toMs}`,
    ),
    ingestInfo: useApiQuery((signal) => fetchIngestInfo(signal), 'info'),
  };
}
