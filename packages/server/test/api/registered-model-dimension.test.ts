import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, context, trace, type Tracer } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { mlflowHttp, type MlflowHttp } from '../tracking/mlflow-http.ts';

const MODEL = 'iris-classifier';
/** Ten minutes ago, on a whole minute, so the window is inside the retention period. */
const START_MS = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const WINDOW = `from=${START_MS - 60_000}&to=${START_MS + 20 * 60_000}`;

/** One request per call: its registered version, duration and evaluation score. */
const CALLS = [
  { version: 1, durationMs: 100, score: 0.6 },
  { version: 1, durationMs: 300, score: 0.8 },
  { version: 1, durationMs: 200, score: 0.7 },
  { version: 2, durationMs: 600, score: 1.0 },
  { version: 2, durationMs: 400, score: 0.9 },
  { version: null, durationMs: 50, score: 0.1 },
];
/** gpt-4o at $2.50 per million input and $10 per million output tokens: 1000 in, 100 out. */
const CALL_COST_USD = 0.0035;

let server: TestServer;
let mlflow: MlflowHttp;

async function registerVersions(): Promise<void> {
  const run = await mlflow.post('/runs/create', { experiment_id: '0', run_name: 'train' });
  const runId = run.body.run.info.run_id as string;
  await mlflow.post('/registered-models/create', { name: MODEL });
  for (const stage of ['Staging', 'Production']) {
    const created = await mlflow.post('/model-versions/create', {
      name: MODEL,
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    const version = created.body.model_version.version as string;
    await mlflow.post('/model-versions/transition-stage', {
      name: MODEL,
      version,
      stage,
      archive_existing_versions: false,
    });
  }
  await mlflow.post('/registered-models/alias', { name: MODEL, alias: 'champion', version: '2' });
}

/** Emits a request root with the registered model, around one chat call that does not repeat it. */
function emitCall(tracer: Tracer, call: (typeof CALLS)[number], startMs: number): void {
  const registered =
    call.version === null
      ? {}
      : {
          'foghorn.registered_model.name': MODEL,
          'foghorn.registered_model.version': call.version,
        };
  const root = tracer.startSpan('predict', { startTime: startMs, attributes: registered });
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: startMs + 1,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
      },
    },
    trace.setSpan(context.active(), root),
  );
  chat.addEvent(
    'gen_ai.evaluation.result',
    { 'gen_ai.evaluation.name': 'accuracy', 'gen_ai.evaluation.score.value': call.score },
    startMs + call.durationMs + 2,
  );
  chat.end(startMs + 1 + call.durationMs);
  root.end(startMs + call.durationMs + 5);
}

async function sendTraffic(): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'iris-api' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.otlpUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('registered-model-test');
  CALLS.forEach((call, index) => emitCall(tracer, call, START_MS + index * 1000));
  await provider.forceFlush();
  await provider.shutdown();
}

