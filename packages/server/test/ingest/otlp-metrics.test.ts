import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import type { ExponentialBuckets } from '../../src/metrics/metric-point.ts';
import { storedPoints } from '../helpers/metrics-ingest-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Latencies in seconds recorded for gpt-4o (8 calls) and gpt-4o-mini (4 calls). */
const GPT4O_SECONDS = [0.4, 0.6, 0.8, 1.2, 1.6, 2.2, 3.5, 6.0];
const MINI_SECONDS = [0.2, 0.3, 0.35, 0.5];
const LLM_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32];

/**
 * Records the metrics an app emits when it follows the OTel metrics examples:
 * a duration histogram, a token counter by token_type, an error counter by
 * error_type and an up-down counter of in-flight requests.
 */
async function emitMetrics(url: string, views: ViewOptions[]): Promise<void> {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url }),
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'metrics-only-app' }),
    readers: [reader],
    views,
  });
  const meter = provider.getMeter('llm-app.operations');
  const latency = meter.createHistogram('gen_ai.request.duration', { unit: 's' });
  const tokens = meter.createCounter('gen_ai.tokens.consumed');
  const errors = meter.createCounter('gen_ai.errors');
  const active = meter.createUpDownCounter('gen_ai.requests.active');

  const call = (model: string, seconds: number, input: number, output: number): void => {
    const labels = { model, provider: 'openai' };
    active.add(1, labels);
    latency.record(seconds, labels);
    tokens.add(input, { ...labels, token_type: 'input' });
    tokens.add(output, { ...labels, token_type: 'output' });
    active.add(-1, labels);
  };
  for (const seconds of GPT4O_SECONDS) call('gpt-4o', seconds, 1000, 200);
  for (const seconds of MINI_SECONDS) call('gpt-4o-mini', seconds, 400, 50);
  errors.add(1, { model: 'gpt-4o', provider: 'openai', error_type: 'RateLimitError' });
  errors.add(2, { model: 'gpt-4o-mini', provider: 'openai', error_type: 'APITimeoutError' });

  await reader.forceFlush();
  await provider.shutdown();
}

describe('OTLP metrics from the OTel JS metrics SDK', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    const buckets: ViewOptions = {
      instrumentName: 'gen_ai.request.duration',
      aggregation: {
        type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
        options: { boundaries: LLM_BUCKETS_SECONDS },
      },
    };
    await emitMetrics(`${server.otlpUrl}/v1/metrics`, [buckets]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('summary falls back to metrics with exact counts and tokens', async () => {
    const { status, body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    expect(status).toBe(200);
    expect(body.source).toBe('metrics');
    const byKey = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
    // 8 successful calls in the duration histogram plus 1 failure from gen_ai.errors.
    expect(byKey['gpt-4o'].requests).toBe(9);
    expect(byKey['gpt-4o'].tokens.input).toBe(8000);
    expect(byKey['gpt-4o'].tokens.output).toBe(1600);
    expect(byKey['gpt-4o'].errors).toBe(1);
    expect(byKey['gpt-4o-mini'].requests).toBe(6);
    expect(byKey['gpt-4o-mini'].errors).toBe(2);
    // 8000 input x $2.50/M + 1600 output x $10/M.
    expect(byKey['gpt-4o'].costUsd).toBeCloseTo(0.036, 12);
  });

  it('groups metric errors by the canonical error type', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=errorType&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    const errorsByKey = Object.fromEntries(
      body.groups.map((group: any) => [String(group.key), group.errors]),
    );
    expect(errorsByKey).toEqual({ null: 0, rate_limit: 1, timeout: 2 });
  });

  it('interpolates percentiles and reports the bucket bounds', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    const gpt4o = body.groups.find((group: any) => group.key === 'gpt-4o');
    expect(gpt4o.latencyBucketBoundsMs).toEqual(
      LLM_BUCKETS_SECONDS.map((seconds) => seconds * 1000),
    );
    // Rank 4 of 8 lies halfway into the (1000, 2000] bucket, which holds 1.2 s and 1.6 s after 3 calls.
    expect(gpt4o.latencyMs.p50).toBeCloseTo(1500, 6);
    // Rank 7.6 lies in the (4000, 8000] bucket, which holds one call (6.0 s) after 7 others;
    // the estimate 4000 + 4000 x 0.6 = 6400 is capped by the observed maximum, 6000.
    expect(gpt4o.latencyMs.p95).toBeCloseTo(6000, 6);
    expect(gpt4o.coarseLatencyBuckets).toBe(false);
  });

  it('flags the SDK default buckets as too coarse', async () => {
    const coarse = await startTestServer();
    try {
      const from = Date.now() - 60_000;
      await emitMetrics(`${coarse.otlpUrl}/v1/metrics`, []);
      const { body } = await coarse.getJson(
        `/api/v1/llm/summary?groupBy=model&from=${from}&to=${Date.now() + 60_000}`,
      );
      const mini = body.groups.find((group: any) => group.key === 'gpt-4o-mini');
      // The SDK default boundaries start at 0, 5, 10 ... so every call under 5 s shares one bucket.
      expect(mini.latencyBucketBoundsMs.slice(0, 3)).toEqual([0, 5000, 10000]);
      expect(mini.coarseLatencyBuckets).toBe(true);
    } finally {
      await coarse.stop();
    }
  });
});

/** Returns the bounds (lower, upper] of each positive bucket with a nonzero count. */
function occupiedBuckets(buckets: ExponentialBuckets): [number, number][] {
  const base = 2 ** (2 ** -buckets.scale);
  const occupied: [number, number][] = [];
  buckets.positiveCounts.forEach((count, i) => {
    const index = buckets.positiveOffset + i;
    if (count > 0) occupied.push([base ** index, base ** (index + 1)]);
  });
  return occupied;
}

describe('exponential histogram from the OTel JS metrics SDK', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('scale change is an increase', async () => {
    // The SDK keeps a cumulative exponential histogram and lowers its scale, keeping the start
    // time, when a value outside its range arrives: 3 calls of 0.5 s, then 2 of 40 s.
    const fromMs = Date.now() - 60_000;
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${server.otlpUrl}/v1/metrics` }),
      exportIntervalMillis: 600_000,
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'sdk-exponential' }),
      readers: [reader],
      views: [
        {
          instrumentName: 'gen_ai.client.operation.duration',
          aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
        },
      ],
    });
    const duration = provider
      .getMeter('genai.client')
      .createHistogram('gen_ai.client.operation.duration', { unit: 's' });
    const labels = { 'gen_ai.request.model': 'sdk-exponential' };
    for (let i = 0; i < 3; i++) duration.record(0.5, labels);
    await reader.forceFlush();
    for (let i = 0; i < 2; i++) duration.record(40, labels);
    await reader.forceFlush();
    await provider.shutdown();

    const points = await storedPoints(
      server.store,
      'gen_ai.client.operation.duration',
      'sdk-exponential',
      fromMs,
    );
    // Shutting the provider down exports the same counts once more, an increase of 0.
    const increases = points.filter((point) => point.deltaCount !== 0);
    expect(increases.map((point) => point.deltaCount)).toEqual([3, 2]);
    expect(points.some((point) => point.reset)).toBe(false);
    const [first, second] = increases.map((point) => point.exponential!);
    expect(second!.scale).toBeLessThan(first!.scale);
    const [bucket, ...others] = occupiedBuckets(second!);
    expect(others).toEqual([]);
    expect(bucket![0]).toBeLessThan(40);
    expect(bucket![1]).toBeGreaterThanOrEqual(40);
  });
});
