import { Metadata } from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, login, startAuthServer, type AuthServer } from './auth-server.ts';

const END_MS = Date.now() - 60_000;

/** Sends one chat call through the real OTel JS SDK and exporter, with or without a tenant. */
async function sendCall(exporter: SpanExporter, tenant: string | null): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'key-attribution-test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const span = provider.getTracer('key-attribution-test').startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    startTime: END_MS - 500,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
      ...(tenant === null ? {} : { 'tenant.id': tenant }),
    },
  });
  span.end(END_MS);
  await provider.shutdown();
}

describe('attribution from the ingest key', () => {
  let server: AuthServer;
  let ingestKey: string;
  let adminToken: string;

  beforeAll(async () => {
    server = await startAuthServer({ ingestBurst: 1000 });
    const admin = await login(server.url, 'admin', ADMIN_PASSWORD);
    const created = await call(server.url, 'POST', '/api/v1/auth/keys', admin, {
      name: 'acme-app',
      attribution: { tenant: 'acme', environment: 'production' },
    });
    expect(created.status).toBe(201);
    ingestKey = created.body.key;
    const token = await call(server.url, 'POST', '/api/v1/auth/tokens', admin, { name: 'test' });
    adminToken = token.body.token;

    const headers = { authorization: `Bearer ${ingestKey}` };
    await sendCall(new ProtoTraceExporter({ url: `${server.otlpUrl}/v1/traces`, headers }), null);
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${ingestKey}`);
    const grpcUrl = `http://${server.grpcAddress}`;
    await sendCall(new GrpcTraceExporter({ url: grpcUrl, metadata }), null);
    await sendCall(
      new ProtoTraceExporter({ url: `${server.otlpUrl}/v1/traces`, headers }),
      'globex',
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  const summary = async (groupBy: string): Promise<Record<string, number>> => {
    const window = `from=${END_MS - 600_000}&to=${END_MS + 60_000}`;
    const response = await call(
      server.url,
      'GET',
      `/api/v1/llm/summary?groupBy=${groupBy}&${window}`,
      adminToken,
    );
    expect(response.status).toBe(200);
    return Object.fromEntries(
      response.body.groups.map((group: { key: string; requests: number }) => [
        group.key,
        group.requests,
      ]),
    );
  };

  it('shows the key in the list with its attribution', async () => {
    const listed = await call(server.url, 'GET', '/api/v1/auth/keys', adminToken);
    expect(listed.body.keys[0].attribution).toEqual({ tenant: 'acme', environment: 'production' });
  });

  it('gives spans without a tenant the key tenant', async () => {
    expect(await summary('tenant')).toEqual({ acme: 2, globex: 1 });
  });

  it('fills the environment the spans lack', async () => {
    const response = await call(
      server.url,
      'GET',
      `/api/v1/llm/dimensions?from=${END_MS - 600_000}&to=${END_MS + 60_000}`,
      adminToken,
    );
    expect(response.body.environments).toEqual(['production']);
  });

  it('rejects an empty tenant with a message', async () => {
    const response = await call(server.url, 'POST', '/api/v1/auth/keys', adminToken, {
      name: 'bad',
      attribution: { tenant: '' },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('tenant');
  });
});
