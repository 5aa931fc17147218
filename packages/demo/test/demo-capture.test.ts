import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBackfill } from '../src/app/backfill.ts';
import type { DemoStats } from '../src/index.ts';
import { startDemo } from '../src/index.ts';
import type { CaptureServer } from './helpers/otlp-capture-server.ts';
import { startCaptureServer } from './helpers/otlp-capture-server.ts';
import type { DecodedSpan } from './helpers/otlp-protobuf.ts';
import { SPAN_KIND, STATUS_CODE, decodeTraceRequest } from './helpers/otlp-protobuf.ts';

const ERROR_TYPES = [
  'rate_limit',
  'timeout',
  'server_error',
  'client_error',
  'content_filter',
  'authentication',
];

let capture: CaptureServer;
let spans: DecodedSpan[];
let stats: DemoStats;
let demoStartUnixNano: bigint;
const logLines: string[] = [];

beforeAll(async () => {
  capture = await startCaptureServer();
  demoStartUnixNano = BigInt(Date.now()) * 1_000_000n;
  const demo = await startDemo({
    otlpEndpoint: capture.url,
    durationMs: 3_000,
    requestsPerSecond: 4,
    backfillHours: 0.5,
    seed: 1,
    incident: null,
    log: (line) => logLines.push(line),
  });
  await demo.finished;
  await demo.stop();
  stats = demo.stats();
  spans = capture.requests.flatMap((request) => decodeTraceRequest(request.body));
}, 60_000);

afterAll(async () => {
  await capture.close();
});

const byId = (): Map<string, DecodedSpan> => new Map(spans.map((span) => [span.spanId, span]));
const childrenOf = (parent: DecodedSpan): DecodedSpan[] =>
  spans.filter((span) => span.parentSpanId === parent.spanId && span.traceId === parent.traceId);
const operationOf = (span: DecodedSpan): unknown => span.attributes['gen_ai.operation.name'];
const serviceOf = (span: DecodedSpan): unknown => span.resource['service.name'];
const isChatSpan = (span: DecodedSpan): boolean => span.name.startsWith('chat ');

