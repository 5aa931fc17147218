import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { SpanDeduplicator } from '../../src/store/duckdb/span-dedupe.ts';
import { makeSpan } from '../api/span-factory.ts';

const START_MS = Date.UTC(2026, 10, 20);
const HOUR_NS = 3_600_000_000_000n;
const MINUTE_NS = 60_000_000_000n;

/** Spans whose ids count up from `first + 1`, so neighbouring ids differ only in their last digits. */
function sequentialSpans(count: number, first: number): CanonicalSpan[] {
  return Array.from({ length: count }, (_, index) =>
    makeSpan({
      traceId: (first + index + 1).toString(16).padStart(32, '0'),
      spanId: (first + index + 1).toString(16).padStart(16, '0'),
      startMs: START_MS + index,
      durationMs: 100,
    }),
  );
}

/** Inserts the columns the deduplicator reads, as the span writer's commit would. */
async function store(connection: DuckDBConnection, spans: readonly CanonicalSpan[]): Promise<void> {
  const appender = await connection.createAppender('spans');
  for (const span of spans) {
    appender.appendVarchar(span.projectId);
    appender.appendVarchar(span.traceId);
    appender.appendVarchar(span.spanId);
    appender.appendBigInt(span.startTimeUnixNano);
    appender.endRow();
  }
  appender.closeSync();
}

