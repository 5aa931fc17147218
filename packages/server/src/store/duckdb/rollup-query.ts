import type { FilterName, GroupBy, LlmQuery } from '../store.ts';
import {
  COST_DECIMAL,
  LATENCY_BUCKET_SQL,
  MINUTE_NS,
  ROLLUP_TABLE,
  bucketValueSql,
} from './rollup-schema.ts';
import { FILTER_COLUMNS, GROUP_COLUMNS } from './sql.ts';

const NANOS_PER_MS = 1_000_000n;
const MINUTE_MS = 60_000;

/**
 * Windows longer than this read the per-minute rollups; shorter ones read raw spans and
 * get exact percentiles. Six hours of a busy app is a few hundred thousand spans, which
 * DuckDB scans within the dashboard's budget.
 */
export const ROLLUP_MIN_WINDOW_MS = 6 * 3_600_000;

/** True when a query should read the rollups: a long window and, for a series, whole-minute steps. */
export function shouldUseRollups(query: LlmQuery, stepMs: number | null): boolean {
  const longWindow = query.toUnixMs - query.fromUnixMs > ROLLUP_MIN_WINDOW_MS;
  return longWindow && (stepMs === null || stepMs % MINUTE_MS === 0);
}

interface RollupSql {
  sql: string;
  params: (string | bigint)[];
}

function filterClauses(query: LlmQuery, params: (string | bigint)[]): string {
  const clauses: string[] = [];
  for (const [name, value] of Object.entries(query.filters) as [FilterName, string | undefined][]) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(` AND ${FILTER_COLUMNS[name]} = $${params.length}`);
  }
  return clauses.join('');
}

/**
 * Builds the rows the aggregate reads: rollup rows for the whole minutes inside the window,
 * and raw spans for the partial minutes at either edge, so counts, tokens and cost equal
 * those of a raw scan exactly.
 */
function sourceSql(query: LlmQuery, groupBy: GroupBy | null, stepMs: number | null): RollupSql {
  const fromNs = BigInt(query.fromUnixMs) * NANOS_PER_MS;
  const toNs = BigInt(query.toUnixMs) * NANOS_PER_MS;
  const firstMinuteNs = ((fromNs + MINUTE_NS - 1n) / MINUTE_NS) * MINUTE_NS;
  const endMinuteNs = (toNs / MINUTE_NS) * MINUTE_NS;
  const params: (string | bigint)[] = [fromNs, toNs, firstMinuteNs, endMinuteNs];
  const filters = filterClauses(query, params);
  const key = groupBy === null ? 'NULL' : GROUP_COLUMNS[groupBy];
  const stepNs = stepMs === null ? null : BigInt(stepMs) * NANOS_PER_MS;
  const bucketOf = (column: string): string =>
    stepNs === null ? '0' : `(${column} // ${stepNs}) * ${stepNs}`;
  const sql = `SELECT ${key} AS key, ${bucketOf('minute_ns')} AS bucket_ns, requests, errors,
      input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
      cost_usd, unpriced_requests, latency_buckets
    FROM ${ROLLUP_TABLE}
    WHERE minute_ns >= $3 AND minute_ns < $4${filters}
    UNION ALL
    SELECT ${key}, ${bucketOf('start_ns')}, 1, CASE WHEN error_type IS NULL THEN 0 ELSE 1 END,
      input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
      CAST(cost_usd AS ${COST_DECIMAL}), CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END,
      [struct_pack(b := ${LATENCY_BUCKET_SQL}, n := 1::BIGINT)]
    FROM spans
    WHERE is_llm_call AND start_ns >= $1 AND start_ns < $2
      AND (start_ns < $3 OR start_ns >= greatest($4, $3))${filters}`;
  return { sql, params };
}

/** SQL: the smallest bucket whose cumulative count reaches the sample below quantile `q`. */
function quantileBucketSql(q: number, alias: string): string {
  return `min(b) FILTER (WHERE cum >= floor(${q} * (total - 1)) + 1) AS ${alias}`;
}

/**
 * Builds the aggregate over rollups and edge spans, with the columns of AGGREGATE_SELECT.
 * Percentiles come from the merged latency buckets.
 */
export function buildRollupAggregateSql(
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number | null,
): RollupSql {
  const source = sourceSql(query, groupBy, stepMs);
  const sql = `WITH src AS (${source.sql}),
    totals AS (
      SELECT key, bucket_ns, sum(requests) AS requests, sum(errors) AS errors,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
        sum(reasoning_tokens) AS reasoning_tokens, CAST(sum(cost_usd) AS DOUBLE) AS cost_usd,
        sum(unpriced_requests) AS unpriced_requests
      FROM src GROUP BY key, bucket_ns),
    hist AS (
      SELECT key, bucket_ns, entry.b AS b, sum(entry.n) AS n
      FROM (SELECT key, bucket_ns, unnest(latency_buckets) AS entry FROM src)
      GROUP BY key, bucket_ns, entry.b),
    ranked AS (
      SELECT key, bucket_ns, b,
        sum(n) OVER (PARTITION BY key, bucket_ns ORDER BY b ROWS UNBOUNDED PRECEDING) AS cum,
        sum(n) OVER (PARTITION BY key, bucket_ns) AS total
      FROM hist),
    pct AS (
      SELECT key, bucket_ns, ${quantileBucketSql(0.5, 'b50')}, ${quantileBucketSql(0.95, 'b95')},
        ${quantileBucketSql(0.99, 'b99')}
      FROM ranked GROUP BY key, bucket_ns)
    SELECT t.key, t.bucket_ns, t.requests, t.errors, t.input_tokens, t.output_tokens,
      t.cached_input_tokens, t.cache_write_tokens, t.reasoning_tokens, t.cost_usd, t.unpriced_requests,
      ${bucketValueSql('p.b50')} AS p50, ${bucketValueSql('p.b95')} AS p95, ${bucketValueSql('p.b99')} AS p99
    FROM totals AS t JOIN pct AS p ON t.key IS NOT DISTINCT FROM p.key AND t.bucket_ns = p.bucket_ns
    WHERE t.requests > 0`;
  return { sql, params: source.params };
}
