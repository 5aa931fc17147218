import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { expectedCostUsd } from './expected-cost.ts';
import {
  HAS_PYTHON3,
  PYTHON3_MISSING_MESSAGE,
  VENV_TIMEOUT_MS,
  ensureOtelVenv,
  runReportScript,
} from './python-otel.ts';

const START_MS = Date.UTC(2026, 10, 2, 12, 0, 0);
const WINDOW = `from=${START_MS - 60_000}&to=${START_MS + 60_000}`;

if (!HAS_PYTHON3) console.warn(PYTHON3_MISSING_MESSAGE);

/** The collector endpoint an application would set in OTEL_EXPORTER_OTLP_ENDPOINT. */
const ENDPOINTS: Record<string, (server: TestServer) => string> = {
  grpc: (server) => `http://${server.grpcAddress}`,
  'http/protobuf': (server) => server.otlpUrl,
};

describe.skipIf(!HAS_PYTHON3).each(Object.keys(ENDPOINTS))(
  'OTel Python SDK export over %s',
  (protocol) => {
    let server: TestServer;
    let agentTraceId: string;

    beforeAll(async () => {
      const python = await ensureOtelVenv('sdk');
      server = await startTestServer();
      const report = await runReportScript<{ agent_trace_id: string }>(
        python,
        'sdk_genai_spans.py',
        ['--start-ms', String(START_MS)],
        {
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINTS[protocol]!(server),
          OTEL_SERVICE_NAME: `python-sdk-${protocol}`,
        },
      );
      agentTraceId = report.agent_trace_id;
    }, VENV_TIMEOUT_MS);
    afterAll(async () => {
      await server?.stop();
    });

    it('summary by model has exact tokens and cost', async () => {
      const { status, body } = await server.getJson(`/api/v1/llm/summary?groupBy=model&${WINDOW}`);
      expect(status).toBe(200);
      const byKey = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
      expect(Object.keys(byKey).sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'house-model-7b']);

      const gpt4o = byKey['gpt-4o'];
      expect(gpt4o.requests).toBe(2);
      expect(gpt4o.errors).toBe(0);
      expect(gpt4o.tokens).toEqual({
        input: 2000,
        output: 600,
        cachedInput: 400,
        cacheWrite: 0,
        reasoning: 0,
      });
      expect(gpt4o.costUsd).toBeCloseTo(
        expectedCostUsd('gpt-4o', { inputTokens: 2000, cachedInputTokens: 400, outputTokens: 600 }),
        12,
      );
      expect(gpt4o.unpricedRequests).toBe(0);
      // Calls of 400 ms and 600 ms, from the fixed span timestamps.
      expect(gpt4o.latencyMs.p50).toBeCloseTo(500, 6);

      // The legacy-named call and the failed call.
      const mini = byKey['gpt-4o-mini'];
      expect(mini.requests).toBe(2);
      expect(mini.errors).toBe(1);
      expect(mini.tokens.input).toBe(500);
      expect(mini.tokens.output).toBe(100);
      expect(mini.costUsd).toBeCloseTo(
        expectedCostUsd('gpt-4o-mini', {
          inputTokens: 500,
          cachedInputTokens: 0,
          outputTokens: 100,
        }),
        12,
      );

      const house = byKey['house-model-7b'];
      expect(house.requests).toBe(1);
      expect(house.costUsd).toBeNull();
      expect(house.unpricedRequests).toBe(1);
    });

    it('summary by provider reads gen_ai.system', async () => {
      const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=provider&${WINDOW}`);
      const requests = Object.fromEntries(
        body.groups.map((group: any) => [String(group.key), group.requests]),
      );
      expect(requests).toEqual({ openai: 4, self_hosted: 1 });
    });

    it('summary by error type classifies the exception', async () => {
      const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=errorType&${WINDOW}`);
      const requests = Object.fromEntries(
        body.groups.map((group: any) => [String(group.key), group.requests]),
      );
      expect(requests).toEqual({ rate_limit: 1, null: 4 });
    });

    it('summary by tenant inherits from the agent', async () => {
      const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=tenant&${WINDOW}`);
      const requests = Object.fromEntries(
        body.groups.map((group: any) => [String(group.key), group.requests]),
      );
      expect(requests).toEqual({ acme: 2, globex: 2, null: 1 });
    });

    it('trace endpoint returns the agent run', async () => {
      const { status, body } = await server.getJson(`/api/v1/traces/${agentTraceId}`);
      expect(status).toBe(200);
      expect(body.spans.map((span: any) => span.name)).toEqual([
        'invoke_agent planner',
        'chat gpt-4o',
        'chat gpt-4o',
      ]);
      const [agent, call] = body.spans;
      expect(agent.isLlmCall).toBe(false);
      expect(agent.usage.inputTokens).toBe(0);
      expect(call.parentSpanId).toBe(agent.spanId);
      expect(call.isLlmCall).toBe(true);
      expect(call.serviceName).toBe(`python-sdk-${protocol}`);
      expect(call.responseModel).toBe('gpt-4o-2024-08-06');
      expect(call.cost.priceModel).toBe('openai/gpt-4o');
      expect(call.startTimeUnixNano).toBe(`${BigInt(START_MS + 10) * 1_000_000n}`);
      expect(call.durationMs).toBe(400);
    });
  },
);
