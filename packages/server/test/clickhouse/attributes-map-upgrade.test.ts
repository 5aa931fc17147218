import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openChdbDriver } from '../../src/store/clickhouse/chdb-driver.ts';
import { openClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.ts';
import { schemaDdl } from '../../src/store/clickhouse/migrations.ts';
import { makeSpan } from '../api/span-factory.ts';

const LAYOUT = { database: 'upgraded_maps', cluster: null };
const START_MS = Date.UTC(2026, 2, 3, 10, 0, 0);
const OLD_TRACE_ID = 'd'.repeat(32);
const NEW_TRACE_ID = 'e'.repeat(32);

/** The DDL of schema version 3: today's DDL before version 4, without the map columns. */
function version3Ddl(): string[] {
  const statements = schemaDdl(LAYOUT, { ttlDays: null });
  const firstOfVersion4 = statements.findIndex((sql) =>
    sql.includes('ADD COLUMN IF NOT EXISTS attributes_map'),
  );
  return statements
    .slice(0, firstOfVersion4)
    .map((sql) =>
      sql.replace(
        /, attributes_map Map\([^)]*\), String\), resource_attributes_map Map\([^)]*\), String\)/,
        '',
      ),
    );
}

function spanOf(traceId: string, spanId: string, startMs: number): ReturnType<typeof makeSpan> {
  return makeSpan({
    traceId,
    spanId,
    startMs,
    durationMs: 300,
    model: 'gpt-4o',
    attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.output_tokens': 42 },
  });
}

describe('ClickHouse upgrade to attribute maps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-ch-map-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies version 4 to a version 3 schema', async () => {
    const driver = openChdbDriver(dir);
    for (const sql of version3Ddl()) await driver.command(sql);
    await driver.insert(
      'upgraded_maps.foghorn_migrations',
      [1, 2, 3].map((version) => ({
        version,
        name: `version ${version}`,
        applied_at: '1767225600.000',
      })),
    );
    const before = await driver.query(
      "SELECT name FROM system.columns WHERE database = 'upgraded_maps' AND name LIKE '%attributes_map'",
    );
    expect(before).toEqual([]);
    await driver.insert('upgraded_maps.spans', [
      {
        project_id: 'default',
        trace_id: OLD_TRACE_ID,
        span_id: '4'.repeat(16),
        name: 'chat gpt-4o',
        start_time: '1772532000.000000000',
        end_time: '1772532000.300000000',
        attributes: '{"gen_ai.request.model":"gpt-4o"}',
        resource_attributes: '{}',
        events: '[]',
      },
    ]);
    await driver.close();

    const store = await openClickHouseStore(openChdbDriver(dir), { layout: LAYOUT });
    const reader = openChdbDriver(dir);
    try {
      await store.writeSpans([spanOf(NEW_TRACE_ID, '5'.repeat(16), START_MS + 1000)]);
      const rows = await reader.query(
        `SELECT trace_id, attributes_map['gen_ai.request.model'] AS model,
           toInt64OrNull(attributes_map['gen_ai.usage.output_tokens']) AS output_tokens,
           length(resource_attributes_map) AS resource_keys
         FROM upgraded_maps.spans ORDER BY trace_id`,
      );
      expect(rows).toEqual([
        { trace_id: OLD_TRACE_ID, model: '', output_tokens: null, resource_keys: 0 },
        { trace_id: NEW_TRACE_ID, model: 'gpt-4o', output_tokens: 42, resource_keys: 1 },
      ]);
      const [old] = await store.getTrace('default', OLD_TRACE_ID);
      expect(old!.attributes).toEqual({ 'gen_ai.request.model': 'gpt-4o' });
      const versions = await reader.query(
        'SELECT version FROM upgraded_maps.foghorn_migrations ORDER BY version',
      );
      expect(versions.map((row) => row.version)).toEqual([1, 2, 3, 4]);
    } finally {
      await reader.close();
      await store.close();
    }
  });
});
