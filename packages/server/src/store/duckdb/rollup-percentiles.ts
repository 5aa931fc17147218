import type { DuckDBValue } from '@duckdb/node-api';
import { bucketValueMs } from './rollup-schema.ts';

const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

export type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

/** Latency histogram rows in columns, sorted by key, time bucket and latency bucket. */
export interface HistogramColumns {
  keys: DuckDBValue[];
  bucketsMs: DuckDBValue[];
  latencyBuckets: DuckDBValue[];
  counts: DuckDBValue[];
}

/**
 * Reads p50, p95 and p99 from the histogram rows `[start, end)`, which hold one key and
 * time bucket in ascending latency bucket order. Each is the representative value of the
 * bucket that contains the sample at rank floor(q·(n − 1)) + 1, which is the lower of
 * the two samples an exact percentile interpolates between.
 */
function percentilesOfRun(columns: HistogramColumns, start: number, end: number): Percentiles {
  let total = 0;
  for (let index = start; index < end; index++) total += Number(columns.counts[index]);
  const result: Percentiles = { p50: null, p95: null, p99: null };
  for (const [name, quantile] of Object.entries(QUANTILES) as [keyof Percentiles, number][]) {
    const rank = Math.floor(quantile * (total - 1)) + 1;
    let cumulative = 0;
    for (let index = start; index < end; index++) {
      cumulative += Number(columns.counts[index]);
      if (cumulative >= rank) {
        result[name] = bucketValueMs(Number(columns.latencyBuckets[index]));
        break;
      }
    }
  }
  return result;
}

/** Builds the map key of one group key and time bucket. */
export function histogramGroupKey(key: string | null, bucketMs: number): string {
  return JSON.stringify([key, bucketMs]);
}

/** Maps `histogramGroupKey(key, bucketMs)` to the percentiles of that key and time bucket. */
export function percentilesByGroup(columns: HistogramColumns): Map<string, Percentiles> {
  const result = new Map<string, Percentiles>();
  let start = 0;
  for (let index = 1; index <= columns.keys.length; index++) {
    const sameGroup =
      index < columns.keys.length &&
      columns.keys[index] === columns.keys[start] &&
      columns.bucketsMs[index] === columns.bucketsMs[start];
    if (sameGroup) continue;
    const key = columns.keys[start] ?? null;
    const groupKey = histogramGroupKey(
      key === null ? null : String(key),
      Number(columns.bucketsMs[start]),
    );
    result.set(groupKey, percentilesOfRun(columns, start, index));
    start = index;
  }
  return result;
}
