import { LATENCY_BUCKET_GROWTH } from '../duckdb/rollup-schema.ts';

/** Durations below this share the lowest latency bucket, as in the DuckDB rollups. */
const MIN_BUCKETED_DURATION_MS = 0.001;

/** SQL: the logarithmic latency bucket of `duration_ms`, numbered as the DuckDB backend numbers them. */
export const LATENCY_BUCKET_SQL = `toInt16(ceil(log(greatest(duration_ms, ${MIN_BUCKETED_DURATION_MS})) / log(${LATENCY_BUCKET_GROWTH})))`;

/**
 * SQL: a cost in USD as an integer number of 10^-12 USD, rounded half to even. Summing
 * these and dividing by 10^12 gives the same double as DuckDB's sum over
 * DECIMAL(38, 12), whatever the grouping.
 */
export function picoUsdSql(column: string): string {
  return `toInt128(round(coalesce(${column}, 0) * 1e12))`;
}

/** SQL: the summed cost, or NULL when no call of the group has a price. */
export function costFromPicoUsdSql(picoSum: string, pricedCount: string): string {
  return `if(${pricedCount} = 0, NULL, toFloat64(${picoSum}) / 1e12)`;
}

/**
 * The per-minute rollup of LLM calls; the materialized view and rebuilds both run it (plus
 * FROM, WHERE, GROUP BY ALL). Rebuilds insert by position, so the columns follow the
 * rollup table's column order, with `registered_model` last.
 */
export const ROLLUP_SELECT = `SELECT toStartOfMinute(start_time) AS period_start, project_id, model,
  response_model, provider, tenant, feature, service_name, environment, operation, error_type,
  count() AS requests, countIf(error_type IS NOT NULL) AS errors,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
  sum(reasoning_tokens) AS reasoning_tokens, sum(${picoUsdSql('cost_usd')}) AS cost_picousd,
  countIf(cost_usd IS NULL) AS unpriced_requests,
  sumMapState([${LATENCY_BUCKET_SQL}], [toUInt64(1)]) AS latency_histogram, registered_model`;