describe('span deduplicator', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let lookups: number;

  beforeEach(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(
      'CREATE TABLE spans (project_id VARCHAR, trace_id VARCHAR, span_id VARCHAR, start_ns BIGINT)',
    );
    // Counts the confirmation queries by wrapping the real connection's method.
    lookups = 0;
    const runAndReadAll = connection.runAndReadAll.bind(connection);
    connection.runAndReadAll = (...args: Parameters<DuckDBConnection['runAndReadAll']>) => {
      lookups++;
      return runAndReadAll(...args);
    };
  });

  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('repeats hours apart are kept', async () => {
    const deduplicator = new SpanDeduplicator(connection);
    const [span] = sequentialSpans(1, 0);
    const hoursLater = {
      ...span!,
      startTimeUnixNano: span!.startTimeUnixNano + 7_200_000_000_000n,
    };
    const secondLater = { ...span!, startTimeUnixNano: span!.startTimeUnixNano + 1_000_000_000n };
    // One batch of requests joined by the writer keeps what the requests one by one would.
    const unique = await deduplicator.filter([span!, hoursLater, secondLater]);
    expect(unique.map((copy) => copy.startTimeUnixNano)).toEqual([
      span!.startTimeUnixNano,
      hoursLater.startTimeUnixNano,
    ]);
  });

  it('stored copy hours away keeps', async () => {
    const deduplicator = new SpanDeduplicator(connection);
    const [first, second] = sequentialSpans(2, 0);
    await store(connection, [first!, second!]);
    deduplicator.rememberAll([first!, second!]);
    const hoursLater = {
      ...first!,
      startTimeUnixNano: first!.startTimeUnixNano + 7_200_000_000_000n,
    };
    const secondLater = {
      ...second!,
      startTimeUnixNano: second!.startTimeUnixNano + 1_000_000_000n,
    };
    // One lookup covers both candidates, so its time range reaches the stored first copy.
    const unique = await deduplicator.filter([hoursLater, secondLater]);
    expect(unique).toEqual([hoursLater]);
    expect(lookups).toBe(1);
  });

  it('sequential ids need no lookup', async () => {
    const deduplicator = new SpanDeduplicator(connection);
    let keptCount = 0;
    for (let batch = 0; batch < 40; batch++) {
      const spans = sequentialSpans(512, batch * 512);
      const unique = await deduplicator.filter(spans);
      keptCount += unique.length;
      await store(connection, unique);
      deduplicator.rememberAll(unique);
    }
    expect(keptCount).toBe(40 * 512);
    expect(lookups).toBe(0);
  });

  it('drops a resent span after one lookup', async () => {
    const deduplicator = new SpanDeduplicator(connection);
    const spans = sequentialSpans(512, 0);
    await store(connection, spans);
    deduplicator.rememberAll(spans);
    const resent = [spans[7]!, ...sequentialSpans(3, 10_000)];
    const unique = await deduplicator.filter(resent);
    expect(unique.map((span) => span.spanId)).toEqual(
      sequentialSpans(3, 10_000).map((span) => span.spanId),
    );
    expect(lookups).toBe(1);
  });

  it('keeps a span whose ids another project used', async () => {
    const deduplicator = new SpanDeduplicator(connection);
    const spans = sequentialSpans(4, 0);
    await store(connection, spans);
    deduplicator.rememberAll(spans);
    const other = { ...spans[2]!, projectId: 'other' };
    expect(await deduplicator.filter([other])).toEqual([other]);
  });

  it('old span after restart is looked up', async () => {
    const old = sequentialSpans(3, 0);
    const [newest] = sequentialSpans(1, 100).map((span) => ({
      ...span,
      startTimeUnixNano: span.startTimeUnixNano + 2n * HOUR_NS,
    }));
    await store(connection, [...old, newest!]);
    const deduplicator = new SpanDeduplicator(connection);
    await deduplicator.warmUp();
    lookups = 0;
    expect(await deduplicator.filter([old[1]!, ...sequentialSpans(2, 200)])).toEqual(
      sequentialSpans(2, 200),
    );
    expect(lookups).toBe(1);
  });

  it('startup window needs no lookup', async () => {
    const stored = sequentialSpans(3, 0);
    await store(connection, stored);
    const deduplicator = new SpanDeduplicator(connection);
    await deduplicator.warmUp();
    lookups = 0;
    const fresh = sequentialSpans(3, 300);
    expect(await deduplicator.filter(fresh)).toEqual(fresh);
    expect(lookups).toBe(0);
    expect(await deduplicator.filter([stored[0]!])).toEqual([]);
    expect(lookups).toBe(1);
  });

  it('span past warm-up limit is looked up', async () => {
    const stored = sequentialSpans(10, 0);
    await store(connection, stored);
    const deduplicator = new SpanDeduplicator(connection, 4);
    await deduplicator.warmUp();
    lookups = 0;
    // The six oldest were not remembered, and start within the hour like the rest.
    expect(await deduplicator.filter([stored[5]!])).toEqual([]);
    expect(lookups).toBe(1);
  });

  it('forgotten span is looked up', async () => {
    const deduplicator = new SpanDeduplicator(connection, 4);
    const stored = sequentialSpans(12, 0);
    // Twelve spans fill three generations of four, so the first four are forgotten.
    for (const span of stored) {
      expect(await deduplicator.filter([span])).toEqual([span]);
      await store(connection, [span]);
      deduplicator.rememberAll([span]);
    }
    lookups = 0;
    expect(await deduplicator.filter([stored[1]!])).toEqual([]);
    expect(lookups).toBe(1);
    const later = sequentialSpans(1, 100).map((span) => ({
      ...span,
      startTimeUnixNano: stored[11]!.startTimeUnixNano + 1n,
    }));
    expect(await deduplicator.filter(later)).toEqual(later);
    expect(lookups).toBe(1);
  });

  it('receive-time start is looked up', async () => {
    const deduplicator = new SpanDeduplicator(connection, 4);
    // Sent with a start in the future, so each copy gets the receive time as its start.
    const [first] = sequentialSpans(1, 0).map((span) => ({
      ...span,
      ingestIssues: ['start_time_in_future'],
    }));
    await store(connection, [first!]);
    deduplicator.rememberAll([first!]);
    // Eight more spans within milliseconds push the first out of both generations, and the
    // latest start among the forgotten ones stays minutes before the copy's.
    const newer = sequentialSpans(8, 100);
    await store(connection, newer);
    deduplicator.rememberAll(newer);
    lookups = 0;
    const resent = { ...first!, startTimeUnixNano: first!.startTimeUnixNano + 10n * MINUTE_NS };
    expect(await deduplicator.filter([resent])).toEqual([]);
    expect(lookups).toBe(1);
  });
});
