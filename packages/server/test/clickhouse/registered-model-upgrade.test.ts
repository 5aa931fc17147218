import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openChdbDriver } from '../../src/store/clickhouse/chdb-driver.ts';
import { openClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.ts';
import { schemaDdl } from '../../src/store/clickhouse/migrations.ts';
import { makeSpan } from '../api/span-factory.ts';

const LAYOUT = { database: 'upgraded', cluster: null };
const START_MS = Date.UTC(2026, 2, 3, 10, 0, 0);
const DAY_MS = 86_400_000;

/**
 * The DDL of schema versions 1 and 2, before the registered model: today's DDL up to
 * version 3, with the column taken out of the spans table, the rollup and its view.
 */
function version2Ddl(): string[] {
  const statements = schemaDdl(LAYOUT, { ttlDays: null });
  const firstOfVersion3 = statements.findIndex((sql) => sql.includes('ADD COLUMN IF NOT EXISTS'));
  return statements
    .slice(0, firstOfVersion3)
    .map((sql) =>
      sql
        .replace(/,\s*registered_model LowCardinality\(Nullable\(String\)\)/, '')
        .replace(/, registered_model\b/, ''),
    );
}

describe('ClickHouse upgrade to the registered model column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-ch-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies version 3 to a version 2 schema', async () => {
    const driver = openChdbDriver(dir);
    for (const sql of version2Ddl()) await driver.command(sql);
    await driver.insert('upgraded.foghorn_migrations', [
      { version: 1, name: 'initial', applied_at: '1767225600.000' },
      { version: 2, name: 'lease', applied_at: '1767225600.000' },
    ]);
    const before = await driver.query(
      "SELECT name FROM system.columns WHERE database = 'upgraded' AND name = 'registered_model'",
    );
    expect(before).toEqual([]);
    await driver.close();

    const store = await openClickHouseStore(openChdbDriver(dir), { layout: LAYOUT });
    try {
      await store.writeSpans([
        makeSpan({
          traceId: 'a'.repeat(32),
          spanId: '1'.repeat(16),
          startMs: START_MS,
          durationMs: 300,
          model: 'gpt-4o',
          registeredModel: 'iris-classifier/2',
        }),
        makeSpan({
          traceId: 'b'.repeat(32),
          spanId: '2'.repeat(16),
          startMs: START_MS + 1000,
          durationMs: 200,
          model: 'gpt-4o',
        }),
      ]);
      // A three-day window reads the rollup, which the recreated view filled.
      const query = {
        projectId: 'default',
        fromUnixMs: START_MS - DAY_MS,
        toUnixMs: START_MS + 2 * DAY_MS,
        filters: {},
      };
      const groups = await store.summary(query, 'registeredModel');
      const requests = Object.fromEntries(groups.map((group) => [group.key, group.requests]));
      expect(requests).toEqual({ null: 1, 'iris-classifier/2': 1 });
      const filtered = await store.summary(
        { ...query, filters: { registeredModel: 'iris-classifier/2' } },
        'model',
      );
      expect(filtered.map((group) => group.requests)).toEqual([1]);
    } finally {
      await store.close();
    }
  });
});
