import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { SpanCost } from '../../semconv/canonical-span.ts';
import type { ProjectWindow, RepriceSpan } from '../store.ts';
import type { ClickHouseDriver, Row } from './driver.ts';
import { mutationTarget, tableName, type ClickHouseLayout } from './layout.ts';
import { costColumns, rowToCost } from './span-rows.ts';
import { Params, unixNanoOfMs } from './sql.ts';
import { nanos, num, str, strOrNull } from './values.ts';

/** Spans read and updated per statement. */
const PAGE_SIZE = 500;
/** Bounds the paging loop: 20,000 pages of 500 are 10 million spans. */
const MAX_PAGES = 20_000;

const DOUBLE_COLUMNS = [
  'cost_usd',
  'cost_input_usd',
  'cost_output_usd',
  'cost_cache_read_usd',
  'cost_cache_write_usd',
] as const;
const STRING_COLUMNS = ['price_model', 'price_table_version', 'cost_detail'] as const;

function toRepriceSpan(row: Row): RepriceSpan {
  return {
    traceId: str(row.trace_id),
    spanId: str(row.span_id),
    isLlmCall: true,
    provider: strOrNull(row.provider),
    model: strOrNull(row.model),
    responseModel: strOrNull(row.response_model),
    startTimeUnixNano: nanos(row.start_ns),
    usage: {
      inputTokens: num(row.input_tokens),
      outputTokens: num(row.output_tokens),
      cachedInputTokens: num(row.cached_input_tokens),
      cacheWriteTokens: num(row.cache_write_tokens),
      reasoningTokens: num(row.reasoning_tokens),
    },
    attributes: JSON.parse(str(row.attributes) || '{}') as Attributes,
    cost: rowToCost(row),
  };
}

async function selectPage(
  driver: ClickHouseDriver,
  spansTable: string,
  window: ProjectWindow,
  after: [bigint, string, string],
): Promise<Row[]> {
  const params = new Params();
  const afterTime = params.time(after[0]);
  const afterTrace = params.add(after[1], 'String');
  const afterSpan = params.add(after[2], 'String');
  return driver.query(
    `SELECT trace_id, span_id, toString(toUnixTimestamp64Nano(start_time)) AS start_ns, provider,
       model, response_model, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
       reasoning_tokens, cost_usd, cost_input_usd, cost_output_usd, cost_cache_read_usd,
       cost_cache_write_usd, price_model, price_table_version, cost_detail, attributes
     FROM ${spansTable}
     WHERE project_id = ${params.add(window.projectId, 'String')} AND is_llm_call
       AND start_time >= ${params.time(unixNanoOfMs(window.fromUnixMs))}
       AND start_time < ${params.time(unixNanoOfMs(window.toUnixMs))}
       AND (start_time, trace_id, span_id) > (${afterTime}, ${afterTrace}, ${afterSpan})
     ORDER BY start_time, trace_id, span_id LIMIT ${PAGE_SIZE}`,
    params.values,
  );
}

/** Writes new costs with one ALTER UPDATE that maps each (trace id, span id) to its values. */
async function updateCosts(
  driver: ClickHouseDriver,
  target: string,
  projectId: string,
  updates: readonly [RepriceSpan, SpanCost][],
): Promise<void> {
  if (updates.length === 0) return;
  const params = new Params();
  const key = "concat(trace_id, '\\0', span_id)";
  const keys = params.add(
    updates.map(([span]) => `${span.traceId}\u0000${span.spanId}`),
    'Array(String)',
  );
  const columns = updates.map(([, cost]) => costColumns(cost));
  const sets = [...DOUBLE_COLUMNS, ...STRING_COLUMNS].map((column) => {
    const isDouble = (DOUBLE_COLUMNS as readonly string[]).includes(column);
    const type = isDouble ? 'Nullable(Float64)' : 'Nullable(String)';
    // Values travel as JSON text, so NULL and doubles survive the Array(String) parameter.
    const values = params.add(
      columns.map((row) => JSON.stringify(row[column] ?? null)),
      'Array(String)',
    );
    const parsed = `JSONExtract(transform(${key}, ${keys}, ${values}, 'null'), '${type}')`;
    return `${column} = if(${key} IN ${keys}, ${parsed}, ${column})`;
  });
  await driver.command(
    `ALTER TABLE ${target} UPDATE ${sets.join(', ')}
     WHERE project_id = ${params.add(projectId, 'String')} AND ${key} IN ${keys}`,
    params.values,
  );
}

/**
 * Re-prices the stored LLM calls of the project in the window, a page at a time in
 * (start, trace id, span id) order, writing the costs `reprice` returns.
 */
export async function repriceStoredSpans(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  window: ProjectWindow,
  reprice: (span: RepriceSpan) => SpanCost | null,
): Promise<void> {
  const spansTable = tableName(layout, 'spans');
  let after: [bigint, string, string] = [unixNanoOfMs(window.fromUnixMs) - 1n, '', ''];
  for (let page = 0; page < MAX_PAGES; page++) {
    const rows = await selectPage(driver, spansTable, window, after);
    if (rows.length === 0) return;
    const updates: [RepriceSpan, SpanCost][] = [];
    for (const row of rows) {
      const span = toRepriceSpan(row);
      const cost = reprice(span);
      if (cost !== null) updates.push([span, cost]);
    }
    await updateCosts(driver, mutationTarget(layout, 'spans'), window.projectId, updates);
    const last = rows[rows.length - 1]!;
    after = [nanos(last.start_ns), str(last.trace_id), str(last.span_id)];
  }
}
