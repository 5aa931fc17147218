import { FILTER_COLUMNS, GROUP_COLUMNS } from '../span-columns.ts';
import type { FilterName, LlmQuery } from '../store.ts';

export { FILTER_COLUMNS, GROUP_COLUMNS };
import type { QueryParams } from './driver.ts';

const NANOS_PER_MS = 1_000_000n;

/** Collects query parameters and returns their `{name:Type}` placeholders. */
export class Params {
  readonly values: QueryParams = {};
  private count = 0;

  add(value: string | number | boolean | readonly string[], type: string): string {
    const name = `p${this.count++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  /** A nanosecond time as a DateTime64(9) placeholder. */
  time(unixNano: bigint): string {
    return `fromUnixTimestamp64Nano(${this.add(unixNano.toString(), 'Int64')}, 'UTC')`;
  }
}

/** SQL: a DateTime64(9) column as Unix nanoseconds in a decimal string (JSON numbers lose digits). */
export function nanosSql(column: string): string {
  return `toString(toUnixTimestamp64Nano(${column}))`;
}

export function unixNanoOfMs(unixMs: number): bigint {
  return BigInt(unixMs) * NANOS_PER_MS;
}

/** Builds the WHERE clause of a window, its project and filters; `llmOnly` keeps model calls only. */
export function buildWhere(query: LlmQuery, llmOnly: boolean, params: Params): string {
  const clauses = [
    `project_id = ${params.add(query.projectId, 'String')}`,
    `start_time >= ${params.time(unixNanoOfMs(query.fromUnixMs))}`,
    `start_time < ${params.time(unixNanoOfMs(query.toUnixMs))}`,
  ];
  if (llmOnly) clauses.push('is_llm_call');
  clauses.push(...filterClauses(query, params));
  return clauses.join(' AND ');
}

/** The equality filters of a query. */
export function filterClauses(query: LlmQuery, params: Params): string[] {
  const clauses: string[] = [];
  for (const [name, value] of Object.entries(query.filters) as [FilterName, string | undefined][]) {
    if (value === undefined) continue;
    clauses.push(`${FILTER_COLUMNS[name]} = ${params.add(value, 'String')}`);
  }
  return clauses;
}

/** SQL: the bucket of `stepNs` that a DateTime64(9) column falls in, in Unix nanoseconds. */
export function bucketNanosSql(column: string, stepNs: bigint): string {
  return `intDiv(toUnixTimestamp64Nano(${column}), ${stepNs}) * ${stepNs}`;
}

/**
 * SQL: the `quantile` of a numeric column, interpolated between the two nearest ranks as
 * DuckDB's quantile_cont does, with its rounding: (1 − d)·lo + d·hi. ClickHouse's
 * quantileExactInclusive differs in the last digit for some inputs. NULLs are skipped;
 * an empty group gives NULL. ClickHouse computes the repeated sorted array once.
 */
export function exactQuantileSql(column: string, quantile: number): string {
  const sorted = `arraySort(groupArray(${column}))`;
  const rank = `((length(${sorted}) - 1) * ${quantile})`;
  const low = `${sorted}[toUInt64(floor(${rank})) + 1]`;
  const high = `${sorted}[toUInt64(ceil(${rank})) + 1]`;
  const fraction = `(${rank} - floor(${rank}))`;
  return `if(length(${sorted}) = 0, NULL,
    if(floor(${rank}) = ceil(${rank}), ${low}, (1 - ${fraction}) * ${low} + ${fraction} * ${high}))`;
}

/** The aggregate columns of the summary and the time series over raw spans. */
export const AGGREGATE_SELECT = `
  count() AS requests,
  countIf(error_type IS NOT NULL) AS errors,
  ${exactQuantileSql('duration_ms', 0.5)} AS p50,
  ${exactQuantileSql('duration_ms', 0.95)} AS p95,
  ${exactQuantileSql('duration_ms', 0.99)} AS p99,
  sum(input_tokens) AS tokens_input,
  sum(output_tokens) AS tokens_output,
  sum(cached_input_tokens) AS tokens_cached_input,
  sum(cache_write_tokens) AS tokens_cache_write,
  sum(reasoning_tokens) AS tokens_reasoning,
  if(countIf(cost_usd IS NOT NULL) = 0, NULL,
     toFloat64(sum(toInt128(round(coalesce(cost_usd, 0) * 1e12)))) / 1e12) AS cost_total_usd,
  countIf(cost_usd IS NULL) AS unpriced_requests`;
