import type { DuckDBConnection } from '@duckdb/node-api';
import type { TraceListItem, TraceSearch } from '../store.ts';
import { num, numOrNull, strOrNull, type Row } from './rows.ts';
import { buildWhere } from './sql.ts';

const NANOS_PER_MS = 1_000_000n;
/** How far outside the window the other spans of a matching trace are looked for. */
const TRACE_MARGIN_NS = 3_600_000_000_000n;

/** Builds the search: matching trace ids first, then every span of those traces aggregated. */
function buildTraceSearchSql(search: TraceSearch): { sql: string; params: (string | bigint)[] } {
  const where = buildWhere(search, false);
  const params = [...where.params];

  let matchSql = where.sql;
  if (search.text !== null) {
    params.push(search.text.toLowerCase());
    const textParam = `$${params.length}`;
    matchSql += ` AND (contains(lower(name), ${textParam}) OR contains(lower(attributes), ${textParam}))`;
  }

  const having: string[] = [];
  if (search.status === 'error') having.push('error_count > 0');
  if (search.status === 'ok') having.push('error_count = 0');
  if (search.minDurationMs !== null) {
    params.push(BigInt(Math.ceil(search.minDurationMs * 1e6)));
    having.push(`max(end_ns) - min(start_ns) >= $${params.length}`);
  }

  // A root is a span without a parent; a trace whose root never arrived shows its earliest span.
  const rootOrder = '(CASE WHEN parent_span_id IS NULL THEN 0 ELSE 1 END, start_ns)';
  const sql = `WITH matched AS (SELECT DISTINCT trace_id FROM spans WHERE ${matchSql})
    SELECT trace_id,
      arg_min(name, ${rootOrder}) AS root_name,
      arg_min(service_name, ${rootOrder}) AS service_name,
      min(start_ns) AS start_ns, max(end_ns) AS end_ns, count(*) AS span_count,
      count(*) FILTER (WHERE is_llm_call) AS llm_call_count,
      count(*) FILTER (WHERE status_code = 'error' OR error_type IS NOT NULL) AS error_count,
      sum(cost_usd) FILTER (WHERE is_llm_call) AS cost_usd,
      coalesce(sum(input_tokens) FILTER (WHERE is_llm_call), 0) AS input_tokens,
      coalesce(sum(output_tokens) FILTER (WHERE is_llm_call), 0) AS output_tokens
    FROM spans
    WHERE start_ns >= $1 - ${TRACE_MARGIN_NS} AND start_ns < $2 + ${TRACE_MARGIN_NS}
      AND project_id = $3 AND trace_id IN (SELECT trace_id FROM matched)
    GROUP BY trace_id
    ${having.length === 0 ? '' : `HAVING ${having.join(' AND ')}`}
    ORDER BY start_ns DESC, trace_id LIMIT ${search.limit}`;
  return { sql, params };
}

function toTraceListItem(row: Row): TraceListItem {
  const startNs = BigInt(row.start_ns as bigint);
  const endNs = BigInt(row.end_ns as bigint);
  return {
    traceId: String(row.trace_id),
    rootName: strOrNull(row.root_name ?? null),
    serviceName: strOrNull(row.service_name ?? null),
    startTimeUnixMs: Number(startNs / NANOS_PER_MS),
    durationMs: Number(endNs - startNs) / 1e6,
    spanCount: num(row.span_count ?? null),
    llmCallCount: num(row.llm_call_count ?? null),
    errorCount: num(row.error_count ?? null),
    costUsd: numOrNull(row.cost_usd ?? null),
    inputTokens: num(row.input_tokens ?? null),
    outputTokens: num(row.output_tokens ?? null),
  };
}

/** Lists the traces that match a search, newest first. */
export async function searchTraces(
  connection: DuckDBConnection,
  search: TraceSearch,
): Promise<TraceListItem[]> {
  const { sql, params } = buildTraceSearchSql(search);
  const reader = await connection.runAndReadAll(sql, params);
  return (reader.getRowObjects() as Row[]).map(toTraceListItem);
}
