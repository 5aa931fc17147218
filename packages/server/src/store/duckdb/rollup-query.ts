import type { FilterName, GroupBy, LlmQuery } from '../store.ts';
import {
  COST_DECIMAL,
  HOUR_GRAIN,
  HOUR_NS,
  LATENCY_BUCKET_SQL,
  MINUTE_GRAIN,
  MINUTE_NS,
  type RollupGrain,
} from './rollup-schema.ts';
import { FILTER_COLUMNS, GROUP_COLUMNS } from './sql.ts';

const NANOS_PER_MS = 1_000_000n;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Windows up to this length read raw spans and get exact percentiles. Longer windows read
 * hour rollups when the step is whole hours, else minute rollups. In the query benchmark
 * (10 million spans over 30 days, 50 tenants) a minute holds about two calls per
 * dimension combination, so minute rows barely compress and a 24-hour raw scan is as
 * fast; hour rows make 7-day queries several times faster than raw scans.
 */
export const ROLLUP_MIN_WINDOW_MS = 48 * HOUR_MS;

/** The source an aggregate is read from. */
export type AggregatePlan = 'spans' | 'minute-rollups' | 'hour-rollups';

/**
 * Group-bys whose time series read rollups. A series per model, feature, tenant or
 * other dimension with many values needs one latency histogram per value, hour and
 * bucket; in the query benchmark those histograms made 7-day series slower than a raw
 * scan, while the series of these few-valued dimensions were faster from rollups.
 */
const ROLLUP_SERIES_GROUP_BYS: readonly (GroupBy | null)[] = [
  null,
  'errorType',
  'operation',
  'provider',
];

/** Picks raw spans for short windows, else the coarsest rollup grain that divides the step. */
export function planAggregate(
  query: LlmQuery,
  stepMs: number | null,
  groupBy: GroupBy | null = null,
): AggregatePlan {
  const windowMs = query.toUnixMs - query.fromUnixMs;
  const fits = (periodMs: number): boolean => stepMs === null || stepMs % periodMs === 0;
  if (windowMs <= ROLLUP_MIN_WINDOW_MS) return 'spans';
  if (stepMs !== null && !ROLLUP_SERIES_GROUP_BYS.includes(groupBy)) return 'spans';
  if (fits(HOUR_MS)) return 'hour-rollups';
  return fits(MINUTE_MS) ? 'minute-rollups' : 'spans';
}

interface RollupSql {
  sql: string;
  params: (string | bigint)[];
}

/** The parts shared by the sums and latency sources of one query. */
interface SourceParts {
  key: string;
  bucketOf: (column: string) => string;
  filters: string;
  params: (string | bigint)[];
}

function ceilTo(timeNs: bigint, periodNs: bigint): bigint {
  return ((timeNs + periodNs - 1n) / periodNs) * periodNs;
}

/**
 * Splits the window into pieces: $5..$6 whole hours (empty unless hour rollups are used),
 * $3..$4 whole minutes around them, and raw spans for the partial minutes at the edges
 * ($1..$3 and $4..$2).
 */
function windowParams(query: LlmQuery, useHours: boolean): bigint[] {
  const fromNs = BigInt(query.fromUnixMs) * NANOS_PER_MS;
  const toNs = BigInt(query.toUnixMs) * NANOS_PER_MS;
  const firstMinuteNs = ceilTo(fromNs, MINUTE_NS);
  const endMinuteNs = (toNs / MINUTE_NS) * MINUTE_NS;
  let firstHourNs = ceilTo(fromNs, HOUR_NS);
  let endHourNs = (toNs / HOUR_NS) * HOUR_NS;
  if (!useHours || firstHourNs >= endHourNs) {
    firstHourNs = firstMinuteNs;
    endHourNs = firstMinuteNs;
  }
  return [fromNs, toNs, firstMinuteNs, endMinuteNs, firstHourNs, endHourNs];
}

function sourceParts(
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number | null,
  useHours: boolean,
): SourceParts {
  const params: (string | bigint)[] = [...windowParams(query, useHours), query.projectId];
  // Rollup rows and raw spans alike belong to one project; $7 is the query's.
  const clauses: string[] = [' AND project_id = $7'];
  for (const [name, value] of Object.entries(query.filters) as [FilterName, string | undefined][]) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(` AND ${FILTER_COLUMNS[name]} = $${params.length}`);
  }
  const stepNs = stepMs === null ? null : BigInt(stepMs) * NANOS_PER_MS;
  return {
    key: groupBy === null ? 'NULL' : GROUP_COLUMNS[groupBy],
    bucketOf: (column) => (stepNs === null ? '0' : `(${column} // ${stepNs}) * ${stepNs}`),
    filters: clauses.join(''),
    params,
  };
}

