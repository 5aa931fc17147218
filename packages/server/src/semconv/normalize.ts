import type {
  Attributes,
  OtlpScope,
  OtlpSpan,
  OtlpTraceRequest,
} from '../ingest/otlp/otlp-model.ts';
import { classifyError } from '../enrich/error-type.ts';
import { readString } from './attributes.ts';
import type {
  CanonicalSpan,
  Operation,
  SpanKindName,
  SpanType,
  StatusCodeName,
} from './canonical-span.ts';
import { isOtelGenAi, readOtelGenAi, type GenAiFields } from './otel-genai.ts';

const SPAN_KINDS: readonly SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS_CODES: readonly StatusCodeName[] = ['unset', 'ok', 'error'];

/** Operations whose token usage counts: the model calls themselves. */
const LLM_CALL_OPERATIONS: ReadonlySet<Operation> = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
]);

const SPAN_TYPES: Readonly<Record<Operation, SpanType>> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
  rerank: 'retrieval',
  retrieval: 'retrieval',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  invoke_workflow: 'chain',
  other: 'other',
};

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

export function normalizeSpan(
  span: OtlpSpan,
  resource: Attributes,
  scope: OtlpScope,
): CanonicalSpan {
  const fields = readGenAiFields(span.attributes);
  const statusCode = STATUS_CODES[span.status.code] ?? 'unset';
  const statusMessage = span.status.message === '' ? null : span.status.message;
  const operation = fields.operation ?? inferOperation(fields);
  const requestModel = fields.requestModel;
  const durationNs = span.endTimeUnixNano - span.startTimeUnixNano;

  return {
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
    errorType: classifyError(
      statusCode === 'error',
      fields.errorType,
      statusMessage,
      span.attributes,
    ),
    dialect: fields.dialect,
    operation,
    spanType: SPAN_TYPES[operation],
    isLlmCall: LLM_CALL_OPERATIONS.has(operation),
    provider: fields.provider,
    requestModel,
    responseModel: fields.responseModel,
    model: requestModel ?? fields.responseModel,
    usage: reconcileUsage(fields),
    cost: {
      totalUsd: null,
      inputUsd: null,
      outputUsd: null,
      cacheReadUsd: null,
      cacheWriteUsd: null,
      priceModel: null,
      priceTableVersion: null,
    },
    timeToFirstTokenMs: fields.timeToFirstTokenMs,
    tenant: null,
    userId: null,
    sessionId: null,
    feature: null,
    environment: null,
    attributes: span.attributes,
    resourceAttributes: resource,
    events: span.events,
  };
}

function readGenAiFields(attributes: Attributes): GenAiFields {
  if (isOtelGenAi(attributes)) return readOtelGenAi(attributes);
  return {
    dialect: 'none',
    operation: null,
    provider: null,
    requestModel: null,
    responseModel: null,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    timeToFirstTokenMs: null,
    errorType: readString(attributes, ['error.type']),
  };
}

/** A GenAI span without an operation name but with a model and usage is a model call. */
function inferOperation(fields: GenAiFields): Operation {
  const hasModel = fields.requestModel !== null || fields.responseModel !== null;
  const hasUsage = fields.usage.inputTokens > 0 || fields.usage.outputTokens > 0;
  return hasModel && hasUsage ? 'chat' : 'other';
}

/**
 * Applies the canonical token meaning whatever the emitter did: when the cache
 * subsets exceed the reported input, the input excluded them (Anthropic's raw
 * numbers), and when reasoning exceeds output, the output excluded it (Gemini).
 */
function reconcileUsage(fields: GenAiFields): GenAiFields['usage'] {
  const usage = { ...fields.usage };
  const cacheTokens = usage.cachedInputTokens + usage.cacheWriteTokens;
  if (cacheTokens > usage.inputTokens) usage.inputTokens += cacheTokens;
  if (usage.reasoningTokens > usage.outputTokens) usage.outputTokens += usage.reasoningTokens;
  return usage;
}
