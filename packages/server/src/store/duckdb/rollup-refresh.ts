import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import {
  COST_DECIMAL,
  LATENCY_BUCKET_SQL,
  MINUTE_NS,
  ROLLUP_DIMENSIONS,
  ROLLUP_TABLE,
} from './rollup-schema.ts';

const HOUR_NS = 3_600_000_000_000n;
const DIMENSIONS = ROLLUP_DIMENSIONS.join(', ');

function minuteOf(timeNs: bigint): bigint {
  return timeNs - (((timeNs % MINUTE_NS) + MINUTE_NS) % MINUTE_NS);
}

/** SQL: the minutes to recompute, as a pruning range and an exact list. */
function minuteFilter(column: string, minutes: readonly bigint[]): string {
  let lowNs = minutes[0]!;
  let highNs = lowNs;
  for (const minuteNs of minutes) {
    if (minuteNs < lowNs) lowNs = minuteNs;
    if (minuteNs > highNs) highNs = minuteNs;
  }
  const list = minutes.map(String).join(', ');
  return `${column} >= ${lowNs} AND ${column} < ${highNs + MINUTE_NS} AND (${column} // ${MINUTE_NS}) * ${MINUTE_NS} IN (${list})`;
}

/** SQL: rollup rows of the spans passing `spanFilter`, summed per minute and dimensions. */
function rollupSelectSql(spanFilter: string): string {
  return `WITH per_bucket AS (
      SELECT (start_ns // ${MINUTE_NS}) * ${MINUTE_NS} AS minute_ns, ${DIMENSIONS},
        ${LATENCY_BUCKET_SQL} AS b, count(*) AS n,
        count(*) FILTER (WHERE error_type IS NOT NULL) AS errors,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
        sum(reasoning_tokens) AS reasoning_tokens,
        sum(CAST(cost_usd AS ${COST_DECIMAL})) AS cost_usd,
        count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_requests
      FROM spans WHERE is_llm_call AND ${spanFilter}
      GROUP BY ALL)
    SELECT minute_ns, ${DIMENSIONS}, sum(n) AS requests, sum(errors) AS errors,
      sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
      sum(reasoning_tokens), sum(cost_usd), sum(unpriced_requests),
      list(struct_pack(b := b, n := n) ORDER BY b) AS latency_buckets
    FROM per_bucket GROUP BY minute_ns, ${DIMENSIONS}`;
}

/** Replaces the rollup rows of `minutes` with sums recomputed from the spans table. */
export async function refreshRollupMinutes(
  connection: DuckDBConnection,
  minutes: readonly bigint[],
): Promise<void> {
  if (minutes.length === 0) return;
  await connection.run(`DELETE FROM ${ROLLUP_TABLE} WHERE ${minuteFilter('minute_ns', minutes)}`);
  await connection.run(
    `INSERT INTO ${ROLLUP_TABLE} ${rollupSelectSql(minuteFilter('start_ns', minutes))}`,
  );
}

/** Replaces the rollup rows of the minutes overlapping [fromNs, toNs). */
export async function rebuildRollupWindow(
  connection: DuckDBConnection,
  fromNs: bigint,
  toNs: bigint,
): Promise<void> {
  const lowNs = minuteOf(fromNs);
  const highNs = minuteOf(toNs - 1n) + MINUTE_NS;
  await connection.run(
    `DELETE FROM ${ROLLUP_TABLE} WHERE minute_ns >= ${lowNs} AND minute_ns < ${highNs}`,
  );
  await connection.run(
    `INSERT INTO ${ROLLUP_TABLE} ${rollupSelectSql(`start_ns >= ${lowNs} AND start_ns < ${highNs}`)}`,
  );
}

/**
 * Lists the minutes whose rollups a committed batch changed: those of its LLM calls, and
 * those of earlier LLM calls in traces whose root span is in the batch, because the root's
 * tenant, feature and environment are copied onto them after the append.
 */
export async function minutesTouchedBy(
  connection: DuckDBConnection,
  spans: readonly CanonicalSpan[],
): Promise<bigint[]> {
  const minutes = new Set<bigint>();
  const rootTraceIds = new Set<string>();
  let lowNs: bigint | null = null;
  let highNs: bigint | null = null;
  for (const span of spans) {
    if (span.isLlmCall) minutes.add(minuteOf(span.startTimeUnixNano));
    if (span.parentSpanId !== null) continue;
    rootTraceIds.add(span.traceId);
    if (lowNs === null || span.startTimeUnixNano < lowNs) lowNs = span.startTimeUnixNano;
    if (highNs === null || span.startTimeUnixNano > highNs) highNs = span.startTimeUnixNano;
  }
  if (rootTraceIds.size > 0 && lowNs !== null && highNs !== null) {
    const ids = [...rootTraceIds];
    const placeholders = ids.map((_, index) => `$${index + 3}`).join(', ');
    const reader = await connection.runAndReadAll(
      `SELECT DISTINCT (start_ns // ${MINUTE_NS}) * ${MINUTE_NS} AS minute_ns FROM spans
       WHERE is_llm_call AND start_ns BETWEEN $1 AND $2 AND trace_id IN (${placeholders})`,
      [lowNs - HOUR_NS, highNs + HOUR_NS, ...ids],
    );
    for (const [minuteNs] of reader.getRows()) minutes.add(BigInt(minuteNs as bigint));
  }
  return [...minutes];
}

/** Builds the rollups of every stored span when the table is empty but spans exist. */
export async function backfillRollupsIfEmpty(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM ${ROLLUP_TABLE}) AS rollups,
            (SELECT min(start_ns) FROM spans WHERE is_llm_call) AS low_ns,
            (SELECT max(start_ns) FROM spans WHERE is_llm_call) AS high_ns`,
  );
  const [rollups, lowNs, highNs] = reader.getRows()[0] ?? [];
  if (Number(rollups) > 0 || lowNs === null || highNs === null) return;
  await rebuildRollupWindow(connection, BigInt(lowNs as bigint), BigInt(highNs as bigint) + 1n);
}