/** SQL: the rows of a grain's table that the window takes from that grain. */
function grainWhere(grain: RollupGrain, filters: string): string {
  const range =
    grain === HOUR_GRAIN
      ? 'period_start_ns >= $5 AND period_start_ns < $6'
      : 'period_start_ns >= $3 AND period_start_ns < $4 AND (period_start_ns < $5 OR period_start_ns >= $6)';
  return `${range}${filters}`;
}

/** SQL: the LLM calls of the window's partial minutes at either edge. */
function edgeSpansWhere(filters: string): string {
  return `is_llm_call AND start_ns >= $1 AND start_ns < $2
      AND (start_ns < $3 OR start_ns >= greatest($4, $3))${filters}`;
}

/**
 * Builds the sums from hour rows, minute rows and raw edge spans, so counts, tokens and
 * cost equal those of a raw scan exactly.
 */
function totalsSql(parts: SourceParts): string {
  const grainRows = [HOUR_GRAIN, MINUTE_GRAIN].map(
    (
      grain,
    ) => `SELECT ${parts.key} AS key, ${parts.bucketOf('period_start_ns')} AS bucket_ns, requests, errors,
        input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
        cost_usd, unpriced_requests
      FROM ${grain.sumsTable} WHERE ${grainWhere(grain, parts.filters)}`,
  );
  return `SELECT key, bucket_ns, sum(requests) AS requests, sum(errors) AS errors,
      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
      sum(reasoning_tokens) AS reasoning_tokens, CAST(sum(cost_usd) AS DOUBLE) AS cost_usd,
      sum(unpriced_requests) AS unpriced_requests
    FROM (
      ${grainRows.join('\n      UNION ALL\n      ')}
      UNION ALL
      SELECT ${parts.key}, ${parts.bucketOf('start_ns')}, 1, CASE WHEN error_type IS NULL THEN 0 ELSE 1 END,
        input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
        CAST(cost_usd AS ${COST_DECIMAL}), CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END
      FROM spans WHERE ${edgeSpansWhere(parts.filters)})
    GROUP BY key, bucket_ns`;
}

/** Builds the merged latency histogram per key and bucket from the same sources. */
function histogramSql(parts: SourceParts): string {
  const grainRows = [HOUR_GRAIN, MINUTE_GRAIN].map(
    (grain) => `SELECT ${parts.key} AS key, ${parts.bucketOf('period_start_ns')} AS bucket_ns, b, n
      FROM ${grain.latencyTable} WHERE ${grainWhere(grain, parts.filters)}`,
  );
  return `SELECT key, bucket_ns, b, sum(n) AS n
    FROM (
      ${grainRows.join('\n      UNION ALL\n      ')}
      UNION ALL
      SELECT ${parts.key}, ${parts.bucketOf('start_ns')}, ${LATENCY_BUCKET_SQL}, 1
      FROM spans WHERE ${edgeSpansWhere(parts.filters)})
    GROUP BY key, bucket_ns, b`;
}

/**
 * Builds the two queries behind a rollup aggregate: sums with the columns of
 * AGGREGATE_SELECT except the percentiles, and the merged latency histogram as rows of
 * (key, bucket_ms, b, n) ordered by key, time bucket and latency bucket.
 */
export function buildRollupAggregateSql(
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number | null,
  plan: Exclude<AggregatePlan, 'spans'>,
): { totals: RollupSql; histogram: RollupSql } {
  const parts = sourceParts(query, groupBy, stepMs, plan === 'hour-rollups');
  return {
    totals: { sql: `SELECT * FROM (${totalsSql(parts)}) WHERE requests > 0`, params: parts.params },
    histogram: {
      // Small numeric types keep the conversion of many rows to JavaScript cheap.
      sql: `SELECT key, CAST(bucket_ns // ${NANOS_PER_MS} AS DOUBLE) AS bucket_ms, b, CAST(n AS DOUBLE) AS n
        FROM (${histogramSql(parts)}) ORDER BY key NULLS LAST, bucket_ms, b`,
      params: parts.params,
    },
  };
}
