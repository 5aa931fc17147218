import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { SCHEMA_STATEMENTS } from '../../src/store/duckdb/schema.ts';
import { appendSpans } from '../../src/store/duckdb/span-append.ts';
import { hexId, makeSpan } from '../api/span-factory.ts';

const START_MS = Date.UTC(2026, 11, 1, 8, 0, 0);
/** More than two slices of rows, so the appender yields to the event loop in between. */
const SPAN_COUNT = 600;

type Row = Record<string, unknown>;

function spanAt(i: number): CanonicalSpan {
  const span = makeSpan({
    traceId: hexId(i + 1, 32),
    spanId: hexId(i + 1, 16),
    startMs: START_MS + i,
    durationMs: 100 + i / 8,
    model: 'gpt-4o',
    inputTokens: 1000 + i,
    outputTokens: 10,
    costUsd: (i + 1) * 1e-7,
    tenant: i % 2 === 0 ? 'acme' : null,
    attributes: { 'gen_ai.prompt': `question ${i}: naïve 日本 🎉 "quoted" \\ back\nline` },
  });
  span.statusMessage = i % 3 === 0 ? null : `status ${i}`;
  return span;
}

async function storedRows(connection: DuckDBConnection): Promise<Row[]> {
  const reader = await connection.runAndReadAll('SELECT * FROM spans ORDER BY span_id');
  return reader.getRowObjectsJS() as Row[];
}

describe('appending spans', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeEach(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    for (const statement of SCHEMA_STATEMENTS) await connection.run(statement);
  });
  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('stores every column value', async () => {
    const spans = Array.from({ length: SPAN_COUNT }, (_, i) => spanAt(i));
    spans[5]!.statusMessage = '';
    spans[301]!.timeToFirstTokenMs = 0.1 + 0.2;
    spans[302]!.usage.inputTokens = Number.MAX_SAFE_INTEGER;
    spans[303]!.startTimeUnixNano = 9_000_000_000_000_000_123n;
    spans[303]!.endTimeUnixNano = 9_000_000_000_000_000_124n;
    spans[304]!.ingestIssues = ['future_timestamp', 'clock_skew'];
    spans[305]!.events = [
      { name: 'gen_ai.choice', timeUnixNano: 5n, attributes: { index: 0, text: 'tab\there' } },
    ];
    // Control characters and a non-finite time, each in a load of its own.
    const separated = spanAt(SPAN_COUNT);
    separated.name = 'tool\u001fcall';
    const nullMark = spanAt(SPAN_COUNT + 1);
    nullMark.statusMessage = '\u001e';
    const infinite = spanAt(SPAN_COUNT + 2);
    infinite.timeToFirstTokenMs = Number.POSITIVE_INFINITY;
    await connection.run('BEGIN TRANSACTION');
    await appendSpans(connection, spans);
    for (const span of [separated, nullMark, infinite]) await appendSpans(connection, [span]);
    await connection.run('COMMIT');

    const rows = await storedRows(connection);
    expect(rows).toHaveLength(SPAN_COUNT + 3);
    expect(rows[SPAN_COUNT]!.name).toBe('tool\u001fcall');
    expect(rows[SPAN_COUNT + 1]!.status_message).toBe('\u001e');
    expect(rows[SPAN_COUNT + 2]!.ttft_ms).toBeNull();
    expect(rows[5]!.status_message).toBe('');
    expect(rows[6]!.status_message).toBeNull();
    expect(rows[7]!.status_message).toBe('status 7');
    expect(rows[300]!.ttft_ms).toBeNull();
    expect(rows[301]!.ttft_ms).toBe(0.1 + 0.2);
    expect(rows[302]!.input_tokens).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(rows[303]!.start_ns).toBe(9_000_000_000_000_000_123n);
    expect(rows[303]!.end_ns).toBe(9_000_000_000_000_000_124n);
    expect(rows[304]!.ingest_issues).toBe('future_timestamp,clock_skew');
    expect(rows[305]!.ingest_issues).toBeNull();
    expect(JSON.parse(rows[305]!.events as string)).toEqual([
      { name: 'gen_ai.choice', timeUnixNano: '5', attributes: { index: 0, text: 'tab\there' } },
    ]);
    expect(rows[0]!.events).toBe('[]');
    for (let i = 0; i < SPAN_COUNT + 3; i++) {
      const row = rows[i]!;
      const span = i < SPAN_COUNT ? spans[i]! : [separated, nullMark, infinite][i - SPAN_COUNT]!;
      expect(row.trace_id).toBe(span.traceId);
      expect(row.parent_span_id).toBeNull();
      expect(row.duration_ms).toBe(span.durationMs);
      expect(row.is_llm_call).toBe(true);
      expect(row.cost_usd).toBe(span.cost.totalUsd);
      expect(row.cost_output_usd).toBe(0);
      expect(row.tenant).toBe(span.tenant);
      expect(row.environment).toBe('test');
      expect(JSON.parse(row.attributes as string)).toEqual(span.attributes);
      expect(JSON.parse(row.resource_attributes as string)).toEqual({ 'service.name': 'svc' });
      expect(row.cost_detail).toBeNull();
      expect(row.registered_model).toBeNull();
      expect(row.project_id).toBe('default');
      if (i !== 302) expect(row.input_tokens).toBe(BigInt(1000 + i));
    }
  });

  it('rolled back load stores nothing', async () => {
    await connection.run('BEGIN TRANSACTION');
    await appendSpans(
      connection,
      Array.from({ length: 300 }, (_, i) => spanAt(i)),
    );
    await connection.run('ROLLBACK');
    expect(await storedRows(connection)).toEqual([]);
  });
});
