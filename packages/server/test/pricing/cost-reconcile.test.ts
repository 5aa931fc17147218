import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { hex, llmAttributes, postTraces, traceBody, type TestSpan } from './otlp-json.ts';

const HOUR_MS = 3_600_000;
const TENANTS = ['acme', 'globex', 'initech'] as const;
const FEATURES = ['chat', 'search', 'summarize'] as const;

interface ModelMix {
  provider: string;
  model: string;
  tokens: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  /** Expected cost in USD, by hand. */
  costUsd: number | null;
}

const MODELS: ModelMix[] = [
  // 1200 x 0.15 + 300 x 0.60 = 180 + 180 = 360 / 1e6
  {
    provider: 'openai',
    model: 'gpt-4o-mini-2024-07-18',
    tokens: { input: 1200, output: 300 },
    costUsd: 0.00036,
  },
  // 5000 x 3 + 3000 x 0.30 + 2000 x 3.75 + 700 x 15 = 15000 + 900 + 7500 + 10500 = 33900 / 1e6
  {
    provider: 'anthropic',
    model: 'claude-3-5-sonnet-20241022',
    tokens: { input: 10_000, output: 700, cacheRead: 3000, cacheWrite: 2000 },
    costUsd: 0.0339,
  },
  // 2000 x 1.25 + 900 x 10 = 2500 + 9000 = 11500 / 1e6
  {
    provider: 'gcp.gemini',
    model: 'gemini-2.5-pro',
    tokens: { input: 2000, output: 900 },
    costUsd: 0.0115,
  },
  {
    provider: 'openai',
    model: 'house-model-7b',
    tokens: { input: 500, output: 100 },
    costUsd: null,
  },
];

interface DayTraffic {
  batches: TestSpan[][];
  expectedTotalUsd: number;
  expectedUnpriced: number;
  llmCalls: number;
}

/**
 * One day of demo-like traffic: each trace is a root agent span carrying tenant and
 * feature and one or two LLM calls without them, which inherit from the root. Half
 * the traces send their calls in an earlier request than the root, as exporters do.
 */
function buildDay(dayStartMs: number, traces: number): DayTraffic {
  const batches: TestSpan[][] = [];
  let expectedTotalUsd = 0;
  let expectedUnpriced = 0;
  let llmCalls = 0;
  for (let t = 0; t < traces; t++) {
    const traceId = hex(t + 1, 32);
    const startUnixMs = dayStartMs + Math.floor((t * 24 * HOUR_MS) / traces);
    const root: TestSpan = {
      traceId,
      spanId: hex(t * 10 + 1, 16),
      name: 'invoke_agent support',
      startUnixMs,
      durationMs: 5000,
      attributes: {
        'tenant.id': TENANTS[t % 3]!,
        'feature.name': FEATURES[Math.floor(t / 3) % 3]!,
      },
    };
    const children: TestSpan[] = [];
    for (let c = 0; c < 1 + (t % 2); c++) {
      const mix = MODELS[(t + c) % MODELS.length]!;
      children.push({
        traceId,
        spanId: hex(t * 10 + 2 + c, 16),
        parentSpanId: root.spanId,
        name: `chat ${mix.model}`,
        startUnixMs: startUnixMs + 100 + c * 1000,
        attributes: llmAttributes(mix.provider, mix.model, mix.tokens),
      });
      llmCalls++;
      if (mix.costUsd === null) expectedUnpriced++;
      else expectedTotalUsd += mix.costUsd;
    }
    if (t % 2 === 0) batches.push(children, [root]);
    else batches.push([root, ...children]);
  }
  return { batches, expectedTotalUsd, expectedUnpriced, llmCalls };
}

const cents = (usd: number): number => Math.round(usd * 100);

describe('cost by tenant and feature reconciles', () => {
  let server: TestServer;
  let window: string;
  let traffic: DayTraffic;

  beforeAll(async () => {
    server = await startTestServer();
    const dayStartMs = Date.UTC(2026, 10, 3);
    traffic = buildDay(dayStartMs, 120);
    for (const batch of traffic.batches) await postTraces(server.url, traceBody(batch));
    window = `from=${dayStartMs}&to=${dayStartMs + 26 * HOUR_MS}`;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('totals match the hand-computed cost', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?${window}&groupBy=model`);
    const requests = body.groups.reduce((sum: number, group: any) => sum + group.requests, 0);
    const costUsd = body.groups.reduce((sum: number, group: any) => sum + (group.costUsd ?? 0), 0);
    const unpriced = body.groups.reduce(
      (sum: number, group: any) => sum + group.unpricedRequests,
      0,
    );
    expect(requests).toBe(traffic.llmCalls);
    expect(unpriced).toBe(traffic.expectedUnpriced);
    expect(costUsd).toBeCloseTo(traffic.expectedTotalUsd, 9);
    const house = body.groups.find((group: any) => group.key === 'house-model-7b');
    expect(house.costUsd).toBeNull();
  });

  it.each(['tenant', 'feature'])('cost by %s adds up to the total', async (groupBy) => {
    const { body } = await server.getJson(`/api/v1/llm/summary?${window}&groupBy=${groupBy}`);
    const keys = body.groups.map((group: any) => group.key).sort();
    expect(keys).toEqual(groupBy === 'tenant' ? [...TENANTS].sort() : [...FEATURES].sort());
    const costUsd = body.groups.reduce((sum: number, group: any) => sum + (group.costUsd ?? 0), 0);
    expect(cents(costUsd)).toBe(cents(traffic.expectedTotalUsd));
    expect(costUsd).toBeCloseTo(traffic.expectedTotalUsd, 9);
  });

  it('trace spans explain their cost', async () => {
    const { body } = await server.getJson(`/api/v1/traces/${hex(2, 32)}`);
    const call = body.spans.find((span: any) => span.model === 'claude-3-5-sonnet-20241022');
    expect(call.tenant).toBe('globex');
    expect(call.cost.priceModel).toBe('anthropic/claude-3-5-sonnet');
    expect(call.cost.totalUsd).toBeCloseTo(0.0339, 12);
    expect(call.cost.pricesUsdPerMTok).toEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
      cacheWrite1h: 6,
      reasoning: null,
      longContextAboveInputTokens: null,
    });
    expect(call.cost.priceDetail.source).toBe('table');
  });
});
