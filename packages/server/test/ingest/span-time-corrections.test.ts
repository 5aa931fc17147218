import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Times are corrected before the dialects are read, so the time to first token and the
// span events follow a span sent in microseconds or dated in the future.

type Attributes = Record<string, string | number>;

interface SpanInput {
  name: string;
  start: bigint;
  end: bigint;
  attributes: Attributes;
  events?: { name: string; time: bigint }[];
}

const CHAT: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 10,
  'gen_ai.usage.output_tokens': 5,
};

const LANGFUSE_GENERATION: Attributes = {
  'langfuse.observation.type': 'generation',
  'langfuse.observation.model.name': 'gpt-4o',
  'langfuse.observation.usage_details': '{"input":10,"output":5}',
};

const CHUNK_EVENT = 'gen_ai.content.completion.chunk';
const us = (ms: number): bigint => BigInt(ms) * 1_000n;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

function attributeList(attributes: Attributes): object[] {
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
  }));
}

describe('span time corrections', () => {
  let server: TestServer;
  let traces = 0;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Sends one span in a trace of its own and returns it as the trace endpoint stores it. */
  async function roundTrip(input: SpanInput): Promise<any> {
    traces += 1;
    const traceId = traces.toString(16).padStart(32, 'd');
    const span = {
      traceId,
      spanId: 'e'.repeat(16),
      name: input.name,
      kind: 3,
      startTimeUnixNano: `${input.start}`,
      endTimeUnixNano: `${input.end}`,
      attributes: attributeList(input.attributes),
      events: (input.events ?? []).map((event) => ({
        name: event.name,
        timeUnixNano: `${event.time}`,
      })),
    };
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }),
    });
    expect(response.status).toBe(200);
    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    return body.spans[0];
  }

  it('scales events of a microsecond span', async () => {
    const startMs = Date.now() - 60_000;
    const span = await roundTrip({
      name: 'streamed chat',
      start: us(startMs),
      end: us(startMs + 1_000),
      attributes: CHAT,
      events: [{ name: CHUNK_EVENT, time: us(startMs + 250) }],
    });

    expect(span.ingestIssues).toContain('microseconds_as_nanoseconds');
    expect(span.startTimeUnixNano).toBe(`${ns(startMs)}`);
    expect(span.events[0].timeUnixNano).toBe(`${ns(startMs + 250)}`);
    expect(span.timeToFirstTokenMs).toBe(250);
  });

  it('moves events of a future span', async () => {
    const futureMs = Date.UTC(2100, 0, 1);
    const sentAtMs = Date.now();
    const span = await roundTrip({
      name: 'future chat',
      start: ns(futureMs),
      end: ns(futureMs + 1_000),
      attributes: CHAT,
      events: [{ name: CHUNK_EVENT, time: ns(futureMs + 250) }],
    });
    const start = BigInt(span.startTimeUnixNano);

    expect(span.ingestIssues).toContain('start_time_in_future');
    expect(start).toBeGreaterThanOrEqual(ns(sentAtMs - 1_000));
    expect(start).toBeLessThan(ns(Date.now()));
    expect(BigInt(span.events[0].timeUnixNano) - start).toBe(ns(250));
    expect(span.timeToFirstTokenMs).toBe(250);
  });

  it('reads Langfuse completion start after scaling', async () => {
    const startMs = Date.now() - 60_000;
    const span = await roundTrip({
      name: 'langfuse generation',
      start: us(startMs),
      end: us(startMs + 1_000),
      attributes: {
        ...LANGFUSE_GENERATION,
        'langfuse.observation.completion_start_time': new Date(startMs + 400).toISOString(),
      },
    });

    expect(span.ingestIssues).toContain('microseconds_as_nanoseconds');
    expect(span.timeToFirstTokenMs).toBe(400);
  });

  it('drops Langfuse completion start without start', async () => {
    const endMs = Date.now() - 60_000;
    const span = await roundTrip({
      name: 'langfuse generation',
      start: 0n,
      end: ns(endMs),
      attributes: {
        ...LANGFUSE_GENERATION,
        'langfuse.observation.completion_start_time': new Date(endMs - 600).toISOString(),
      },
    });

    expect(span.ingestIssues).toContain('start_time_zero');
    expect(span.timeToFirstTokenMs).toBeNull();
  });

  it('measures from the earliest chunk event', async () => {
    const startMs = Date.now() - 60_000;
    const span = await roundTrip({
      name: 'unordered chunks',
      start: ns(startMs),
      end: ns(startMs + 1_000),
      attributes: CHAT,
      events: [
        { name: CHUNK_EVENT, time: ns(startMs + 900) },
        { name: CHUNK_EVENT, time: ns(startMs + 300) },
      ],
    });

    expect(span.timeToFirstTokenMs).toBe(300);
  });

  it('measures Langfuse completion start on the sender clock', async () => {
    // The sender's clock runs an hour ahead, and both times come from it.
    const startMs = Date.now() + 3_600_000;
    const span = await roundTrip({
      name: 'langfuse generation',
      start: ns(startMs),
      end: ns(startMs + 1_000),
      attributes: {
        ...LANGFUSE_GENERATION,
        'langfuse.observation.completion_start_time': new Date(startMs + 300).toISOString(),
      },
    });

    expect(span.ingestIssues).toContain('start_time_in_future');
    expect(span.timeToFirstTokenMs).toBe(300);
  });

  it('scales each event by its own unit', async () => {
    const startMs = Date.now() - 60_000;
    const span = await roundTrip({
      name: 'milliseconds with microsecond event',
      start: BigInt(startMs),
      end: BigInt(startMs + 1_000),
      attributes: CHAT,
      events: [{ name: CHUNK_EVENT, time: us(startMs + 250) }],
    });

    expect(span.ingestIssues).toContain('milliseconds_as_nanoseconds');
    expect(span.events[0].timeUnixNano).toBe(`${ns(startMs + 250)}`);
    expect(span.timeToFirstTokenMs).toBe(250);
  });
});
