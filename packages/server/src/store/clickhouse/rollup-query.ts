import { bucketValueMs } from '../duckdb/rollup-schema.ts';
import type { GroupBy, LlmQuery } from '../store.ts';
import type { Row } from './driver.ts';
import { LATENCY_BUCKET_SQL, picoUsdSql } from './rollup-sql.ts';
import { GROUP_COLUMNS, Params, filterClauses, unixNanoOfMs } from './sql.ts';
import { num } from './values.ts';

const MINUTE_NS = 60_000_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;
const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

export type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

function ceilTo(timeNs: bigint, periodNs: bigint): bigint {
  return ((timeNs + periodNs - 1n) / periodNs) * periodNs;
}

/**
 * Builds the rollup form of an aggregate: whole minutes of the window from the per-minute
 * rollup table, the partial minutes at either edge from raw spans, merged per key and
 * time bucket. Counts, tokens and cost equal a raw scan exactly; latency comes back as a
 * merged histogram of the same logarithmic buckets the DuckDB rollups use.
 */
export function buildRollupAggregateSql(
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number | null,
  rollupTable: string,
  spansTable: string,
  order: string,
): { sql: string; params: Params } {
  const params = new Params();
  const fromNs = unixNanoOfMs(query.fromUnixMs);
  const toNs = unixNanoOfMs(query.toUnixMs);
  const firstMinuteNs = ceilTo(fromNs, MINUTE_NS);
  const endMinuteNs = (toNs / MINUTE_NS) * MINUTE_NS;
  const key = groupBy === null ? 'CAST(NULL AS Nullable(String))' : GROUP_COLUMNS[groupBy];
  const stepNs = stepMs === null ? null : BigInt(stepMs) * 1_000_000n;
  const bucketOf = (nanos: string): string =>
    stepNs === null ? '0' : `intDiv(${nanos}, ${stepNs}) * ${stepNs}`;
  const project = `project_id = ${params.add(query.projectId, 'String')}`;
  const filters = filterClauses(query, params)
    .map((clause) => ` AND ${clause}`)
    .join('');
  const firstMinute = params.add(String(firstMinuteNs / NANOS_PER_SECOND), 'Int64');
  const endMinute = params.add(String(endMinuteNs / NANOS_PER_SECOND), 'Int64');
  const from = params.time(fromNs);
  const to = params.time(toNs);
  const minuteStart = params.time(firstMinuteNs);
  const minuteEnd = params.time(endMinuteNs > firstMinuteNs ? endMinuteNs : firstMinuteNs);
  const sql = `SELECT key, toString(bucket_start_ns) AS bucket_ns, sum(n_requests) AS requests,
      sum(n_errors) AS errors, sum(n_input) AS tokens_input, sum(n_output) AS tokens_output,
      sum(n_cached_input) AS tokens_cached_input, sum(n_cache_write) AS tokens_cache_write,
      sum(n_reasoning) AS tokens_reasoning,
      if(sum(n_priced) = 0, NULL, toFloat64(sum(n_picousd)) / 1e12) AS cost_total_usd,
      sum(n_unpriced) AS unpriced_requests, sumMapMerge(n_histogram) AS histogram
    FROM (
      SELECT ${key} AS key,
        ${bucketOf('toInt64(toUnixTimestamp(period_start)) * 1000000000')} AS bucket_start_ns,
        toInt64(sum(requests)) AS n_requests, toInt64(sum(errors)) AS n_errors,
        toInt64(sum(input_tokens)) AS n_input, toInt64(sum(output_tokens)) AS n_output,
        toInt64(sum(cached_input_tokens)) AS n_cached_input,
        toInt64(sum(cache_write_tokens)) AS n_cache_write, toInt64(sum(reasoning_tokens)) AS n_reasoning,
        toInt128(sum(cost_picousd)) AS n_picousd,
        toInt64(sum(requests)) - toInt64(sum(unpriced_requests)) AS n_priced,
        toInt64(sum(unpriced_requests)) AS n_unpriced, sumMapMergeState(latency_histogram) AS n_histogram
      FROM ${rollupTable}
      WHERE ${project} AND period_start >= toDateTime(${firstMinute}, 'UTC')
        AND period_start < toDateTime(${endMinute}, 'UTC')${filters}
      GROUP BY key, bucket_start_ns
      UNION ALL
      SELECT ${key} AS key, ${bucketOf('toUnixTimestamp64Nano(start_time)')} AS bucket_start_ns,
        toInt64(count()) AS n_requests, toInt64(countIf(error_type IS NOT NULL)) AS n_errors,
        toInt64(sum(input_tokens)) AS n_input, toInt64(sum(output_tokens)) AS n_output,
        toInt64(sum(cached_input_tokens)) AS n_cached_input,
        toInt64(sum(cache_write_tokens)) AS n_cache_write, toInt64(sum(reasoning_tokens)) AS n_reasoning,
        toInt128(sum(${picoUsdSql('cost_usd')})) AS n_picousd,
        toInt64(countIf(cost_usd IS NOT NULL)) AS n_priced,
        toInt64(countIf(cost_usd IS NULL)) AS n_unpriced,
        sumMapState([${LATENCY_BUCKET_SQL}], [toUInt64(1)]) AS n_histogram
      FROM ${spansTable}
      WHERE ${project} AND is_llm_call AND start_time >= ${from} AND start_time < ${to}
        AND (start_time < ${minuteStart} OR start_time >= ${minuteEnd})${filters}
      GROUP BY key, bucket_start_ns)
    GROUP BY key, bucket_start_ns
    HAVING requests > 0
    ${order}`;
  return { sql, params };
}

/**
 * Reads p50, p95 and p99 from a merged latency histogram, as the DuckDB rollups do. Each is
 * the representative value of the bucket that contains the sample at rank
 * floor(q·(n − 1)) + 1. That sample is the lower of the two an exact percentile
 * interpolates between.
 */
export function histogramPercentiles(histogram: unknown): Percentiles {
  const [buckets = [], counts = []] = (histogram as [number[], unknown[]] | null) ?? [];
  const total = counts.reduce<number>((sum, count) => sum + num(count), 0);
  const result: Percentiles = { p50: null, p95: null, p99: null };
  for (const [name, quantile] of Object.entries(QUANTILES) as [keyof Percentiles, number][]) {
    const rank = Math.floor(quantile * (total - 1)) + 1;
    let cumulative = 0;
    for (let index = 0; index < buckets.length; index++) {
      cumulative += num(counts[index]);
      if (cumulative >= rank) {
        result[name] = bucketValueMs(num(buckets[index]));
        break;
      }
    }
  }
  return result;
}

/** Replaces the histogram of a rollup row with its percentiles. */
export function withPercentiles(row: Row): Row {
  const { histogram, ...rest } = row;
  return { ...rest, ...histogramPercentiles(histogram) };
}
