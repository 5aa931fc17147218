import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { MIGRATE_OPTIONS, runMigrateCommand } from '../../src/store/clickhouse/migrate-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'foghorn-migrate-'));

async function migrate(argv: string[]): Promise<{ code: number; output: string }> {
  const options = parseOptions(MIGRATE_OPTIONS, argv, {}, () => undefined);
  let output = '';
  const code = await runMigrateCommand(options, (text) => {
    output += text;
  });
  return { code, output };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('foghorn migrate', () => {
  it('prints cluster DDL without connecting', async () => {
    const { code, output } = await migrate([
      '--print-ddl',
      '--cluster',
      'prod',
      '--ttl-days',
      '30',
      '--store',
      'clickhouse://u:secret@127.0.0.1:1/obs',
    ]);
    expect(code).toBe(0);
    expect(output).toContain('CREATE TABLE IF NOT EXISTS obs.spans_local ON CLUSTER prod');
    expect(output).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/obs/spans_local', '{replica}')",
    );
    expect(output).toContain(
      'ENGINE = Distributed(prod, obs, spans_local, cityHash64(project_id, trace_id))',
    );
    expect(output).toContain('TO obs.span_rollup_1m_local');
    expect(output).toContain(
      'ALTER TABLE obs.spans_local ON CLUSTER prod ADD COLUMN IF NOT EXISTS attributes_map Map(LowCardinality(String), String)',
    );
    expect(output).toContain(
      'ALTER TABLE obs.spans ON CLUSTER prod ADD COLUMN IF NOT EXISTS attributes_map Map(LowCardinality(String), String)',
    );
    expect(output).toContain('TTL toDateTime(start_time) + INTERVAL 30 DAY DELETE');
    expect(output).not.toContain('secret');
  });

  it('applies the schema once, then reports nothing to do', async () => {
    const store = `chdb://${dir}?database=migrated`;
    const first = await migrate(['--store', store]);
    expect(first.code).toBe(0);
    expect(first.output).toContain('version 1: applied');
    const second = await migrate(['--store', store]);
    expect(second.code).toBe(0);
    expect(second.output).toContain('version 1: already applied');
    expect(second.output).toContain('nothing to do: the schema is up to date');
  });

  it('rejects the DuckDB store', async () => {
    const { code, output } = await migrate(['--store', 'duckdb']);
    expect(code).toBe(2);
    expect(output).toContain('--store must name a ClickHouse store');
  });
});
