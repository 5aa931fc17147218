import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DUCKDB_FILE_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { ROLLUP_SCHEMA } from '../../src/store/duckdb/rollup-schema.ts';
import { SPANS_COLUMNS } from '../../src/store/duckdb/schema.ts';
import { makeSpan } from '../api/span-factory.ts';

const START_MS = Date.UTC(2026, 2, 3, 10, 0, 0);
const DAY_MS = 86_400_000;

/** Writes a file from before the registered model: no such column in spans or in the rollups. */
async function writeEarlierFile(dataDir: string): Promise<void> {
  const instance = await DuckDBInstance.create(join(dataDir, DUCKDB_FILE_NAME));
  const connection = await instance.connect();
  const columns = SPANS_COLUMNS.filter(([name]) => name !== 'registered_model');
  await connection.run(
    `CREATE TABLE spans (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`,
  );
  for (const statement of ROLLUP_SCHEMA) {
    await connection.run(statement.replace(/,\s*registered_model VARCHAR/, ''));
  }
  const startNs = BigInt(START_MS) * 1_000_000n;
  await connection.run(
    `INSERT INTO spans (trace_id, span_id, name, span_kind, service_name, scope_name, start_ns, end_ns,
       duration_ms, status_code, dialect, operation, span_type, is_llm_call, model, input_tokens,
       output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd,
       attributes, resource_attributes, events, project_id)
     VALUES ('${'e'.repeat(32)}', 'aaaaaaaaaaaaaaaa', 'chat', 'client', 'svc', 'old', $1, $2, 100,
       'unset', 'otel_genai', 'chat', 'llm', true, 'gpt-4o', 10, 5, 0, 0, 0, 0.001, '{}', '{}', '[]', 'default')`,
    [startNs, startNs + 100_000_000n],
  );
  connection.closeSync();
  instance.closeSync();
}

describe('registered model column migration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-registered-model-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds the column and rebuilds rollups', async () => {
    await writeEarlierFile(dataDir);
    const store = await openDuckDbStore(dataDir);
    try {
      const span = makeSpan({
        traceId: 'f'.repeat(32),
        spanId: 'bbbbbbbbbbbbbbbb',
        startMs: START_MS + 60_000,
        durationMs: 250,
        model: 'gpt-4o',
        registeredModel: 'iris-classifier/7',
      });
      await store.writeSpans([span]);
      // A three-day window reads the hour rollups, which had no registered model before.
      const query = {
        projectId: 'default',
        fromUnixMs: START_MS - DAY_MS,
        toUnixMs: START_MS + 2 * DAY_MS,
        filters: {},
      };
      const groups = await store.summary(query, 'registeredModel');
      const requests = Object.fromEntries(groups.map((group) => [group.key, group.requests]));
      expect(requests).toEqual({ null: 1, 'iris-classifier/7': 1 });

      const stored = await store.getTrace('default', 'f'.repeat(32));
      expect(stored[0]!.registeredModel).toBe('iris-classifier/7');
      expect(stored[0]!.projectId).toBe('default');
    } finally {
      await store.close();
    }
  });
});
