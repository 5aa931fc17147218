import { request } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const START_NS = `${BigInt(Date.UTC(2026, 10, 25, 9, 0, 0)) * 1_000_000n}`;

function spanJson(spanId: string, attributes: unknown[]): unknown {
  return {
    traceId: '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a',
    spanId,
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: START_NS,
    endTimeUnixNano: START_NS,
    attributes,
  };
}

function requestJson(spans: unknown[]): string {
  return JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans }] }] });
}

/** Builds an SDK export of three chat spans, whose output token counts are -5, "many" and 7. */
function sdkBodyWithBadCounts(): { body: Uint8Array; traceIds: string[]; spanIds: string[] } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('usage-check');
  for (const outputTokens of [-5, 'many', 7]) {
    const span = tracer.startSpan('chat gpt-4o', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': outputTokens,
      },
    });
    span.end();
  }
  const spans = exporter.getFinishedSpans();
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (body === undefined) throw new Error('serializer returned no body');
  return {
    body,
    traceIds: spans.map((span) => span.spanContext().traceId),
    spanIds: spans.map((span) => span.spanContext().spanId),
  };
}

/** Posts with node:http so a body the server refuses early does not break the client. */
function postRaw(
  url: string,
  body: Buffer,
  contentType: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('OTLP/HTTP hostile input', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('a 100 MB body gets 413 and the server keeps serving', async () => {
    const body = Buffer.alloc(100 * 1024 * 1024, 0x20);
    const result = await postRaw(`${server.otlpUrl}/v1/traces`, body, 'application/json');
    expect(result.status).toBe(413);
    const status = JSON.parse(result.text);
    expect(status.code).toBe(8);
    expect(status.message).toBe(
      'the request body exceeds the limit of 8388608 bytes; send smaller batches or raise --max-body-bytes',
    );
    expect((await server.getJson('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('oversized protobuf gets protobuf 413', async () => {
    const body = Buffer.alloc(9 * 1024 * 1024, 0x20);
    const result = await postRaw(`${server.otlpUrl}/v1/logs`, body, 'application/x-protobuf');
    expect(result.status).toBe(413);
    // google.rpc.Status: field 1 (code) = 8, then field 2 (message).
    expect(result.text.slice(0, 2)).toBe('\u0008\u0008');
    expect(result.text).toContain('exceeds the limit of 8388608 bytes');
  });

  it('JSON nested 100,000 levels deep gets 400', async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const result = await postRaw(
      `${server.otlpUrl}/v1/traces`,
      Buffer.from(deep),
      'application/json',
    );
    expect(result.status).toBe(400);
    expect(JSON.parse(result.text).message).toMatch(/resourceSpans|nest|deep/i);
  });

  it('invalid UTF-8 in a protobuf string gets 400 naming the field', async () => {
    // ExportTraceServiceRequest { resource_spans { scope_spans { spans { name: 0xff 0xfe } } } }
    const name = [0x2a, 0x02, 0xff, 0xfe];
    const span = [0x12, name.length, ...name];
    const scopeSpans = [0x12, span.length, ...span];
    const resourceSpans = [0x0a, scopeSpans.length, ...scopeSpans];
    const result = await postRaw(
      `${server.otlpUrl}/v1/traces`,
      Buffer.from(resourceSpans),
      'application/x-protobuf',
    );
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/UTF-8/);
  });

  it('a span with a million attributes is stored with a bounded attribute set', async () => {
    const attributes: unknown[] = [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: 42 } },
    ];
    for (let i = 0; i < 1_000_000; i++) attributes.push({ key: `k${i}`, value: { intValue: i } });
    const body = Buffer.from(requestJson([spanJson('0000000000000001', attributes)]));
    const big = await startTestServer({ maxBodyBytes: 128 * 1024 * 1024 });
    try {
      const result = await postRaw(`${big.otlpUrl}/v1/traces`, body, 'application/json');
      expect(result.status).toBe(200);
      const { body: trace } = await big.getJson('/api/v1/traces/7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a');
      const stored = trace.spans[0];
      expect(stored.usage.inputTokens).toBe(42);
      expect(Object.keys(stored.attributes)).toHaveLength(4096);
      expect(stored.ingestIssues).toEqual([`attributes_truncated:${1_000_003 - 4096}`]);
    } finally {
      await big.stop();
    }
  }, 120_000);

  it('wrong types for known attributes are kept raw and do not break the span', async () => {
    const attributes = [
      { key: 'gen_ai.operation.name', value: { intValue: 7 } },
      {
        key: 'gen_ai.request.model',
        value: { arrayValue: { values: [{ stringValue: 'gpt-4o' }] } },
      },
      { key: 'gen_ai.usage.input_tokens', value: { stringValue: 'lots' } },
      { key: 'gen_ai.usage.output_tokens', value: { doubleValue: -5 } },
      { key: 'gen_ai.provider.name', value: { boolValue: true } },
    ];
    const response = await postRaw(
      `${server.otlpUrl}/v1/traces`,
      Buffer.from(requestJson([spanJson('0000000000000002', attributes)])),
      'application/json',
    );
    expect(response.status).toBe(200);
    // Nothing is rejected, and partial_success warns about the counts that were not read.
    expect(JSON.parse(response.text)).toEqual({
      partialSuccess: {
        rejectedSpans: 0,
        errorMessage:
          'span 0000000000000002 of trace 7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a: gen_ai.usage.input_tokens "lots" is not a token count, so the span counts no tokens from it; send a non-negative integer. ' +
          'gen_ai.usage.output_tokens -5 is not a token count, so the span counts no tokens from it; send a non-negative integer',
      },
    });
    const { body } = await server.getJson('/api/v1/traces/7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a');
    const stored = body.spans.find((span: any) => span.spanId === '0000000000000002');
    expect(stored.usage.inputTokens).toBe(0);
    expect(stored.usage.outputTokens).toBe(0);
    expect(stored.ingestIssues).toEqual([
      'usage_invalid:gen_ai.usage.input_tokens',
      'usage_invalid:gen_ai.usage.output_tokens',
    ]);
    expect(stored.attributes['gen_ai.usage.input_tokens']).toBe('lots');
    expect(stored.attributes['gen_ai.request.model']).toEqual(['gpt-4o']);
  });

  it('warns of unread protobuf token counts', async () => {
    const { body, traceIds, spanIds } = sdkBodyWithBadCounts();
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    expect(response.status).toBe(200);
    const reply = ProtobufTraceSerializer.deserializeResponse(
      new Uint8Array(await response.arrayBuffer()),
    );
    expect(reply.partialSuccess?.rejectedSpans ?? 0).toBe(0);
    expect(reply.partialSuccess?.errorMessage).toBe(
      `2 spans have token counts that were not read; the first: span ${spanIds[0]} of trace ${traceIds[0]}: gen_ai.usage.output_tokens -5 is not a token count, so the span counts no tokens from it; send a non-negative integer`,
    );
    const { body: trace } = await server.getJson(`/api/v1/traces/${traceIds[2]}`);
    expect(trace.spans[0].usage.outputTokens).toBe(7);
    expect(trace.spans[0].ingestIssues).toEqual([]);
    const { body: second } = await server.getJson(`/api/v1/traces/${traceIds[1]}`);
    expect(second.spans[0].usage).toMatchObject({ inputTokens: 10, outputTokens: 0 });
    expect(second.spans[0].ingestIssues).toEqual(['usage_invalid:gen_ai.usage.output_tokens']);
  });

  it('keeps valid spans when others in the same request are rejected', async () => {
    const good = spanJson('0000000000000003', [
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
    ]);
    const bad = { ...(spanJson('0000000000000004', []) as object), traceId: 'nothex' };
    const result = await postRaw(
      `${server.otlpUrl}/v1/traces`,
      Buffer.from(requestJson([bad, good])),
      'application/json',
    );
    expect(result.status).toBe(200);
    const partial = JSON.parse(result.text).partialSuccess;
    expect(partial.rejectedSpans).toBe(1);
    expect(partial.errorMessage).toContain('traceId');
    const { body } = await server.getJson('/api/v1/traces/7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a');
    expect(body.spans.some((span: any) => span.spanId === '0000000000000003')).toBe(true);
  });
});
