import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DUCKDB_FILE_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { openStoreFile } from '../../src/store/duckdb/open-store-file.ts';
import {
  HOUR_NS,
  TraceIdFilters,
  hourOf,
  traceLookupSql,
} from '../../src/store/duckdb/trace-id-filters.ts';
import { makeSpan } from '../api/span-factory.ts';

const HOUR_MS = 3_600_000;
/** 2026-11-20 09:00 UTC, the start of an hour. */
const START_MS = Date.UTC(2026, 10, 20, 9, 0, 0);

function randomTraceId(): string {
  return randomBytes(16).toString('hex');
}

function nsAt(ms: number): bigint {
  return BigInt(ms) * 1_000_000n;
}

describe('trace id filters', () => {
  it('finds every added trace id', () => {
    const filters = new TraceIdFilters();
    const added = Array.from({ length: 20_000 }, (_, i) => ({
      id: randomTraceId(),
      hour: i % 24,
    }));
    for (const { id, hour } of added) filters.add(id, nsAt(START_MS + hour * HOUR_MS + 1));

    const startHour = hourOf(nsAt(START_MS));
    for (const { id, hour } of added)
      expect(filters.candidateHours(id)).toContain(startHour + hour);
  });

  it('rarely names an absent trace id', () => {
    const filters = new TraceIdFilters();
    // 5,000 ids in one hour fill its first filter and most of a second, larger one.
    for (let i = 0; i < 5_000; i++) filters.add(randomTraceId(), nsAt(START_MS));
    for (let hour = 1; hour < 24; hour++) {
      for (let i = 0; i < 500; i++) filters.add(randomTraceId(), nsAt(START_MS + hour * HOUR_MS));
    }

    let falsePositives = 0;
    const probes = 20_000;
    for (let i = 0; i < probes; i++)
      falsePositives += filters.candidateHours(randomTraceId()).length;
    // 24 filters at about 0.05 % each: about 240 expected over 20,000 probes.
    expect(falsePositives).toBeLessThan(probes * 24 * 0.005);
  });

  it('counts repeated ids once', () => {
    const filters = new TraceIdFilters();
    const id = randomTraceId();
    for (let i = 0; i < 5_000; i++) filters.add(id, nsAt(START_MS + i));
    // One part of 1,024 entries at 16 bits each.
    expect(filters.bytes).toBe(2048);
  });

  it('caps filters at 128 KiB', () => {
    const filters = new TraceIdFilters();
    // Past the first four filters' 87,040 entries a fifth starts, no larger than the fourth.
    for (let i = 0; i < 90_000; i++) filters.add(randomTraceId(), nsAt(START_MS));
    expect(filters.bytes).toBe(2048 + 8192 + 32_768 + 131_072 + 131_072);
  });

  it('floors times before 1970', () => {
    expect(hourOf(-1n)).toBe(-1);
    expect(hourOf(-HOUR_NS)).toBe(-1);
    expect(hourOf(-HOUR_NS - 1n)).toBe(-2);
    expect(hourOf(0n)).toBe(0);
    expect(hourOf(HOUR_NS - 1n)).toBe(0);
  });

  it('merges adjacent hours into one range', () => {
    const sql = traceLookupSql([5, 6, 7, 9])!;
    expect(sql).toContain(`start_ns >= ${5n * HOUR_NS} AND start_ns < ${8n * HOUR_NS}`);
    expect(sql).toContain(`start_ns >= ${9n * HOUR_NS} AND start_ns < ${10n * HOUR_NS}`);
    expect(sql.match(/UNION ALL/g)).toHaveLength(1);
    expect(traceLookupSql([])).toBeNull();
  });
});

