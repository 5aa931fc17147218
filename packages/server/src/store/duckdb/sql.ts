import { FILTER_COLUMNS, GROUP_COLUMNS } from '../span-columns.ts';
import type { FilterName, LlmQuery } from '../store.ts';

export { FILTER_COLUMNS, GROUP_COLUMNS };

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
