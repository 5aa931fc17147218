import { FILTER_NAMES, type Filters } from '../state/filters.ts';
import { getJson } from './client.ts';
import type { CostProjectionResponse, GroupBy } from './types.ts';

/** Request parameters of a calendar-month projection. */
export interface ProjectionScope {
  filters: Filters;
  /** The projection is made at this time, in Unix milliseconds. */
  atMs: number;
  groupBy: GroupBy | null;
}

/**
 * Projects the cost of the calendar month that contains `atMs` with
 * `/api/v1/llm/cost/projection`, the method the budget alarm uses.
 */
export function fetchCostProjection(
  scope: ProjectionScope,
  signal: AbortSignal,
): Promise<CostProjectionResponse> {
  const params = new URLSearchParams();
  params.set('at', String(Math.floor(scope.atMs)));
  for (const name of FILTER_NAMES) {
    const value = scope.filters[name];
    if (value !== undefined) {
      params.set(name, value);
    }
  }
  if (scope.groupBy !== null) {
    params.set('groupBy', scope.groupBy);
  }
  return getJson(`api/v1/llm/cost/projection?${params.toString()}`, signal);
}

/** Returns the time to project a window's month at: its end, or now when it ends later. */
export function projectionTimeMs(windowToMs: number, nowMs: number): number {
  return Math.min(windowToMs, nowMs);
}
