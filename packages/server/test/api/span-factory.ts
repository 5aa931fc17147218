import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';

const NANOS_PER_MS = 1_000_000n;

/** Fields a test sets on a span; the rest get neutral defaults. */
export interface SpanFields {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name?: string;
  startMs: number;
  durationMs: number;
  isLlmCall?: boolean;
  model?: string | null;
  provider?: string | null;
  tenant?: string | null;
  feature?: string | null;
  registeredModel?: string | null;
  errorType?: CanonicalSpan['errorType'];
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
  ttftMs?: number | null;
  attributes?: CanonicalSpan['attributes'];
  spanType?: CanonicalSpan['spanType'];
  serviceName?: string;
  projectId?: string;
}

/** Builds a canonical span as the ingest pipeline would store it. */
export function makeSpan(fields: SpanFields): CanonicalSpan {
  const isLlmCall = fields.isLlmCall ?? true;
  const startNs = BigInt(Math.round(fields.startMs * 1000)) * (NANOS_PER_MS / 1000n);
  const costUsd = fields.costUsd === undefined ? null : fields.costUsd;
  return {
    projectId: fields.projectId ?? 'default',
    traceId: fields.traceId,
    spanId: fields.spanId,
    parentSpanId: fields.parentSpanId ?? null,
    name: fields.name ?? (isLlmCall ? `chat ${fields.model ?? 'unknown'}` : 'workflow'),
    spanKind: isLlmCall ? 'client' : 'internal',
    serviceName: fields.serviceName ?? 'svc',
    scopeName: 'test',
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + BigInt(Math.round(fields.durationMs * 1e6)),
    durationMs: fields.durationMs,
    statusCode: fields.errorType ? 'error' : 'unset',
    statusMessage: null,
    errorType: fields.errorType ?? null,
    dialect: 'otel_genai',
    operation: isLlmCall ? 'chat' : 'invoke_workflow',
    spanType: fields.spanType ?? (isLlmCall ? 'llm' : 'chain'),
    isLlmCall,
    provider: fields.provider ?? null,
    requestModel: fields.model ?? null,
    responseModel: fields.model ?? null,
    model: fields.model ?? null,
    usage: {
      inputTokens: fields.inputTokens ?? 0,
      outputTokens: fields.outputTokens ?? 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    cost: {
      totalUsd: costUsd,
      inputUsd: costUsd,
      outputUsd: costUsd === null ? null : 0,
      cacheReadUsd: costUsd === null ? null : 0,
      cacheWriteUsd: costUsd === null ? null : 0,
      priceModel: costUsd === null ? null : `openai/${fields.model ?? 'unknown'}`,
      priceTableVersion: costUsd === null ? null : 'test',
    },
    timeToFirstTokenMs: fields.ttftMs ?? null,
    tenant: fields.tenant ?? null,
    userId: null,
    sessionId: null,
    feature: fields.feature ?? null,
    environment: 'test',
    registeredModel: fields.registeredModel ?? null,
    attributes: fields.attributes ?? {},
    resourceAttributes: { 'service.name': fields.serviceName ?? 'svc' },
    events: [],
    ingestIssues: [],
  };
}

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Formats `n` as a zero-padded lower-case hex id of `length` characters. */
export function hexId(n: number, length: number): string {
  return n.toString(16).padStart(length, '0');
}
