import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import type { TraceListItem, TraceSearch } from '../store.ts';
import type { ClickHouseDriver, Row } from './driver.ts';
import { SPAN_COLUMNS_SQL, rowToSpan } from './span-rows.ts';
import { Params, buildWhere, unixNanoOfMs } from './sql.ts';
import { nanos, num, numOrNull, str, strOrNull } from './values.ts';

const NANOS_PER_MS = 1_000_000n;
/** How far outside the window the other spans of a matching trace are looked for. */
const TRACE_MARGIN_NS = 3_600_000_000_000n;

/** Builds the search: matching trace ids first, then every span of those traces aggregated. */
function buildTraceSearchSql(spansTable: string, search: TraceSearch, params: Params): string {
  let match = buildWhere(search, false, params);
  if (search.text !== null) {
    const text = params.add(search.text.toLowerCase(), 'String');
    match += ` AND (position(lowerUTF8(name), ${text}) > 0 OR position(lowerUTF8(attributes), ${text}) > 0)`;
  }
  const having: string[] = [];
  if (search.status === 'error') having.push('error_count > 0');
  if (search.status === 'ok') having.push('error_count = 0');
  if (search.minDurationMs !== null) {
    const minNs = params.add(String(Math.ceil(search.minDurationMs * 1e6)), 'Int64');
    having.push(
      `toUnixTimestamp64Nano(max(end_time)) - toUnixTimestamp64Nano(min(start_time)) >= ${minNs}`,
    );
  }
  const project = params.add(search.projectId, 'String');
  const from = params.time(unixNanoOfMs(search.fromUnixMs) - TRACE_MARGIN_NS);
  const to = params.time(unixNanoOfMs(search.toUnixMs) + TRACE_MARGIN_NS);
  // A root is a span without a parent; a trace whose root never arrived shows its earliest span.
  const rootOrder = '(if(parent_span_id IS NULL, 0, 1), start_time)';
  return `SELECT trace_id,
      argMin(name, ${rootOrder}) AS root_name,
      argMin(service_name, ${rootOrder}) AS root_service,
      min(start_time) AS first_start, toString(toUnixTimestamp64Nano(first_start)) AS first_ns,
      toString(toUnixTimestamp64Nano(max(end_time))) AS last_ns, count() AS span_count,
      countIf(is_llm_call) AS llm_call_count,
      countIf(status_code = 'error' OR error_type IS NOT NULL) AS error_count,
      sumIf(cost_usd, is_llm_call) AS llm_cost_usd,
      sumIf(input_tokens, is_llm_call) AS llm_input_tokens,
      sumIf(output_tokens, is_llm_call) AS llm_output_tokens
    FROM ${spansTable}
    WHERE project_id = ${project} AND start_time >= ${from} AND start_time < ${to}
      AND trace_id IN (SELECT DISTINCT trace_id FROM ${spansTable} WHERE ${match})
    GROUP BY trace_id
    ${having.length === 0 ? '' : `HAVING ${having.join(' AND ')}`}
    ORDER BY first_start DESC, trace_id LIMIT ${Math.trunc(search.limit)}`;
}

function toTraceListItem(row: Row): TraceListItem {
  const startNs = nanos(row.first_ns);
  const endNs = nanos(row.last_ns);
  const pricedCost = numOrNull(row.llm_cost_usd);
  return {
    traceId: str(row.trace_id),
    rootName: strOrNull(row.root_name),
    serviceName: strOrNull(row.root_service),
    startTimeUnixMs: Number(startNs / NANOS_PER_MS),
    durationMs: Number(endNs - startNs) / 1e6,
    spanCount: num(row.span_count),
    llmCallCount: num(row.llm_call_count),
    errorCount: num(row.error_count),
    costUsd: pricedCost,
    inputTokens: num(row.llm_input_tokens),
    outputTokens: num(row.llm_output_tokens),
  };
}

/** Lists the traces that match a search, newest first. */
export async function searchTraces(
  driver: ClickHouseDriver,
  spansTable: string,
  search: TraceSearch,
): Promise<TraceListItem[]> {
  const params = new Params();
  const sql = buildTraceSearchSql(spansTable, search, params);
  return (await driver.query(sql, params.values)).map(toTraceListItem);
}

/** Reads the spans of one trace of a project by start time. */
export async function selectTrace(
  driver: ClickHouseDriver,
  spansTable: string,
  projectId: string,
  traceId: string,
): Promise<CanonicalSpan[]> {
  const params = new Params();
  const rows = await driver.query(
    `SELECT ${SPAN_COLUMNS_SQL} FROM ${spansTable}
     WHERE project_id = ${params.add(projectId, 'String')} AND trace_id = ${params.add(traceId, 'String')}
     ORDER BY start_time, span_id`,
    params.values,
  );
  return rows.map(rowToSpan);
}
