import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, credentials, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs';
import { startFoghornWith } from '../exports/foghorn-under-test.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const START_MS = Date.UTC(2026, 10, 3, 9, 0, 0);

describe('OTLP/gRPC receiver', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('stores spans from the OTel JS gRPC exporter', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-test' }),
      spanProcessors: [
        new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://${server.grpcAddress}` })),
      ],
    });
    const tracer = provider.getTracer('grpc-test');
    for (let i = 0; i < 3; i++) {
      const span = tracer.startSpan('chat claude-3-5-haiku', {
        kind: SpanKind.CLIENT,
        startTime: START_MS + i * 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-3-5-haiku-20241022',
          'gen_ai.usage.input_tokens': 2000,
          'gen_ai.usage.cache_read.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 500,
        },
      });
      span.end(START_MS + i * 1000 + 800);
    }
    await provider.forceFlush();
    await provider.shutdown();

    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=provider&from=${START_MS - 1000}&to=${START_MS + 10_000}`,
    );
    expect(body.groups).toHaveLength(1);
    const group = body.groups[0];
    expect(group.key).toBe('anthropic');
    expect(group.requests).toBe(3);
    expect(group.tokens.input).toBe(6000);
    expect(group.tokens.cachedInput).toBe(3000);
    // Per call: 1000 uncached x $0.80/M + 1000 cache reads x $0.08/M + 500 output x $4/M = $0.00288.
    expect(group.costUsd).toBeCloseTo(0.00864, 12);
  });

  it('answers malformed protobuf with INVALID_ARGUMENT and keeps serving', async () => {
    const client = new Client(server.grpcAddress, credentials.createInsecure());
    const error = await new Promise<any>((resolve) => {
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (value: Buffer) => value,
        (value: Buffer) => value,
        Buffer.from([0x0a, 0xff, 0xff, 0xff]),
        (err) => resolve(err),
      );
    });
    client.close();
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.details).toMatch(/protobuf/i);
    expect((await server.getJson('/healthz')).body).toEqual({ status: 'ok' });
  });
});

/** The messages of the gRPC error model that carry a retry delay, with their published field numbers. */
const RPC_TYPES = protobuf.Root.fromJSON({
  nested: {
    Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
    RetryInfo: { fields: { retryDelay: { type: 'Duration', id: 1 } } },
    Any: { fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
    Status: {
      fields: {
        code: { type: 'int32', id: 1 },
        message: { type: 'string', id: 2 },
        details: { rule: 'repeated', type: 'Any', id: 3 },
      },
    },
  },
});

function decode(type: string, bytes: Uint8Array): any {
  return RPC_TYPES.lookupType(type).toObject(RPC_TYPES.lookupType(type).decode(bytes), {
    longs: Number,
  });
}

/**
 * Serializes `count` SDK spans with `attributes` as the OTel JS gRPC exporter would send them,
 * and returns the ids of the first.
 */
function sdkExport(
  count: number,
  attributes: Attributes = {},
): { body: Buffer; traceId: string; spanId: string } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('grpc-test');
  for (let i = 0; i < count; i++) tracer.startSpan('chat gpt-4o', { attributes }).end();
  const spans = exporter.getFinishedSpans();
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (body === undefined) throw new Error('serializer returned no body');
  return { body: Buffer.from(body), ...spans[0]!.spanContext() };
}

function exportBody(count: number): Buffer {
  return sdkExport(count).body;
}

function exportCall(address: string, body: Buffer): Promise<ServiceError | null> {
  return exportReply(address, body).then(({ error }) => error);
}

function exportReply(
  address: string,
  body: Buffer,
): Promise<{ error: ServiceError | null; reply: Buffer | undefined }> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (value: Buffer) => value,
      (value: Buffer) => value,
      body,
      (error, reply) => {
        client.close();
        resolve({ error, reply });
      },
    );
  });
}

describe('OTLP/gRPC receiver with a full write queue', () => {
  it('sends the retry delay as RetryInfo', async () => {
    const handle = await startFoghornWith({ maxQueuedSpans: 10 });
    let releaseLoader!: () => void;
    const loaderBlocked = new Promise<void>((resolve) => (releaseLoader = resolve));
    interceptDuckDbRun(handle.store, 'writer', async (sql, run) => {
      if (sql === 'BEGIN TRANSACTION') await loaderBlocked;
      return run();
    });
    try {
      // The loader waits, so the first call's 8 spans stay queued and the second finds the queue full.
      expect(await exportCall(handle.grpcAddress, exportBody(8))).toBeNull();
      const error = await exportCall(handle.grpcAddress, exportBody(8));

      expect(error?.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(error?.details).toBe(
        'the write queue is full (8 spans waiting, limit 10); retry after 1 s',
      );
      const [retryInfo] = error!.metadata.get('google.rpc.retryinfo-bin');
      expect(decode('RetryInfo', retryInfo as Buffer)).toEqual({ retryDelay: { seconds: 1 } });
      const [status] = error!.metadata.get('grpc-status-details-bin');
      const decoded = decode('Status', status as Buffer);
      expect(decoded.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(decoded.message).toBe(error?.details);
      expect(decoded.details).toHaveLength(1);
      expect(decoded.details[0].typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
      expect(decode('RetryInfo', decoded.details[0].value)).toEqual({
        retryDelay: { seconds: 1 },
      });
    } finally {
      releaseLoader();
      await handle.stop();
    }
  });
});

describe('OTLP/gRPC receiver with an unread token count', () => {
  it('replies and logs a warning', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()).msg);
        done();
      },
    });
    const handle = await startFoghornWith({ logger: pino({ level: 'warn' }, sink) });
    try {
      const { body, traceId, spanId } = sdkExport(1, {
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 'many',
      });

      const { error, reply } = await exportReply(handle.grpcAddress, body);

      expect(error).toBeNull();
      const warning = `span ${spanId} of trace ${traceId}: gen_ai.usage.input_tokens "many" is not a token count, so the span counts no tokens from it; send a non-negative integer`;
      const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(reply!));
      expect(decoded.partialSuccess?.errorMessage).toBe(warning);
      expect(lines).toContain(`traces request kept with a warning: ${warning}`);
    } finally {
      await handle.stop();
    }
  });
});
