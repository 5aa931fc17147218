import type {
  Attributes,
  OtlpScope,
  OtlpSpan,
  OtlpTraceRequest,
} from '../ingest/otlp/otlp-model.ts';
import { SpanKindNumber } from '../ingest/otlp/otlp-model.ts';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { classifyError } from '../enrich/error-type.ts';
import { readString } from './attributes.ts';
import type {
  CanonicalSpan,
  Operation,
  SpanCost,
  SpanKindName,
  StatusCodeName,
} from './canonical-span.ts';
import {
  createDialectFields,
  type DialectFields,
  type DialectReader,
  type ReaderInput,
} from './dialect-fields.ts';
import { detectDialects, dialectName } from './detect-dialect.ts';
import { LLM_CALL_OPERATIONS, SPAN_TYPES } from './operation.ts';
import { readRegisteredModel } from './registered-model.ts';
import { timeToFirstTokenFromEvents } from './time-to-first-token.ts';
import { toCanonicalUsage, zeroUsage } from './token-usage.ts';

const SPAN_KINDS: readonly SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS_CODES: readonly StatusCodeName[] = ['unset', 'ok', 'error'];

/** Normalizes every span of a decoded OTLP request; cost and attribution are filled later. */
export function normalizeTraceRequest(request: OtlpTraceRequest): CanonicalSpan[] {
  const spans: CanonicalSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        spans.push(normalizeSpan(span, resourceSpans.resource, scopeSpans.scope));
      }
    }
  }
  return spans;
}

/**
 * Normalizes one span: detects the dialects present, reads them in precedence
 * order, and derives operation, token usage, time to first token and error class.
 * Usage stays zero on spans that are not LLM calls (agents, workflows, chains),
 * because those repeat the usage of the calls inside them.
 */
export function normalizeSpan(
  span: OtlpSpan,
  resource: Attributes,
  scope: OtlpScope,
): CanonicalSpan {
  const input: ReaderInput = {
    attributes: span.attributes,
    scopeName: scope.name,
    startTimeUnixNano: span.startTimeUnixNano,
    senderStartTimeUnixNano: span.senderStartTimeUnixNano ?? span.startTimeUnixNano,
    events: span.events,
  };
  const { fields, dialect } = readDialects(input);
  const operation = fields.operation ?? inferOperation(fields, span.kind);
  const isLlmCall = LLM_CALL_OPERATIONS.has(operation);
  const statusCode = STATUS_CODES[span.status.code] ?? 'unset';
  const statusMessage = span.status.message === '' ? null : span.status.message;
  const durationNs = span.endTimeUnixNano - span.startTimeUnixNano;

  return {
    projectId: DEFAULT_PROJECT_ID,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId === '' ? null : span.parentSpanId,
    name: span.name,
    spanKind: SPAN_KINDS[span.kind] ?? 'unspecified',
    serviceName: readString(resource, ['service.name']) ?? 'unknown_service',
    scopeName: scope.name,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    durationMs: durationNs > 0n ? Number(durationNs) / 1e6 : 0,
    statusCode,
    statusMessage,
    errorType: classifyError({
      failed: statusCode === 'error' || fields.failed,
      errorType: fields.errorType,
      message: statusMessage ?? fields.errorMessage,
      attributes: span.attributes,
      events: span.events,
    }),
    dialect,
    operation,
    spanType: SPAN_TYPES[operation],
    isLlmCall,
    provider: fields.provider,
    requestModel: fields.requestModel,
    responseModel: fields.responseModel,
    model: fields.requestModel ?? fields.responseModel,
    usage: isLlmCall ? toCanonicalUsage(fields) : zeroUsage(),
    cost: emptyCost(),
    timeToFirstTokenMs: readTimeToFirstToken(fields, span),
    tenant: null,
    userId: null,
    sessionId: null,
    feature: null,
    environment: null,
    registeredModel: readRegisteredModel(span.attributes, resource),
    attributes: span.attributes,
    resourceAttributes: resource,
    events: span.events,
    ingestIssues: span.timeIssues === undefined ? [] : [...span.timeIssues],
  };
}

function readDialects(input: ReaderInput): { fields: DialectFields; dialect: string } {
  const fields = createDialectFields();
  const present = detectDialects(input.attributes);
  let previous: DialectReader | null = null;
  for (const entry of present) {
    if (entry.read !== previous) entry.read(input, fields);
    previous = entry.read;
  }
  fields.errorType ??= readString(input.attributes, ['error.type']);
  return { fields, dialect: dialectName(present, input.attributes) };
}

/** Infers `chat` for a span without an operation but with a model and token counts. */
/**
 * A span without an operation name is a model call when it has a model and
 * usage, or when it is a CLIENT span with a model and a provider: a call that
 * failed before the provider reported usage still counts as a request and an error.
 */
function inferOperation(fields: DialectFields, spanKind: number): Operation {
  const hasModel = fields.requestModel !== null || fields.responseModel !== null;
  const usage = fields.usage;
  const hasUsage = (usage.inputTokens ?? 0) > 0 || (usage.outputTokens ?? 0) > 0;
  const isProviderCall = spanKind === SpanKindNumber.client && fields.provider !== null;
  return hasModel && (hasUsage || isProviderCall) ? 'chat' : 'other';
}

function readTimeToFirstToken(fields: DialectFields, span: OtlpSpan): number | null {
  if (fields.timeToFirstTokenMs !== null) return fields.timeToFirstTokenMs;
  if (span.events.length === 0) return null;
  return timeToFirstTokenFromEvents(span.events, span.startTimeUnixNano);
}

function emptyCost(): SpanCost {
  return {
    totalUsd: null,
    inputUsd: null,
    outputUsd: null,
    cacheReadUsd: null,
    cacheWriteUsd: null,
    priceModel: null,
    priceTableVersion: null,
  };
}
