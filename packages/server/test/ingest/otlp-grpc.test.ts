import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, credentials, status as GrpcStatus } from '@grpc/grpc-js';
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
