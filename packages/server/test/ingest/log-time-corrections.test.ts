import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Log record times sent in a coarser unit are scaled to nanoseconds, and times in the future
// fall back to the observed time, so an evaluation result is not stored in 1970 or 2100.

const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;
const us = (ms: number): bigint => BigInt(ms) * 1_000n;

describe('log record time corrections', () => {
  let server: TestServer;
  let traces = 0;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Sends one evaluation result on a span of its own trace and returns the stored record. */
  async function evaluationLog(time: bigint, observedTime: bigint, name: string): Promise<any> {
    traces += 1;
    const traceId = traces.toString(16).padStart(32, 'f');
    const spanId = '1'.repeat(16);
    const startMs = Date.now() - 60_000;
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${server.otlpUrl}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    const logRecord = {
      timeUnixNano: `${time}`,
      observedTimeUnixNano: `${observedTime}`,
      eventName: 'gen_ai.evaluation.result',
      traceId,
      spanId,
      attributes: [
        { key: 'gen_ai.evaluation.name', value: { stringValue: name } },
        { key: 'gen_ai.evaluation.score.value', value: { doubleValue: 0.8 } },
      ],
    };
    const span = {
      traceId,
      spanId,
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: `${ns(startMs)}`,
      endTimeUnixNano: `${ns(startMs + 800)}`,
      attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }],
    };
    const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [logRecord] }] }] };
    expect((await post('/v1/logs', logs)).status).toBe(200);
    const spans = { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] };
    expect((await post('/v1/traces', spans)).status).toBe(200);

    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    return body.spans[0].logs[0];
  }

  it('scales a microsecond time', async () => {
    const timeMs = Date.now() - 59_000;
    const log = await evaluationLog(us(timeMs), 0n, 'relevance-us');

    expect(log.timeUnixNano).toBe(`${ns(timeMs)}`);
    expect(log.attributes['foghorn.ingest_issue']).toBe('microseconds_as_nanoseconds');
    const { body } = await server.getJson('/api/v1/scores/summary');
    const names = (body.groups as { name: string }[]).map((group) => group.name);
    expect(names).toContain('relevance-us');
  });

  it('takes the observed time for a future time', async () => {
    const observedMs = Date.now() - 58_000;
    const log = await evaluationLog(ns(Date.UTC(2100, 0, 1)), ns(observedMs), 'relevance-future');

    expect(log.timeUnixNano).toBe(`${ns(observedMs)}`);
    expect(log.attributes['foghorn.ingest_issue']).toBe('time_in_future');
  });

  it('keeps a plausible time unmarked', async () => {
    const timeMs = Date.now() - 57_000;
    const log = await evaluationLog(ns(timeMs), 0n, 'relevance-ok');

    expect(log.timeUnixNano).toBe(`${ns(timeMs)}`);
    expect(log.attributes['foghorn.ingest_issue']).toBeUndefined();
  });

  it('moves a scaled time from the future', async () => {
    const observedMs = Date.now() - 56_000;
    const log = await evaluationLog(us(Date.now() + 86_400_000), ns(observedMs), 'relevance-ahead');

    expect(log.timeUnixNano).toBe(`${ns(observedMs)}`);
    expect(log.attributes['foghorn.ingest_issue']).toBe('time_in_future');
  });
});
