import { describe, expect, it } from 'vitest';
import type { TraceSpan } from '../src/api/types.ts';
import { buildWaterfall, traceTotals } from '../src/lib/span-tree.ts';

const BASE_NS = 1_767_225_600_000_000_000n;

function span(
  spanId: string,
  parentSpanId: string | null,
  startMs: number,
  durationMs: number,
  extra: Partial<TraceSpan> = {},
): TraceSpan {
  const startNs = BASE_NS + BigInt(startMs * 1_000_000);
  return {
    traceId: 'a'.repeat(32),
    spanId,
    parentSpanId,
    name: spanId,
    spanKind: 'internal',
    serviceName: 'svc',
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + BigInt(durationMs * 1_000_000)),
    durationMs,
    statusCode: 'unset',
    statusMessage: null,
    errorType: null,
    dialect: 'otel_genai',
    operation: 'other',
    spanType: 'other',
    isLlmCall: false,
    provider: null,
    requestModel: null,
    responseModel: null,
    model: null,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    cost: {
      totalUsd: null,
      inputUsd: null,
      outputUsd: null,
      cacheReadUsd: null,
      cacheWriteUsd: null,
      priceModel: null,
      priceTableVersion: null,
    },
    timeToFirstTokenMs: null,
    tenant: null,
    userId: null,
    sessionId: null,
    feature: null,
    environment: null,
    attributes: {},
    resourceAttributes: {},
    events: [],
    ...extra,
  };
}

describe('buildWaterfall', () => {
  it('nests children under parents by start time', () => {
    const waterfall = buildWaterfall([
      span('chat', 'rag', 40, 50),
      span('root', null, 0, 100),
      span('retrieval', 'rag', 20, 10),
      span('rag', 'root', 5, 90),
      span('embeddings', 'rag', 6, 10),
    ]);
    expect(waterfall.rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ['root', 0],
      ['rag', 1],
      ['embeddings', 2],
      ['retrieval', 2],
      ['chat', 2],
    ]);
    expect(waterfall.totalMs).toBe(100);
    expect(waterfall.rows[4]!.offsetMs).toBe(40);
  });

  it('marks spans whose parent never arrived', () => {
    const waterfall = buildWaterfall([span('root', null, 0, 10), span('lost', 'missing', 5, 3)]);
    expect(waterfall.rows.map((row) => [row.span.spanId, row.depth, row.orphan])).toEqual([
      ['root', 0, false],
      ['lost', 0, true],
    ]);
  });

  it('draws each span of a cycle once', () => {
    const waterfall = buildWaterfall([span('a', 'b', 0, 10), span('b', 'a', 1, 5)]);
    expect(waterfall.rows.map((row) => row.span.spanId)).toEqual(['a', 'b']);
  });
});

describe('traceTotals', () => {
  it('counts LLM calls only', () => {
    const usage = {
      inputTokens: 100,
      outputTokens: 10,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    const priced = {
      totalUsd: 0.5,
      inputUsd: 0.4,
      outputUsd: 0.1,
      cacheReadUsd: 0,
      cacheWriteUsd: 0,
      priceModel: 'openai/gpt-4o',
      priceTableVersion: 'v1',
    };
    const totals = traceTotals([
      span('agent', null, 0, 10, { usage: { ...usage, inputTokens: 999 } }),
      span('call', 'agent', 1, 5, { isLlmCall: true, usage, cost: priced }),
      span('unpriced', 'agent', 2, 5, { isLlmCall: true, usage }),
    ]);
    expect(totals).toEqual({ inputTokens: 200, outputTokens: 20, costUsd: 0.5, llmCalls: 2 });
  });
});
