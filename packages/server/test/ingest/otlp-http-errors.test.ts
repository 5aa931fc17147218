import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const VALID_JSON = JSON.stringify({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'errors-test' } }] },
      scopeSpans: [
        {
          scope: { name: 'manual' },
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: 'chat gpt-4o-mini',
              kind: 3,
              startTimeUnixNano: '1764000000000000000',
              endTimeUnixNano: '1764000000250000000',
              attributes: [
                { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                { key: 'gen_ai.usage.input_tokens', value: { intValue: 10 } },
              ],
            },
          ],
        },
      ],
    },
  ],
});

describe('OTLP/HTTP bad input', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function post(
    body: string | Uint8Array,
    headers: Record<string, string>,
  ): Promise<Response> {
    return fetch(`${server.otlpUrl}/v1/traces`, { method: 'POST', body, headers });
  }

  it('malformed protobuf gets 400 with a message', async () => {
    const response = await post(Uint8Array.from([0x0a, 0xff, 0xff, 0x01, 0x02]), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(body).toMatch(/protobuf/i);
  });

  it('malformed JSON gets 400 with a message', async () => {
    const response = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.code).toBe(3);
    expect(body.message).toMatch(/JSON/);
  });

  it('unsupported content type gets 415 naming the accepted types', async () => {
    const response = await post('hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    const body = (await response.json()) as any;
    expect(body.message).toContain('text/plain');
    expect(body.message).toContain('application/x-protobuf');
  });

  it('corrupt gzip gets 400', async () => {
    const response = await post(Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toMatch(/gzip/);
  });

  it('gzip bomb above the body limit gets 413', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const response = await post(bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).message).toMatch(/--max-body-bytes/);
  });

  it('keeps serving and storing after bad requests', async () => {
    const response = await post(gzipSync(VALID_JSON), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const health = await server.getJson('/healthz');
    expect(health.body).toEqual({ status: 'ok' });
    const { body } = await server.getJson('/api/v1/traces/5b8efff798038103d269b633813fc60c');
    expect(body.spans).toHaveLength(1);
    expect(body.spans[0].usage.inputTokens).toBe(10);
  });

  it('the main port accepts OTLP on /v1/traces too', async () => {
    const response = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      body: VALID_JSON.replace('eee19b7ec3c1b174', 'eee19b7ec3c1b175'),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
  });
});