/** Sends GenAI duration metrics for gpt-4o, which carry no registered model. */
async function sendMetrics(): Promise<void> {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${server.otlpUrl}/v1/metrics` }),
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'iris-metrics' }),
    readers: [reader],
  });
  const duration = provider
    .getMeter('registered-model-test')
    .createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  for (const seconds of [0.2, 0.4]) {
    duration.record(seconds, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    });
  }
  await reader.forceFlush();
  await provider.shutdown();
}

function byKey(groups: any[]): Record<string, any> {
  return Object.fromEntries(groups.map((group) => [String(group.key), group]));
}

beforeAll(async () => {
  server = await startTestServer();
  mlflow = mlflowHttp(server.url);
  await registerVersions();
  await sendTraffic();
  await sendMetrics();
});

afterAll(async () => {
  await server.stop();
});

describe('registered model dimension', () => {
  it('summary splits calls by version', async () => {
    const { status, body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=registeredModel&${WINDOW}`,
    );
    expect(status).toBe(200);
    expect(body.source).toBe('spans');
    const groups = byKey(body.groups);
    expect(Object.keys(groups).sort()).toEqual([`${MODEL}/1`, `${MODEL}/2`, 'null']);

    const staging = groups[`${MODEL}/1`];
    expect(staging.requests).toBe(3);
    expect(staging.latencyMs.p50).toBe(200);
    expect(staging.costUsd).toBeCloseTo(3 * CALL_COST_USD, 12);

    const production = groups[`${MODEL}/2`];
    expect(production.requests).toBe(2);
    expect(production.latencyMs.p50).toBe(500);
    expect(production.costUsd).toBeCloseTo(2 * CALL_COST_USD, 12);

    expect(groups.null.requests).toBe(1);
  });

  it('summary labels groups with stage and aliases', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=registeredModel&${WINDOW}`);
    const groups = byKey(body.groups);
    expect(groups[`${MODEL}/1`].registry).toEqual({ stage: 'Staging', aliases: [] });
    expect(groups[`${MODEL}/2`].registry).toEqual({ stage: 'Production', aliases: ['champion'] });
    expect(groups.null.registry).toBeNull();
  });

  it('summary by model omits registry labels', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=model&${WINDOW}`);
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0].registry).toBeUndefined();
  });

  it('filter narrows summary and traces', async () => {
    const filter = `registeredModel=${encodeURIComponent(`${MODEL}/2`)}`;
    const summary = await server.getJson(`/api/v1/llm/summary?groupBy=model&${filter}&${WINDOW}`);
    expect(summary.body.groups).toHaveLength(1);
    expect(summary.body.groups[0].requests).toBe(2);

    const traces = await server.getJson(`/api/v1/traces?${filter}&${WINDOW}`);
    expect(traces.status).toBe(200);
    expect(traces.body.traces).toHaveLength(2);
  });

  it('timeseries carries stage labels', async () => {
    const { status, body } = await server.getJson(
      `/api/v1/llm/timeseries?groupBy=registeredModel&stepMs=60000&${WINDOW}`,
    );
    expect(status).toBe(200);
    const series = byKey(body.series);
    expect(series[`${MODEL}/1`].registry.stage).toBe('Staging');
    const requests = series[`${MODEL}/2`].points.reduce(
      (sum: number, point: any) => sum + point.requests,
      0,
    );
    expect(requests).toBe(2);
  });

  it('score means split by version', async () => {
    const { status, body } = await server.getJson(
      `/api/v1/scores/summary?name=accuracy&groupBy=registeredModel&${WINDOW}`,
    );
    expect(status).toBe(200);
    const groups = byKey(body.groups);
    expect(groups[`${MODEL}/1`].count).toBe(3);
    expect(groups[`${MODEL}/1`].mean).toBeCloseTo(0.7, 10);
    expect(groups[`${MODEL}/2`].count).toBe(2);
    expect(groups[`${MODEL}/2`].mean).toBeCloseTo(0.95, 10);
    expect(groups.null.mean).toBeCloseTo(0.1, 10);
  });

  it('dimensions list the versions', async () => {
    const { body } = await server.getJson(`/api/v1/llm/dimensions?${WINDOW}`);
    expect(body.registeredModels).toEqual([`${MODEL}/1`, `${MODEL}/2`]);
  });

  it('metrics fallback matches no version', async () => {
    // The metrics service has no spans, so its summary falls back to the metrics.
    const unregistered = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&model=gpt-4o&service=iris-metrics&${WINDOW}`,
    );
    expect(unregistered.body.source).toBe('metrics');
    expect(unregistered.body.groups[0].requests).toBe(2);

    const filter = `registeredModel=${encodeURIComponent(`${MODEL}/2`)}`;
    const { status, body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=registeredModel&service=iris-metrics&${filter}&${WINDOW}`,
    );
    expect(status).toBe(200);
    expect(body.groups).toEqual([]);
  });
});
