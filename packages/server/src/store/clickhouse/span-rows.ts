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
import { costDetailJson, parseCostDetail } from '../duckdb/cost-detail.ts';
import { toJson } from '../duckdb/json.ts';
import { toAttributeMap } from './attribute-map.ts';
import type { Row } from './driver.ts';
import { dateTime64Text, finiteOrNull, nanos, num, numOrNull, str, strOrNull } from './values.ts';

/**
 * SELECT list that returns spans with their times as nanosecond strings. The attribute maps
 * are left out because spans are rebuilt from the JSON columns.
 */
export const SPAN_COLUMNS_SQL = `* EXCEPT (start_time, end_time, attributes_map, resource_attributes_map),
  toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns`;

/** The spans table row of a canonical span, for a JSONEachRow insert. */
export function spanToRow(span: CanonicalSpan): Row {
  return {
    project_id: span.projectId,
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    span_kind: span.spanKind,
    service_name: span.serviceName,
    scope_name: span.scopeName,
    start_time: dateTime64Text(span.startTimeUnixNano),
    end_time: dateTime64Text(span.endTimeUnixNano),
    duration_ms: span.durationMs,
    status_code: span.statusCode,
    status_message: span.statusMessage,
    error_type: span.errorType,
    dialect: span.dialect,
    operation: span.operation,
    span_type: span.spanType,
    is_llm_call: span.isLlmCall,
    provider: span.provider,
    request_model: span.requestModel,
    response_model: span.responseModel,
    model: span.model,
    input_tokens: Math.round(span.usage.inputTokens),
    output_tokens: Math.round(span.usage.outputTokens),
    cached_input_tokens: Math.round(span.usage.cachedInputTokens),
    cache_write_tokens: Math.round(span.usage.cacheWriteTokens),
    reasoning_tokens: Math.round(span.usage.reasoningTokens),
    ...costColumns(span.cost),
    ttft_ms: finiteOrNull(span.timeToFirstTokenMs),
    tenant: span.tenant,
    user_id: span.userId,
    session_id: span.sessionId,
    feature: span.feature,
    environment: span.environment,
    registered_model: span.registeredModel,
    attributes: toJson(span.attributes),
    resource_attributes: toJson(span.resourceAttributes),
    attributes_map: toAttributeMap(span.attributes),
    resource_attributes_map: toAttributeMap(span.resourceAttributes),
    events: toJson(span.events),
    ingest_issues: span.ingestIssues.length === 0 ? null : span.ingestIssues.join(','),
  };
}

/** The cost columns of a span, as stored at ingest and rewritten by re-pricing. */
export function costColumns(cost: CanonicalSpan['cost']): Row {
  return {
    cost_usd: finiteOrNull(cost.totalUsd),
    cost_input_usd: finiteOrNull(cost.inputUsd),
    cost_output_usd: finiteOrNull(cost.outputUsd),
    cost_cache_read_usd: finiteOrNull(cost.cacheReadUsd),
    cost_cache_write_usd: finiteOrNull(cost.cacheWriteUsd),
    price_model: cost.priceModel,
    price_table_version: cost.priceTableVersion,
    cost_detail: costDetailJson(cost),
  };
}

function parseJson<T>(value: unknown, fallback: T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : fallback;
}

function toEvents(value: unknown): SpanEvent[] {
  const raw = parseJson<{ timeUnixNano: string; name: string; attributes: Attributes }[]>(
    value,
    [],
  );
  return raw.map((event) => ({ ...event, timeUnixNano: BigInt(event.timeUnixNano) }));
}

/** Reads the cost columns back into a SpanCost. */
export function rowToCost(row: Row): CanonicalSpan['cost'] {
  return {
    totalUsd: numOrNull(row.cost_usd),
    inputUsd: numOrNull(row.cost_input_usd),
    outputUsd: numOrNull(row.cost_output_usd),
    cacheReadUsd: numOrNull(row.cost_cache_read_usd),
    cacheWriteUsd: numOrNull(row.cost_cache_write_usd),
    priceModel: strOrNull(row.price_model),
    priceTableVersion: strOrNull(row.price_table_version),
    ...parseCostDetail(typeof row.cost_detail === 'string' ? row.cost_detail : null),
  };
}

/** Rebuilds a canonical span from a row selected with SPAN_COLUMNS_SQL. */
export function rowToSpan(row: Row): CanonicalSpan {
  return {
    projectId: str(row.project_id),
    traceId: str(row.trace_id),
    spanId: str(row.span_id),
    parentSpanId: strOrNull(row.parent_span_id),
    name: str(row.name),
    spanKind: str(row.span_kind) as SpanKindName,
    serviceName: str(row.service_name),
    scopeName: str(row.scope_name),
    startTimeUnixNano: nanos(row.start_ns),
    endTimeUnixNano: nanos(row.end_ns),
    durationMs: num(row.duration_ms),
    statusCode: str(row.status_code) as StatusCodeName,
    statusMessage: strOrNull(row.status_message),
    errorType: strOrNull(row.error_type) as ErrorType | null,
    dialect: str(row.dialect),
    operation: str(row.operation) as Operation,
    spanType: str(row.span_type) as SpanType,
    isLlmCall: row.is_llm_call === true,
    provider: strOrNull(row.provider),
    requestModel: strOrNull(row.request_model),
    responseModel: strOrNull(row.response_model),
    model: strOrNull(row.model),
    usage: {
      inputTokens: num(row.input_tokens),
      outputTokens: num(row.output_tokens),
      cachedInputTokens: num(row.cached_input_tokens),
      cacheWriteTokens: num(row.cache_write_tokens),
      reasoningTokens: num(row.reasoning_tokens),
    },
    cost: rowToCost(row),
    timeToFirstTokenMs: numOrNull(row.ttft_ms),
    tenant: strOrNull(row.tenant),
    userId: strOrNull(row.user_id),
    sessionId: strOrNull(row.session_id),
    feature: strOrNull(row.feature),
    environment: strOrNull(row.environment),
    registeredModel: strOrNull(row.registered_model),
    attributes: parseJson<Attributes>(row.attributes, {}),
    resourceAttributes: parseJson<Attributes>(row.resource_attributes, {}),
    events: toEvents(row.events),
    ingestIssues: strOrNull(row.ingest_issues)?.split(',') ?? [],
  };
}
