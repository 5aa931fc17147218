import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentEffects } from '../src/app/incidents.ts';
import type { MockProvider } from '../src/index.ts';
import { MOCK_HEADERS, startDemo, startMockProvider } from '../src/index.ts';
import type { CaptureServer } from './helpers/otlp-capture-server.ts';
import { startCaptureServer } from './helpers/otlp-capture-server.ts';
import type { DecodedSpan } from './helpers/otlp-protobuf.ts';
import { SPAN_KIND, decodeTraceRequest } from './helpers/otlp-protobuf.ts';

describe('incident effects', () => {
  it('slows only gpt-4o in a latency spike', () => {
    const effects = incidentEffects('latency_spike');
    expect(effects.headersFor('gpt-4o')).toEqual({ [MOCK_HEADERS.latencyFactor]: '6' });
    expect(effects.headersFor('gpt-4o-mini')).toEqual({});
  });

  it('rate-limits only OpenAI models in a storm', () => {
    const effects = incidentEffects('rate_limit_storm');
    expect(effects.headersFor('gpt-4o-mini')).toEqual({
      [MOCK_HEADERS.rateLimitProbability]: '0.4',
    });
    expect(effects.headersFor('text-embedding-3-small')).toEqual({
      [MOCK_HEADERS.rateLimitProbability]: '0.4',
    });
    expect(effects.headersFor('claude-3-5-haiku-20241022')).toEqual({});
    expect(effects.headersFor('gemini-2.0-flash')).toEqual({});
  });

  it('gives the runaway tenant most of the traffic', () => {
    const tenants = incidentEffects('runaway_tenant').tenants;
    const stark = tenants.find((tenant) => tenant.id === 'stark-industries');
    const others = tenants.filter((tenant) => tenant.id !== 'stark-industries');
    expect(stark?.weight).toBeGreaterThan(others.reduce((sum, tenant) => sum + tenant.weight, 0));
    expect(stark?.featureMix).toEqual([['support-agent', 1]]);
  });

  it('silences batch-summarizer', () => {
    expect(incidentEffects('silent_service').silencedFeatures).toEqual(['summarize']);
  });

  it('lowers the helpfulness of gpt-4o-mini only in a quality drop', () => {
    const effects = incidentEffects('quality_drop');
    expect(effects.qualityShiftFor('gpt-4o-mini')).toBe(-0.35);
    expect(effects.qualityShiftFor('gpt-4o')).toBe(0);
    expect(incidentEffects(null).qualityShiftFor('gpt-4o-mini')).toBe(0);
  });
});

describe('mock provider incident headers', () => {
  let provider: MockProvider;
  let client: OpenAI;

  beforeAll(async () => {
    provider = await startMockProvider({ seed: 3 });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: provider.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await provider.close();
  });

  const reportedLatencyMs = async (headers: Record<string, string>): Promise<number> => {
    const { response } = await client.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        {
          headers: {
            ...headers,
            [MOCK_HEADERS.simulatedTime]: '1',
            [MOCK_HEADERS.outcome]: 'ok',
            [MOCK_HEADERS.requestKey]: 'spike',
          },
        },
      )
      .withResponse();
    return Number(response.headers.get(MOCK_HEADERS.latencyMs));
  };

  it('multiplies latency by the latency factor', async () => {
    const usualMs = await reportedLatencyMs({});
    const spikedMs = await reportedLatencyMs({ [MOCK_HEADERS.latencyFactor]: '6' });
    expect(usualMs).toBeGreaterThan(0);
    expect(Math.abs(spikedMs - 6 * usualMs)).toBeLessThanOrEqual(4);
  });

  it('rate-limits every call at probability 1', async () => {
    for (let index = 0; index < 5; index += 1) {
      const error = await client.chat.completions
        .create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hi ${index}` }] },
          {
            headers: {
              [MOCK_HEADERS.simulatedTime]: '1',
              [MOCK_HEADERS.rateLimitProbability]: '1',
            },
          },
        )
        .catch((caught: unknown) => caught);
      expect((error as { status?: number }).status).toBe(429);
    }
  });
});

describe('demo with a rate-limit storm', () => {
  let capture: CaptureServer;

  beforeAll(async () => {
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await capture.close();
  });

  it('records rate_limit errors in live traffic', async () => {
    const demo = await startDemo({
      otlpEndpoint: capture.url,
      durationMs: 2_000,
      requestsPerSecond: 15,
      backfillHours: 0,
      seed: 1,
      incident: 'rate_limit_storm',
      log: () => {},
    });
    await demo.finished;
    await demo.stop();
    const stats = demo.stats();
    const spans = capture.requests.flatMap((request) => decodeTraceRequest(request.body));
    const rateLimited = spans.filter(
      (span) => span.kind === SPAN_KIND.client && span.attributes['error.type'] === 'rate_limit',
    );
    expect(stats.requestsSent).toBeGreaterThan(10);
    expect(stats.requestsByOutcome['rate_limit'] ?? 0).toBeGreaterThan(stats.requestsSent * 0.1);
    expect(rateLimited.length).toBe(stats.requestsByOutcome['rate_limit']);
    const providerOf = (span: DecodedSpan): string =>
      String(span.attributes['gen_ai.provider.name'] ?? span.attributes['gen_ai.system']);
    const openAiCalls = spans.filter(
      (span) => span.kind === SPAN_KIND.client && providerOf(span) === 'openai',
    );
    const openAiRateLimited = rateLimited.filter((span) => providerOf(span) === 'openai');
    expect(openAiRateLimited.length).toBeGreaterThan(openAiCalls.length * 0.2);
  }, 30_000);
});
