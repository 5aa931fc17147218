import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { SpanCost } from '../../semconv/canonical-span.ts';
import type { RepriceSpan } from '../store.ts';
import { costDetailJson, parseCostDetail } from './cost-detail.ts';
import { num, numOrNull, strOrNull, type Row } from './rows.ts';

/** Spans read and updated per statement. */
const PAGE_SIZE = 500;
/** Bounds the paging loop: 20,000 pages of 500 are 10 million spans. */
const MAX_PAGES = 20_000;

const SELECT_PAGE = `SELECT trace_id, span_id, start_ns, provider, model, response_model,
    input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
    cost_usd, cost_input_usd, cost_output_usd, cost_cache_read_usd, cost_cache_write_usd,
    price_model, price_table_version, cost_detail, attributes
  FROM spans
  WHERE is_llm_call AND start_ns >= $1 AND start_ns < $2 AND project_id = $6
    AND (start_ns > $3 OR (start_ns = $3 AND (trace_id > $4 OR (trace_id = $4 AND span_id > $5))))
  ORDER BY start_ns, trace_id, span_id LIMIT ${PAGE_SIZE}`;

const UPDATED_COLUMNS = [
  'cost_usd',
  'cost_input_usd',
  'cost_output_usd',
  'cost_cache_read_usd',
  'cost_cache_write_usd',
  'price_model',
  'price_table_version',
  'cost_detail',
] as const;

/**
 * Re-prices the project's stored LLM calls that start in [fromNs, toNs), a page at a time in
 * (start, trace id, span id) order, writing the costs `reprice` returns.
 */
export async function repriceStoredSpans(
  connection: DuckDBConnection,
  projectId: string,
  fromNs: bigint,
  toNs: bigint,
  reprice: (span: RepriceSpan) => SpanCost | null,
): Promise<void> {
  let after: [bigint, string, string] = [fromNs - 1n, '', ''];
  for (let page = 0; page < MAX_PAGES; page++) {
    const reader = await connection.runAndReadAll(SELECT_PAGE, [fromNs, toNs, ...after, projectId]);
    const rows = reader.getRowObjects() as Row[];
    if (rows.length === 0) return;
    const updates: [RepriceSpan, SpanCost][] = [];
    for (const row of rows) {
      const span = toRepriceSpan(row);
      const cost = reprice(span);
      if (cost !== null) updates.push([span, cost]);
    }
    await updateCosts(connection, projectId, updates);
    const last = rows[rows.length - 1]!;
    after = [BigInt(last.start_ns as bigint), String(last.trace_id), String(last.span_id)];
  }
}

async function updateCosts(
  connection: DuckDBConnection,
  projectId: string,
  updates: readonly [RepriceSpan, SpanCost][],
): Promise<void> {
  if (updates.length === 0) return;
  const params: (string | number | null)[] = [];
  const tuples = updates.map(([span, cost]) => {
    const values = [
      span.traceId,
      span.spanId,
      cost.totalUsd,
      cost.inputUsd,
      cost.outputUsd,
      cost.cacheReadUsd,
      cost.cacheWriteUsd,
      cost.priceModel,
      cost.priceTableVersion,
      costDetailJson(cost),
    ];
    const start = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });
  params.push(projectId);
  const typedColumns = ['trace_id', 'span_id', ...UPDATED_COLUMNS];
  const sets = UPDATED_COLUMNS.map(
    (column) => `${column} = CAST(u.${column} AS ${columnType(column)})`,
  ).join(', ');
  const sql = `UPDATE spans SET ${sets}
    FROM (VALUES ${tuples.join(', ')}) AS u(${typedColumns.join(', ')})
    WHERE spans.trace_id = u.trace_id AND spans.span_id = u.span_id
      AND spans.project_id = $${params.length}`;
  await connection.run(sql, params as DuckDBValue[]);
}

function columnType(column: (typeof UPDATED_COLUMNS)[number]): string {
  return column.startsWith('cost_') && column !== 'cost_detail' ? 'DOUBLE' : 'VARCHAR';
}

function toRepriceSpan(row: Row): RepriceSpan {
  const get = (column: string): DuckDBValue => row[column] ?? null;
  return {
    traceId: String(get('trace_id')),
    spanId: String(get('span_id')),
    isLlmCall: true,
    provider: strOrNull(get('provider')),
    model: strOrNull(get('model')),
    responseModel: strOrNull(get('response_model')),
    startTimeUnixNano: BigInt(get('start_ns') as bigint),
    usage: {
      inputTokens: num(get('input_tokens')),
      outputTokens: num(get('output_tokens')),
      cachedInputTokens: num(get('cached_input_tokens')),
      cacheWriteTokens: num(get('cache_write_tokens')),
      reasoningTokens: num(get('reasoning_tokens')),
    },
    attributes: JSON.parse(String(get('attributes') ?? '{}')) as Attributes,
    cost: {
      totalUsd: numOrNull(get('cost_usd')),
      inputUsd: numOrNull(get('cost_input_usd')),
      outputUsd: numOrNull(get('cost_output_usd')),
      cacheReadUsd: numOrNull(get('cost_cache_read_usd')),
      cacheWriteUsd: numOrNull(get('cost_cache_write_usd')),
      priceModel: strOrNull(get('price_model')),
      priceTableVersion: strOrNull(get('price_table_version')),
      ...parseCostDetail(get('cost_detail')),
    },
  };
}
