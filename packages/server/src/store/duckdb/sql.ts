import type { FilterName, GroupBy, LlmQuery } from '../store.ts';

/** Column behind each group-by dimension. */
export const GROUP_COLUMNS: Readonly<Record<GroupBy, string>> = {
  model: 'model',
  responseModel: 'response_model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  service: 'service_name',
  operation: 'operation',
  errorType: 'error_type',
  registeredModel: 'registered_model',
};

/** Column behind each filter; the rollup table uses the same names. */
export const FILTER_COLUMNS: Readonly<Record<FilterName, string>> = {
  service: 'service_name',
  environment: 'environment',
  model: 'model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  registeredModel: 'registered_model',
};

const NANOS_PER_MS = 1_000_000n;

/** A SQL fragment and its positional parameters. */
export interface SqlWhere {
  sql: string;
  params: (string | bigint)[];
}

/**
 * Builds the WHERE clause for the query's project, window and filters; `llmOnly` keeps
 * model calls only. Parameters $1 and $2 are the window in nanoseconds, $3 the project.
 */
export function buildWhere(query: LlmQuery, llmOnly: boolean): SqlWhere {
  const params: (string | bigint)[] = [
    BigInt(query.fromUnixMs) * NANOS_PER_MS,
    BigInt(query.toUnixMs) * NANOS_PER_MS,
    query.projectId,
  ];
  const clauses = ['start_ns >= $1', 'start_ns < $2', 'project_id = $3'];
  if (llmOnly) clauses.push('is_llm_call');
  for (const [name, value] of Object.entries(query.filters) as [FilterName, string | undefined][]) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${FILTER_COLUMNS[name]} = $${params.length}`);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * The aggregate columns shared by the summary and the time series. Costs are summed as
 * decimals, so the per-minute rollups add up to the same value in any grouping.
 */
export const AGGREGATE_SELECT = `
  count(*) AS requests,
  count(*) FILTER (WHERE error_type IS NOT NULL) AS errors,
  quantile_cont(duration_ms, 0.5) AS p50,
  quantile_cont(duration_ms, 0.95) AS p95,
  quantile_cont(duration_ms, 0.99) AS p99,
  sum(input_tokens) AS input_tokens,
  sum(output_tokens) AS output_tokens,
  sum(cached_input_tokens) AS cached_input_tokens,
  sum(cache_write_tokens) AS cache_write_tokens,
  sum(reasoning_tokens) AS reasoning_tokens,
  CAST(sum(CAST(cost_usd AS DECIMAL(38, 12))) AS DOUBLE) AS cost_usd,
  count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_requests`;