describe('demo against a capture server', () => {
  it('exports every span as OTLP protobuf', () => {
    expect(capture.requests.length).toBeGreaterThan(0);
    expect(
      capture.requests.every((request) => request.contentType === 'application/x-protobuf'),
    ).toBe(true);
    expect(spans.length).toBeGreaterThan(100);
    expect(spans.length).toBe(stats.spansExported);
    expect(stats.spansFailed).toBe(0);
    expect(stats.phase).toBe('stopped');
  });

  it('sends backfill before live traffic', () => {
    const backfillSpans = spans.filter((span) => span.startTimeUnixNano < demoStartUnixNano);
    const liveSpans = spans.filter((span) => span.startTimeUnixNano >= demoStartUnixNano);
    const earliest = backfillSpans.reduce(
      (min, span) => (span.startTimeUnixNano < min ? span.startTimeUnixNano : min),
      demoStartUnixNano,
    );
    expect(backfillSpans.length).toBeGreaterThan(0);
    expect(liveSpans.length).toBeGreaterThan(0);
    expect(demoStartUnixNano - earliest).toBeGreaterThan(5n * 60n * 1_000_000_000n);
    expect(stats.backfillTraces).toBeGreaterThan(0);
    expect(stats.liveTraces).toBeGreaterThan(0);
    expect(logLines.some((line) => line.startsWith('demo: backfill done'))).toBe(true);
  });

  it('sets resource attributes per service', () => {
    const services = new Set(spans.map(serviceOf));
    expect([...services].sort()).toEqual(['batch-summarizer', 'search-api', 'support-web']);
    for (const span of spans) {
      expect(span.resource['deployment.environment.name']).toBe('production');
      expect(typeof span.resource['service.version']).toBe('string');
    }
  });

  it('attributes every span to tenant, feature, user and session', () => {
    for (const span of spans) {
      expect(typeof span.attributes['tenant.id'], span.name).toBe('string');
      expect(typeof span.attributes['feature.name'], span.name).toBe('string');
      expect(typeof span.attributes['user.id'], span.name).toBe('string');
      expect(typeof span.attributes['session.id'], span.name).toBe('string');
    }
    const tenants = new Set(spans.map((span) => span.attributes['tenant.id']));
    expect(tenants.size).toBeGreaterThanOrEqual(4);
  });

  it('nests the RAG pipeline', () => {
    const pipelines = spans.filter((span) => span.name === 'rag.pipeline');
    expect(pipelines.length).toBeGreaterThan(0);
    const complete = pipelines.find((pipeline) => childrenOf(pipeline).length === 3);
    expect(complete).toBeDefined();
    const children = childrenOf(complete!).sort((left, right) =>
      Number(left.startTimeUnixNano - right.startTimeUnixNano),
    );
    expect(children.map(operationOf)).toEqual(['embeddings', 'retrieval', 'chat']);
    expect(children[0]?.name).toBe('embeddings text-embedding-3-small');
    expect(children[0]?.kind).toBe(SPAN_KIND.client);
    expect(children[1]?.attributes['gen_ai.data_source.id']).toBe('help-center-articles');
    expect(children[2]?.kind).toBe(SPAN_KIND.client);
    expect(byId().get(complete!.parentSpanId)?.name).toBe('GET /api/search');
    expect(serviceOf(complete!)).toBe('search-api');
  });

  it('nests agent tool calls under invoke_agent', () => {
    const agents = spans.filter((span) => span.name === 'invoke_agent support-agent');
    expect(agents.length).toBeGreaterThan(0);
    const withTools = agents.find((agent) =>
      childrenOf(agent).some((child) => operationOf(child) === 'execute_tool'),
    );
    expect(withTools).toBeDefined();
    const tool = childrenOf(withTools!).find((child) => operationOf(child) === 'execute_tool')!;
    expect(tool.name).toBe(`execute_tool ${String(tool.attributes['gen_ai.tool.name'])}`);
    expect(withTools!.attributes['gen_ai.agent.name']).toBe('support-agent');
    const chats = childrenOf(withTools!).filter(isChatSpan);
    expect(chats.length).toBeGreaterThanOrEqual(2);
    expect(chats[0]?.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
  });

  it('follows the current GenAI conventions on model calls', () => {
    const chats = spans.filter(
      (span) => isChatSpan(span) && serviceOf(span) !== 'batch-summarizer',
    );
    const succeeded = chats.filter((span) => span.statusCode !== STATUS_CODE.error);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const span of succeeded) {
      expect(span.kind).toBe(SPAN_KIND.client);
      expect(span.name).toBe(`chat ${String(span.attributes['gen_ai.request.model'])}`);
      expect(operationOf(span)).toBe('chat');
      expect(typeof span.attributes['gen_ai.provider.name']).toBe('string');
      expect(typeof span.attributes['gen_ai.response.model']).toBe('string');
      expect(String(span.attributes['gen_ai.response.id'])).toMatch(/^chatcmpl-/);
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(span.endTimeUnixNano).toBeGreaterThan(span.startTimeUnixNano);
    }
    const providers = new Set(chats.map((span) => span.attributes['gen_ai.provider.name']));
    expect(providers).toEqual(new Set(['openai', 'anthropic', 'gcp.gemini']));
  });

  it('records cache, reasoning and streaming details', () => {
    const chats = spans.filter(isChatSpan);
    const cached = chats.filter(
      (span) => Number(span.attributes['gen_ai.usage.cache_read.input_tokens']) > 0,
    );
    expect(cached.length).toBeGreaterThan(0);
    const streamed = chats.filter(
      (span) => span.attributes['gen_ai.response.time_to_first_chunk'] !== undefined,
    );
    expect(streamed.length).toBeGreaterThan(0);
    for (const span of streamed) {
      expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    }
    const reasoning = chats.filter((span) => span.attributes['gen_ai.request.model'] === 'o3-mini');
    for (const span of reasoning.filter((entry) => entry.statusCode !== STATUS_CODE.error)) {
      expect(span.attributes['gen_ai.usage.reasoning.output_tokens']).toBeGreaterThan(0);
    }
  });

  it('uses the legacy attribute names in batch-summarizer', () => {
    const legacy = spans.filter(
      (span) => isChatSpan(span) && serviceOf(span) === 'batch-summarizer',
    );
    expect(legacy.length).toBeGreaterThan(0);
    for (const span of legacy) {
      expect(typeof span.attributes['gen_ai.system']).toBe('string');
      expect(span.attributes['gen_ai.provider.name']).toBeUndefined();
      expect(span.attributes['gen_ai.operation.name']).toBeUndefined();
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    }
    const succeeded = legacy.filter((span) => span.statusCode !== STATUS_CODE.error);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const span of succeeded) {
      expect(span.attributes['gen_ai.usage.prompt_tokens']).toBeGreaterThan(0);
      expect(span.attributes['gen_ai.usage.completion_tokens']).toBeGreaterThan(0);
    }
  });

  it('marks failed calls with status ERROR and error.type', () => {
    const failedCalls = spans.filter(
      (span) => span.kind === SPAN_KIND.client && span.statusCode === STATUS_CODE.error,
    );
    for (const span of failedCalls) {
      expect(ERROR_TYPES).toContain(span.attributes['error.type']);
    }
    const failedTotal = Object.entries(stats.requestsByOutcome)
      .filter(([outcome]) => outcome !== 'ok')
      .reduce((sum, [, count]) => sum + count, 0);
    expect(failedCalls.length).toBe(failedTotal);
    expect(stats.requestsSent).toBe(failedTotal + (stats.requestsByOutcome['ok'] ?? 0));
  });
});

describe('backfill plan', () => {
  it('is the same for the same seed', () => {
    const nowUnixMs = Date.UTC(2026, 0, 15, 12);
    const first = planBackfill(1, 1, nowUnixMs);
    expect(planBackfill(1, 1, nowUnixMs)).toEqual(first);
    expect(planBackfill(2, 1, nowUnixMs)).not.toEqual(first);
    expect(first.length).toBeGreaterThan(300);
  });
});

describe('demo options', () => {
  const valid = {
    otlpEndpoint: 'http://127.0.0.1:1',
    durationMs: null,
    requestsPerSecond: 4,
    backfillHours: 0,
    seed: 1,
    incident: null,
    log: () => {},
  };

  it('rejects an unknown incident', async () => {
    await expect(startDemo({ ...valid, incident: 'meteor' })).rejects.toThrow(
      "demo option incident is 'meteor'; expected one of latency_spike, rate_limit_storm, " +
        'runaway_tenant, quality_drop, silent_service or null.',
    );
  });

  it('rejects a zero request rate', async () => {
    await expect(startDemo({ ...valid, requestsPerSecond: 0 })).rejects.toThrow(
      'demo option requestsPerSecond is 0; expected a number above 0 up to 200.',
    );
  });

  it('rejects an endpoint that is not a URL', async () => {
    await expect(startDemo({ ...valid, otlpEndpoint: '127.0.0.1:4318' })).rejects.toThrow(
      "demo option otlpEndpoint is '127.0.0.1:4318'; expected an http or https base URL such as http://127.0.0.1:4318.",
    );
  });
});
