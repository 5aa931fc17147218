import type { TimeseriesPoint, TimeseriesResponse } from '../src/api/types.ts';

export const STEP_MS = 60_000;
export const FROM_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

/** Builds a time-series point with only the measures a test sets. */
export function point(bucket: number, measures: Partial<TimeseriesPoint> = {}): TimeseriesPoint {
  return {
    t: FROM_MS + bucket * STEP_MS,
    requests: 0,
    errors: 0,
    latencyMs: { p50: null, p95: null, p99: null },
    tokens: { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 },
    costUsd: 0,
    unpricedRequests: 0,
    ...measures,
  };
}

/** Builds a response over `buckets` one-minute buckets starting at FROM_MS. */
export function timeseries(
  groupBy: string,
  buckets: number,
  series: { key: string | null; points: TimeseriesPoint[] }[],
): TimeseriesResponse {
  return {
    from: new Date(FROM_MS).toISOString(),
    to: new Date(FROM_MS + buckets * STEP_MS).toISOString(),
    groupBy,
    stepMs: STEP_MS,
    series,
  };
}