describe('trace lookup in the DuckDB store', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-trace-id-filters-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Spans of one trace at the given offsets from START_MS, with span ids 1, 2, ... */
  function traceSpans(traceId: string, offsetsMs: number[], projectId = 'default') {
    return offsetsMs.map((offset, i) =>
      makeSpan({
        traceId,
        spanId: (i + 1).toString(16).padStart(16, '0'),
        startMs: START_MS + offset,
        durationMs: 10,
        model: 'gpt-4o',
        projectId,
      }),
    );
  }

  it('finds a trace across hours and restarts', async () => {
    const traceId = randomTraceId();
    // A long agent run: spans two and five hours after the first.
    const offsets = [0, 2 * HOUR_MS + 5, 5 * HOUR_MS + 7];
    let store = await openDuckDbStore(dataDir);
    try {
      await store.writeSpans(traceSpans(traceId, offsets));
      for (let i = 0; i < 50; i++)
        await store.writeSpans(traceSpans(randomTraceId(), [i * 10 * 60_000]));
      const found = await store.getTrace('default', traceId);
      expect(found.map((span) => span.spanId)).toEqual([
        '0000000000000001',
        '0000000000000002',
        '0000000000000003',
      ]);
      expect(await store.getTrace('default', randomTraceId())).toEqual([]);
      expect(await store.getTrace('other', traceId)).toEqual([]);
    } finally {
      await store.close();
    }

    store = await openDuckDbStore(dataDir);
    try {
      const found = await store.getTrace('default', traceId);
      expect(found.map((span) => span.startTimeUnixNano)).toEqual(
        offsets.map((offset) => nsAt(START_MS + offset)),
      );
    } finally {
      await store.close();
    }
  });

  it('replaces the ART index of an older store', async () => {
    const traceId = randomTraceId();
    let store = await openDuckDbStore(dataDir);
    await store.writeSpans(traceSpans(traceId, [0, HOUR_MS]));
    await store.close();

    // The layout before the filters: an ART index on trace_id and no filter table.
    const path = join(dataDir, DUCKDB_FILE_NAME);
    let instance: DuckDBInstance = await openStoreFile(path, null);
    let connection = await instance.connect();
    await connection.run('DROP TABLE trace_id_filters');
    await connection.run('CREATE INDEX spans_trace_id_idx ON spans (trace_id)');
    connection.closeSync();
    instance.closeSync();

    store = await openDuckDbStore(dataDir);
    try {
      const found = await store.getTrace('default', traceId);
      expect(found.map((span) => span.spanId)).toEqual(['0000000000000001', '0000000000000002']);
    } finally {
      await store.close();
    }

    instance = await openStoreFile(path, null);
    connection = await instance.connect();
    const indexes = await connection.runAndReadAll(
      "SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'spans'",
    );
    const filterRows = await connection.runAndReadAll('SELECT count(*) FROM trace_id_filters');
    connection.closeSync();
    instance.closeSync();
    expect(Number(indexes.getRows()[0]![0])).toBe(0);
    expect(Number(filterRows.getRows()[0]![0])).toBe(2);
  });

  it('drops filters of hours past retention', async () => {
    const oldTrace = randomTraceId();
    const newTrace = randomTraceId();
    const store = await openDuckDbStore(dataDir);
    try {
      await store.writeSpans(traceSpans(oldTrace, [0, HOUR_MS]));
      await store.writeSpans(traceSpans(newTrace, [3 * HOUR_MS]));
      // The cutoff falls inside the third hour, so that hour's filter stays.
      await store.applyRetention({
        spansBeforeUnixNano: nsAt(START_MS + 2 * HOUR_MS + 60_000),
        contentBeforeUnixNano: null,
        metricsBeforeUnixNano: null,
        logsBeforeUnixNano: null,
        scoresBeforeUnixNano: null,
      });

      expect(await store.getTrace('default', oldTrace)).toEqual([]);
      expect((await store.getTrace('default', newTrace)).map((span) => span.spanId)).toEqual([
        '0000000000000001',
      ]);
    } finally {
      await store.close();
    }
    const instance = await openStoreFile(join(dataDir, DUCKDB_FILE_NAME), null);
    const connection = await instance.connect();
    const hours = await connection.runAndReadAll('SELECT hour FROM trace_id_filters ORDER BY hour');
    connection.closeSync();
    instance.closeSync();
    expect(hours.getRows().map((row) => Number(row[0]))).toEqual([
      hourOf(nsAt(START_MS + 3 * HOUR_MS)),
    ]);
  });
});
