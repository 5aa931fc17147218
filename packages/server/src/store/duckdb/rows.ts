import type { DuckDBValue } from '@duckdb/node-api';
import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import type {
  CanonicalSpan,
  ErrorType,
  Operation,
  SpanEvent,
  SpanKindName,
  SpanType,
  StatusCodeName,
} from '../../semconv/canonical-span.ts';
import type { LlmAggregate } from '../store.ts';
import { parseCostDetail } from './cost-detail.ts';

export type Row = Record<string, DuckDBValue>;

export function num(value: DuckDBValue): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  return 0;
}

export function numOrNull(value: DuckDBValue): number | null {
  if (value === null || value === undefined) return null;
  return num(value);
}

export function strOrNull(value: DuckDBValue): string | null {
  return value === null || value === undefined ? null : String(value);
}

function str(value: DuckDBValue): string {
  return value === null || value === undefined ? '' : String(value);
}

export function toAggregate(row: Row): LlmAggregate {
  return {
    requests: num(row.requests ?? null),
    errors: num(row.errors ?? null),
    latencyMs: {
      p50: numOrNull(row.p50 ?? null),
      p95: numOrNull(row.p95 ?? null),
      p99: numOrNull(row.p99 ?? null),
    },
    tokens: {
      input: num(row.input_tokens ?? null),
      output: num(row.output_tokens ?? null),
      cachedInput: num(row.cached_input_tokens ?? null),
      cacheWrite: num(row.cache_write_tokens ?? null),
      reasoning: num(row.reasoning_tokens ?? null),
    },
    costUsd: numOrNull(row.cost_usd ?? null),
    unpricedRequests: num(row.unpriced_requests ?? null),
  };
}

function parseJson<T>(value: DuckDBValue, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  return JSON.parse(value) as T;
}

function toEvents(value: DuckDBValue): SpanEvent[] {
  const raw = parseJson<{ timeUnixNano: string; name: string; attributes: Attributes }[]>(
    value,
    [],
  );
  return raw.map((event) => ({ ...event, timeUnixNano: BigInt(event.timeUnixNano) }));
}

/** Rebuilds a canonical span from a `SELECT *` row of the spans table. */
export function toCanonicalSpan(row: Row): CanonicalSpan {
  const get = (column: string): DuckDBValue => row[column] ?? null;
  return {
    projectId: str(get('project_id')),
    traceId: str(get('trace_id')),
    spanId: str(get('span_id')),
    parentSpanId: strOrNull(get('parent_span_id')),
    name: str(get('name')),
    spanKind: str(get('span_kind')) as SpanKindName,
    serviceName: str(get('service_name')),
    scopeName: str(get('scope_name')),
    startTimeUnixNano: BigInt(get('start_ns') as bigint),
    endTimeUnixNano: BigInt(get('end_ns') as bigint),
    durationMs: num(get('duration_ms')),
    statusCode: str(get('status_code')) as StatusCodeName,
    statusMessage: strOrNull(get('status_message')),
    errorType: strOrNull(get('error_type')) as ErrorType | null,
    dialect: str(get('dialect')),
    operation: str(get('operation')) as Operation,
    spanType: str(get('span_type')) as SpanType,
    isLlmCall: get('is_llm_call') === true,
    provider: strOrNull(get('provider')),
    requestModel: strOrNull(get('request_model')),
    responseModel: strOrNull(get('response_model')),
    model: strOrNull(get('model')),
    usage: {
      inputTokens: num(get('input_tokens')),
      outputTokens: num(get('output_tokens')),
      cachedInputTokens: num(get('cached_input_tokens')),
      cacheWriteTokens: num(get('cache_write_tokens')),
      reasoningTokens: num(get('reasoning_tokens')),
    },
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
    timeToFirstTokenMs: numOrNull(get('ttft_ms')),
    tenant: strOrNull(get('tenant')),
    userId: strOrNull(get('user_id')),
    sessionId: strOrNull(get('session_id')),
    feature: strOrNull(get('feature')),
    environment: strOrNull(get('environment')),
    registeredModel: strOrNull(get('registered_model')),
    attributes: parseJson<Attributes>(get('attributes'), {}),
    resourceAttributes: parseJson<Attributes>(get('resource_attributes'), {}),
    events: toEvents(get('events')),
    ingestIssues: strOrNull(get('ingest_issues'))?.split(',') ?? [],
  };
}
