import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnFoghornUp, type SpawnedFoghorn } from '../helpers/spawn-foghorn.ts';

const START_MS = Date.now() - 10 * 60_000;
let dataDir: string;
let foghorn: SpawnedFoghorn;
let traceId: string;

/** Sends one agent span with two chat calls; SimpleSpanProcessor exports the calls before their root. */
async function sendTrace(otlpUrl: string): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'chdb-app' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('foghorn-test');
  const agent = tracer.startSpan('invoke_agent helper', {
    kind: SpanKind.INTERNAL,
    startTime: START_MS,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'tenant.id': 'acme' },
  });
  const agentContext = trace.setSpan(context.active(), agent);
  for (let i = 0; i < 2; i++) {
    const call = tracer.startSpan(
      'chat gpt-4o',
      {
        kind: SpanKind.CLIENT,
        startTime: START_MS + 10 + i * 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 300,
        },
      },
      agentContext,
    );
    call.end(START_MS + 10 + i * 1000 + 400);
  }
  agent.end(START_MS + 2000);
  await provider.forceFlush();
  await provider.shutdown();
  return agent.spanContext().traceId;
}

async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return response.json();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'foghorn-up-chdb-'));
  foghorn = await spawnFoghornUp(dataDir, { args: ['--store', `chdb://${join(dataDir, 'ch')}`] });
  traceId = await sendTrace(foghorn.otlpUrl);
}, 120_000);

afterAll(async () => {
  await foghorn?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('foghorn up on chdb', () => {
  it('summarizes calls with the tenant of their late root', async () => {
    const window = `from=${START_MS - 60_000}&to=${START_MS + 60_000}`;
    const summary = await getJson(`${foghorn.url}/api/v1/llm/summary?${window}&groupBy=tenant`);
    expect(summary.groups).toHaveLength(1);
    const group = summary.groups[0];
    expect(group.key).toBe('acme');
    expect(group.requests).toBe(2);
    expect(group.errors).toBe(0);
    expect(group.tokens.input).toBe(2000);
    expect(group.tokens.output).toBe(600);
    expect(group.latencyMs.p50).toBe(400);
  });

  it('returns the trace with every span', async () => {
    const body = await getJson(`${foghorn.url}/api/v1/traces/${traceId}`);
    expect(body.traceId).toBe(traceId);
    const names = body.spans.map((span: any) => span.name);
    expect(names).toEqual(['invoke_agent helper', 'chat gpt-4o', 'chat gpt-4o']);
    const tenants = body.spans.map((span: any) => span.tenant);
    expect(tenants).toEqual(['acme', 'acme', 'acme']);
    expect(body.spans[1].startTimeUnixNano).toBe(`${BigInt(START_MS + 10) * 1_000_000n}`);
  });

  it('stores a posted score in the DuckDB file', async () => {
    const response = await fetch(`${foghorn.url}/api/v1/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        traceId,
        name: 'helpfulness',
        value: 0.75,
        timestamp: START_MS + 3000,
      }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { ids: string[] };
    expect(created.ids).toHaveLength(1);
    const window = `from=${START_MS - 60_000}&to=${START_MS + 60_000}`;
    const summary = await getJson(
      `${foghorn.url}/api/v1/scores/summary?${window}&name=helpfulness`,
    );
    expect(summary.groups).toHaveLength(1);
    expect(summary.groups[0].count).toBe(1);
    expect(summary.groups[0].mean).toBe(0.75);
  });

  it('lists the default alarm rules and takes the jobs lease', async () => {
    const body = await getJson(`${foghorn.url}/api/v1/alerts/rules`);
    expect(body.rules.length).toBeGreaterThan(0);
    expect(body.problems).toEqual([]);
    expect(foghorn.stderr()).toContain('leader lease acquired');
  });

  it('has no set-aside ingest batches', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/ingest-log/set-aside'],
      ['POST', '/api/v1/ingest-log/set-aside/retry'],
    ] as const) {
      const response = await fetch(`${foghorn.url}${path}`, { method });
      expect(response.status, path).toBe(404);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain('only the embedded DuckDB store sets batches aside');
    }
  });
});
