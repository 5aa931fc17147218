import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DUCKDB_FILE_NAME,
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../src/store/duckdb/duckdb-store.ts';
import { SPANS_COLUMNS } from '../../src/store/duckdb/schema.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const START_MS = Date.UTC(2026, 0, 5, 10, 0, 0);

/** Writes a file in the layout from before projects: the current spans columns without `project_id`. */
async function writeLegacyFile(dataDir: string): Promise<void> {
  const instance = await DuckDBInstance.create(join(dataDir, DUCKDB_FILE_NAME));
  const connection = await instance.connect();
  const legacyColumns = SPANS_COLUMNS.filter(([name]) => name !== 'project_id');
  await connection.run(
    `CREATE TABLE spans (${legacyColumns.map(([name, type]) => `${name} ${type}`).join(', ')})`,
  );
  const startNs = BigInt(START_MS) * 1_000_000n;
  await connection.run(
    `INSERT INTO spans (trace_id, span_id, name, span_kind, service_name, scope_name, start_ns, end_ns,
       duration_ms, status_code, dialect, operation, span_type, is_llm_call, model, input_tokens,
       output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd,
       attributes, resource_attributes, events)
     VALUES ($1, 'aaaaaaaaaaaaaaaa', 'chat legacy', 'client', 'svc', 'old', $2, $3, 100, 'unset',
       'otel_genai', 'chat', 'llm', true, 'legacy-model', 7, 3, 0, 0, 0, 0.5, '{}', '{}', '[]')`,
    [TRACE_ID, startNs, startNs + 100_000_000n],
  );
  await connection.run(
    'CREATE TABLE metric_series_state (series_key VARCHAR PRIMARY KEY, state VARCHAR NOT NULL)',
  );
  await connection.run(
    `INSERT INTO metric_series_state VALUES ('legacy-series',
      '{"startTimeUnixNano":"1","timeUnixNano":"2","value":42,"count":0,"sum":0,"bucketCounts":[],"exponential":null}')`,
  );
  // A rollup table from before projects: the store drops it and rebuilds from the spans.
  await connection.run(
    'CREATE TABLE span_rollup_1m (period_start_ns BIGINT, model VARCHAR, requests BIGINT)',
  );
  connection.closeSync();
  instance.closeSync();
}

describe('opening a file from before projects', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-migrate-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('moves existing rows into the default project, on the first and every later start', async () => {
    await writeLegacyFile(dataDir);
    for (let start = 0; start < 2; start++) {
      const store = await openDuckDbStore(dataDir);
      try {
        const spans = await store.getTrace('default', TRACE_ID);
        expect(spans.map((span) => [span.projectId, span.name, span.usage.inputTokens])).toEqual([
          ['default', 'chat legacy', 7],
        ]);
        expect(await store.getTrace('other', TRACE_ID)).toEqual([]);
        const summary = await store.summary(
          {
            projectId: 'default',
            fromUnixMs: START_MS - 60_000,
            toUnixMs: START_MS + 60_000,
            filters: {},
          },
          'model',
        );
        expect(summary.map((group) => [group.key, group.requests, group.costUsd])).toEqual([
          ['legacy-model', 1, 0.5],
        ]);
        const states = await store.loadSeriesStates();
        expect(states.map((row) => [row.projectId, row.seriesKey, row.state.value])).toEqual([
          ['default', 'legacy-series', 42],
        ]);
        const connection = await duckDbInstanceOf(store)!.connect();
        const rollupRows = await connection.runAndReadAll(
          'SELECT project_id, model, requests FROM span_rollup_1m',
        );
        connection.closeSync();
        expect(rollupRows.getRows().map((row) => row.map(String))).toEqual([
          ['default', 'legacy-model', '1'],
        ]);
      } finally {
        await store.close();
      }
    }
  });
});
