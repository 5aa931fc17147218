import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from '@foghorn/demo';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { expectedCostUsd } from './expected-cost.ts';
import {
  HAS_PYTHON3,
  PYTHON3_MISSING_MESSAGE,
  VENV_TIMEOUT_MS,
  ensureOtelVenv,
  runReportScript,
} from './python-otel.ts';

/** What the `openai` client saw for one model, as the script reports it. */
interface ModelTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  errors: Record<string, number>;
}

/** Explicit bucket boundaries of the OTel Python SDK histogram, in the instrument's unit (s). */
const SDK_DEFAULT_BOUNDS_SECONDS = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

if (!HAS_PYTHON3) console.warn(PYTHON3_MISSING_MESSAGE);

describe.skipIf(!HAS_PYTHON3)('OTel Python metrics example over gRPC', () => {
  let server: TestServer;
  let provider: MockProvider;
  let seen: Record<string, ModelTotals>;
  let window: string;

  beforeAll(async () => {
    const python = await ensureOtelVenv('sdk');
    server = await startTestServer();
    provider = await startMockProvider();
    const fromMs = Date.now() - 60_000;
    const report = await runReportScript<{ by_model: Record<string, ModelTotals> }>(
      python,
      'seed_metrics.py',
      ['--otlp-grpc-endpoint', `http://${server.grpcAddress}`, '--provider-url', provider.url],
    );
    seen = report.by_model;
    window = `from=${fromMs}&to=${Date.now() + 60_000}`;
  }, VENV_TIMEOUT_MS);
  afterAll(async () => {
    await provider?.close();
    await server?.stop();
  });

  it('client saw the planned outcomes', () => {
    expect(seen['gpt-4o']!.requests).toBe(3);
    expect(seen['gpt-4o']!.errors).toEqual({ RateLimitError: 1 });
    expect(seen['gpt-4o-mini']!.requests).toBe(2);
    expect(seen['gpt-4o-mini']!.errors).toEqual({ InternalServerError: 1, APITimeoutError: 1 });
    expect(seen['gpt-4o']!.input_tokens).toBeGreaterThan(0);
    expect(seen['gpt-4o']!.output_tokens).toBeGreaterThan(0);
  });

  it('summary by model matches the client', async () => {
    const { status, body } = await server.getJson(`/api/v1/llm/summary?groupBy=model&${window}`);
    expect(status).toBe(200);
    expect(body.source).toBe('metrics');
    const byKey = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
    expect(Object.keys(byKey).sort()).toEqual(['gpt-4o', 'gpt-4o-mini']);

    for (const model of ['gpt-4o', 'gpt-4o-mini'] as const) {
      const group = byKey[model];
      const client = seen[model]!;
      // The example records durations only for successful calls, so Foghorn adds the
      // failures from gen_ai.errors to the requests: every call counts once.
      const failures = Object.values(client.errors).reduce((sum, count) => sum + count);
      expect(group.requests).toBe(client.requests + failures);
      expect(group.errors).toBe(failures);
      expect(group.tokens.input).toBe(client.input_tokens);
      expect(group.tokens.output).toBe(client.output_tokens);
      expect(group.tokens.cachedInput).toBe(0);
      expect(group.costUsd).toBeCloseTo(
        expectedCostUsd(model, {
          inputTokens: client.input_tokens,
          cachedInputTokens: 0,
          outputTokens: client.output_tokens,
        }),
        12,
      );
      expect(group.unpricedRequests).toBe(0);
    }
  });

  it('summary by provider totals both models', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=provider&${window}`);
    expect(body.groups).toHaveLength(1);
    const openai = body.groups[0];
    expect(openai.key).toBe('openai');
    expect(openai.requests).toBe(8);
    expect(openai.errors).toBe(3);
    expect(openai.tokens.input).toBe(
      seen['gpt-4o']!.input_tokens + seen['gpt-4o-mini']!.input_tokens,
    );
  });

  it('reports the SDK default buckets as coarse', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=model&${window}`);
    for (const group of body.groups) {
      expect(group.latencyBucketBoundsMs).toEqual(
        SDK_DEFAULT_BOUNDS_SECONDS.map((seconds) => seconds * 1000),
      );
      expect(group.coarseLatencyBuckets).toBe(true);
    }
  });
});
