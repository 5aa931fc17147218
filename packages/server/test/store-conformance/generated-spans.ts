import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { makeSpan } from '../api/span-factory.ts';

/** Start of the generated data, a whole hour in UTC. */
export const DATA_START_MS = Date.UTC(2026, 0, 10, 0, 0, 0);
export const HOUR_MS = 3_600_000;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet'] as const;
const PROVIDERS: Record<(typeof MODELS)[number], string> = {
  'gpt-4o': 'openai',
  'gpt-4o-mini': 'openai',
  'claude-sonnet': 'anthropic',
};
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'] as const;
const FEATURES = ['chat', 'search', 'summarize'] as const;
/** Registered model versions by trace index modulo 3. Picking by index leaves the random sequence unchanged. */
const REGISTERED_MODELS = [null, 'iris-classifier/1', 'iris-classifier/2'] as const;

/** A small deterministic generator (mulberry32), so both backends get the same data on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

function hex(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(next() * 16).toString(16);
  return text;
}

/** The writes a test sends, in order, and what it expects to be stored. */
export interface GeneratedData {
  /** Each entry is one writeSpans call. */
  writes: CanonicalSpan[][];
  uniqueSpanCount: number;
  llmCallCount: number;
  /** Traces whose root was written after their LLM calls; the calls inherit its tenant. */
  lateRootTraceIds: string[];
  userTraceIds: Map<string, string[]>;
}

function llmCall(
  next: () => number,
  traceId: string,
  rootId: string,
  startMs: number,
  projectId: string,
): CanonicalSpan {
  const model = pick(next, MODELS);
  const errored = next() < 0.12;
  const priced = next() < 0.85;
  const streaming = next() < 0.4;
  const span = makeSpan({
    projectId,
    traceId,
    spanId: hex(next, 16),
    parentSpanId: rootId,
    startMs,
    durationMs:
      Math.round(50 + next() * 4000 * (next() < 0.1 ? 5 : 1)) + Math.round(next() * 1000) / 1000,
    model,
    provider: PROVIDERS[model],
    errorType: errored ? pick(next, ['rate_limit', 'timeout', 'server_error'] as const) : null,
    inputTokens: Math.floor(next() * 3000),
    outputTokens: Math.floor(next() * 800),
    costUsd: priced ? Math.round(next() * 1e9) / 1e12 + next() * 1e-4 : null,
    ttftMs: streaming ? Math.round(next() * 900) + next() : null,
    attributes: { 'gen_ai.prompt': `question ${hex(next, 6)}`, 'gen_ai.request.max_tokens': 512 },
    serviceName: next() < 0.7 ? 'api' : 'worker',
  });
  span.usage.cachedInputTokens = Math.floor(span.usage.inputTokens * next() * 0.5);
  span.usage.reasoningTokens = Math.floor(span.usage.outputTokens * next() * 0.3);
  span.environment = null;
  return span;
}

/**
 * Generates 72 hours of traces for two projects. Each trace has a workflow root with the
 * tenant, feature, user, environment and (on two traces of three) registered model, and
 * one to three LLM calls of three models that carry none of them (they inherit the
 * root's). Some roots arrive after their calls, some spans are sent twice, and a few late
 * spans arrive last with old start times.
 */
export function generateData(traceCount: number, seed = 7): GeneratedData {
  const next = random(seed);
  const writes: CanonicalSpan[][] = [];
  const late: CanonicalSpan[] = [];
  const lateRootTraceIds: string[] = [];
  const userTraceIds = new Map<string, string[]>();
  let uniqueSpanCount = 0;
  let llmCallCount = 0;
  for (let index = 0; index < traceCount; index++) {
    const projectId = index % 5 === 4 ? 'other' : 'default';
    const traceId = hex(next, 32);
    const rootId = hex(next, 16);
    const startMs =
      DATA_START_MS + Math.floor(next() * 72 * HOUR_MS) + Math.round(next() * 1000) / 1000;
    const calls = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, call) =>
      llmCall(next, traceId, rootId, startMs + 5 + call * 700 + next() * 100, projectId),
    );
    const userId = `user-${Math.floor(next() * 12)}`;
    const root = makeSpan({
      projectId,
      traceId,
      spanId: rootId,
      isLlmCall: false,
      name: `handle ${pick(next, FEATURES)}`,
      startMs,
      durationMs: 6000,
      tenant: pick(next, TENANTS),
      feature: pick(next, FEATURES),
      attributes: { 'user.id': userId },
    });
    root.userId = userId;
    root.environment = next() < 0.5 ? 'production' : 'staging';
    root.registeredModel = REGISTERED_MODELS[index % REGISTERED_MODELS.length]!;
    if (projectId === 'default')
      userTraceIds.set(userId, [...(userTraceIds.get(userId) ?? []), traceId]);
    uniqueSpanCount += calls.length + 1;
    llmCallCount += calls.length;
    const lateRoot = next() < 0.3;
    if (lateRoot) lateRootTraceIds.push(traceId);
    const ordered = lateRoot ? [calls, [root]] : [[root, ...calls]];
    for (const batch of ordered) writes.push(batch);
    if (next() < 0.15) writes.push([calls[0]!]);
    if (next() < 0.05) late.push(...calls.map((call) => ({ ...call, spanId: hex(next, 16) })));
  }
  uniqueSpanCount += late.length;
  llmCallCount += late.length;
  if (late.length > 0) writes.push(late);
  return { writes, uniqueSpanCount, llmCallCount, lateRootTraceIds, userTraceIds };
}
