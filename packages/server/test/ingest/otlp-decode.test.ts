import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  SimpleSpanProcessor,
  type IdGenerator,
} from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequestJson, decodeTraceRequestProtobuf } from '../../src/ingest/otlp/index.ts';
import type { OtlpSpan, OtlpTraceRequest } from '../../src/ingest/otlp/otlp-model.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_IDS = [
  'eee19b7ec3c1b174',
  '0123456789abcdef',
  '1111111111111111',
  '2222222222222222',
  '3333333333333333',
];
const LINKED_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const LINKED_SPAN_ID = 'b7ad6b7169203331';
/** 2026-09-07T10:01:14.027616123Z as an OTel HrTime. */
const START_TIME: [number, number] = [1788775274, 27616123];
const START_NANOS = 1788775274027616123n;

/** Returns fixed ids so decoded spans can be compared exactly. */
function sequentialIds(): IdGenerator {
  let next = 0;
  return {
    generateTraceId: () => TRACE_ID,
    generateSpanId: () => SPAN_IDS[next++ % SPAN_IDS.length]!,
  };
}

interface CaptureServer {
  url: string;
  bodies: Map<string, Buffer[]>;
  close(): Promise<void>;
}

/** Accepts every POST on 127.0.0.1 and keeps the bodies by path, responding 200 with an empty body. */
async function startCaptureServer(): Promise<CaptureServer> {
  const bodies = new Map<string, Buffer[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      bodies.set(path, [...(bodies.get(path) ?? []), Buffer.concat(chunks)]);
      response.writeHead(200, {
        'content-type': request.headers['content-type'] ?? 'application/json',
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Records a chat call with every attribute type, an event, a link and an error, plus one child per span kind. */
async function recordSpans(captureUrl: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'decode-test', 'service.instance.id': 7 }),
    idGenerator: sequentialIds(),
    spanProcessors: [
      new SimpleSpanProcessor(new ProtobufTraceExporter({ url: `${captureUrl}/protobuf` })),
      new SimpleSpanProcessor(new JsonTraceExporter({ url: `${captureUrl}/json` })),
    ],
  });
  const tracer = provider.getTracer('decode-test-scope', '1.2.3');

  const chat = tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    startTime: START_TIME,
    attributes: {
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 412,
      'gen_ai.request.temperature': 0.7,
      'gen_ai.is_streaming': false,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'test.int_array': [1, -2, 3],
      'test.double_array': [0.5, 1.25],
      'test.bool_array': [true, false],
      'test.big_int': 2 ** 60,
      'test.negative_int': -42,
      'test.unicode': 'héllo → 日本 🚀',
      'test.empty': '',
    },
    links: [
      {
        context: {
          traceId: LINKED_TRACE_ID,
          spanId: LINKED_SPAN_ID,
          traceFlags: TraceFlags.SAMPLED,
        },
        attributes: { 'link.reason': 'retry' },
      },
    ],
  });
  chat.addEvent('gen_ai.choice', { index: 0, 'finish.reason': 'stop' }, [1788775274, 500]);
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });

  const parentContext = trace.setSpan(context.active(), chat);
  const kinds = [SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.INTERNAL];
  kinds.forEach((kind, index) => {
    const child = tracer.startSpan(
      `child ${index}`,
      { kind, startTime: START_TIME },
      parentContext,
    );
    child.setStatus({ code: SpanStatusCode.OK });
    child.end([1788775274, 100_000_000 + index]);
  });
  chat.end([1788775275, 0]);

  await provider.forceFlush();
  await provider.shutdown();
}

function allSpans(request: OtlpTraceRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((resource) =>
    resource.scopeSpans.flatMap((scope) => scope.spans),
  );
}

