import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The OTLP/JSON path must reject invalid UTF-8 as the protobuf path does, instead of storing
// text altered by replacement characters and returning 200.

const TRACE_ID = 'dead0000dead0000dead0000dead0001';

/** Builds a trace request whose only span is named with the raw bytes `nameBytes`. */
function bodyWithName(nameBytes: Buffer, traceId = TRACE_ID): Buffer {
  const text = JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: '0000000000000001',
                name: 'NAME',
                startTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
                endTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
              },
            ],
          },
        ],
      },
    ],
  });
  const [head, tail] = text.split('NAME') as [string, string];
  return Buffer.concat([Buffer.from(head), nameBytes, Buffer.from(tail)]);
}

describe('OTLP/JSON with invalid UTF-8', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function post(body: Buffer): Promise<{ status: number; body: any }> {
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, body: await response.json() };
  }

  it('gets 400 naming the byte offset', async () => {
    const body = bodyWithName(Buffer.from([0x63, 0x68, 0xff, 0xfe]));
    const offset = body.indexOf(0xff);

    const response = await post(body);

    expect(response.status).toBe(400);
    expect(response.body.message).toBe(
      `Invalid OTLP/JSON body: the byte at offset ${offset} is not valid UTF-8. Encode the JSON text as UTF-8.`,
    );
    expect((await server.getJson(`/api/v1/traces/${TRACE_ID}`)).status).toBe(404);
  });

  it('offset skips a valid U+FFFD', async () => {
    const body = bodyWithName(Buffer.from([0xef, 0xbf, 0xbd, 0x61, 0xc3, 0x28]));
    const offset = body.indexOf(0xc3);

    const response = await post(body);

    expect(response.status).toBe(400);
    expect(response.body.message).toContain(`offset ${offset} `);
  });

  it('a valid U+FFFD alone is stored', async () => {
    const traceId = 'dead0000dead0000dead0000dead0002';

    const response = await post(bodyWithName(Buffer.from('chat \uFFFD', 'utf8'), traceId));

    expect(response.status).toBe(200);
    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    expect(body.spans[0].name).toBe('chat \uFFFD');
  });

  it('a lone surrogate escape gets 400', async () => {
    const traceId = 'dead0000dead0000dead0000dead0003';

    const response = await post(bodyWithName(Buffer.from('a\\ud800b'), traceId));

    expect(response.status).toBe(400);
    expect(response.body.message).toBe(
      'Invalid OTLP/JSON body: resourceSpans[0].scopeSpans[0].spans[0].name contains an escaped lone surrogate (\\uD800 to \\uDFFF without its pair), which is not valid Unicode. Escape both halves of the pair or send the character as UTF-8.',
    );
    expect((await server.getJson(`/api/v1/traces/${traceId}`)).status).toBe(404);
  });

  it('an escaped surrogate pair is stored', async () => {
    const traceId = 'dead0000dead0000dead0000dead0004';

    const response = await post(bodyWithName(Buffer.from('party \\ud83c\\udf89'), traceId));

    expect(response.status).toBe(200);
    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    expect(body.spans[0].name).toBe('party \u{1F389}');
  });
});