function spanNamed(requests: OtlpTraceRequest[], name: string): OtlpSpan {
  const span = requests.flatMap(allSpans).find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span named ${name}`);
  return span;
}

describe('trace decoders on OTel JS SDK exports', () => {
  let capture: CaptureServer;
  const decoded: Record<'protobuf' | 'json', OtlpTraceRequest[]> = { protobuf: [], json: [] };

  beforeAll(async () => {
    capture = await startCaptureServer();
    await recordSpans(capture.url);
    for (const body of capture.bodies.get('/protobuf') ?? []) {
      const result = decodeTraceRequestProtobuf(new Uint8Array(body));
      expect(result.rejectedSpans).toBe(0);
      decoded.protobuf.push(result.request);
    }
    for (const body of capture.bodies.get('/json') ?? []) {
      const result = decodeTraceRequestJson(body.toString('utf8'));
      expect(result.rejectedSpans).toBe(0);
      decoded.json.push(result.request);
    }
  });

  afterAll(async () => {
    await capture?.close();
  });

  it('receives five spans in each encoding', () => {
    expect(decoded.protobuf.flatMap(allSpans)).toHaveLength(5);
    expect(decoded.json.flatMap(allSpans)).toHaveLength(5);
  });

  it.each(['protobuf', 'json'] as const)('%s: resource and scope', (encoding) => {
    const resourceSpans = decoded[encoding][0]!.resourceSpans[0]!;
    expect(resourceSpans.resource).toEqual({
      'service.name': 'decode-test',
      'service.instance.id': 7,
    });
    expect(resourceSpans.scopeSpans[0]!.scope).toEqual({
      name: 'decode-test-scope',
      version: '1.2.3',
      attributes: {},
    });
  });

  it.each(['protobuf', 'json'] as const)('%s: client span values', (encoding) => {
    const span = spanNamed(decoded[encoding], 'chat gpt-4o-mini');
    expect(span.traceId).toBe(TRACE_ID);
    expect(span.spanId).toBe(SPAN_IDS[0]);
    expect(span.parentSpanId).toBe('');
    expect(span.kind).toBe(3);
    expect(span.startTimeUnixNano).toBe(START_NANOS);
    expect(span.endTimeUnixNano).toBe(1788775275000000000n);
    expect(span.status).toEqual({ code: 2, message: 'rate limited' });
    expect(span.flags & 0xff).toBe(1);
    expect(span.attributes).toEqual({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 412,
      'gen_ai.request.temperature': 0.7,
      'gen_ai.is_streaming': false,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'test.int_array': [1, -2, 3],
      'test.double_array': [0.5, 1.25],
      'test.bool_array': [true, false],
      'test.big_int': '1152921504606846976',
      'test.negative_int': -42,
      'test.unicode': 'héllo → 日本 🚀',
      'test.empty': '',
    });
  });

  it.each(['protobuf', 'json'] as const)('%s: event and link', (encoding) => {
    const span = spanNamed(decoded[encoding], 'chat gpt-4o-mini');
    expect(span.events).toEqual([
      {
        timeUnixNano: 1788775274000000500n,
        name: 'gen_ai.choice',
        attributes: { index: 0, 'finish.reason': 'stop' },
      },
    ]);
    expect(span.links).toEqual([
      { traceId: LINKED_TRACE_ID, spanId: LINKED_SPAN_ID, attributes: { 'link.reason': 'retry' } },
    ]);
    expect(span.droppedLinksCount).toBe(0);
  });

  it.each(['protobuf', 'json'] as const)('%s: child span kinds and parent', (encoding) => {
    const expectedKinds = [2, 4, 5, 1];
    expectedKinds.forEach((kind, index) => {
      const child = spanNamed(decoded[encoding], `child ${index}`);
      expect(child.kind).toBe(kind);
      expect(child.parentSpanId).toBe(SPAN_IDS[0]);
      expect(child.spanId).toBe(SPAN_IDS[index + 1]);
      expect(child.endTimeUnixNano).toBe(1788775274100000000n + BigInt(index));
      expect(child.status).toEqual({ code: 1, message: '' });
    });
  });

  it('protobuf and JSON decode to equal requests', () => {
    const byName = (requests: OtlpTraceRequest[]): OtlpSpan[] =>
      requests.flatMap(allSpans).sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(decoded.json)).toEqual(byName(decoded.protobuf));
  });
});
