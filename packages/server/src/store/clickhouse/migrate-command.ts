import type { OptionSpec, ParsedOptions } from '../../cli/options.ts';
import { checkIdentifier, type ClickHouseLayout } from './layout.ts';
import { migrateSchema, schemaDdl } from './migrations.ts';
import { openDriverFor } from './open-store.ts';
import { parseStoreUrl, redactStoreUrl, type StoreLocation } from './store-url.ts';

/** Options of `foghorn migrate`. */
export const MIGRATE_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'store',
    env: 'FOGHORN_STORE',
    kind: 'string',
    defaultValue: null,
    description:
      'ClickHouse to migrate: clickhouse://user:pass@host:8123/db (clickhouses:// for HTTPS) or chdb:///dir?database=db',
  },
  {
    name: 'cluster',
    env: 'FOGHORN_CLICKHOUSE_CLUSTER',
    kind: 'string',
    defaultValue: null,
    description:
      'Cluster name from remote_servers: emit ReplicatedMergeTree tables ON CLUSTER with Distributed tables over them',
  },
  {
    name: 'ttl-days',
    env: 'FOGHORN_CLICKHOUSE_TTL_DAYS',
    kind: 'integer',
    defaultValue: null,
    min: 1,
    description:
      'Days after which ClickHouse TTL merges drop spans, logs, metric points and rollups; unset keeps them',
  },
  {
    name: 'print-ddl',
    kind: 'boolean',
    defaultValue: false,
    description: 'Print the DDL of the newest schema and exit without connecting',
  },
]);

function layoutFrom(options: ParsedOptions, location: StoreLocation | null): ClickHouseLayout {
  const database = location !== null && location.kind !== 'duckdb' ? location.database : 'foghorn';
  const fromUrl = location !== null && location.kind === 'clickhouse' ? location.cluster : null;
  const cluster = options.cluster === null ? fromUrl : String(options.cluster);
  return {
    database,
    cluster: cluster === null ? null : checkIdentifier('--cluster', cluster),
  };
}

/** Runs `foghorn migrate`: prints the DDL, or creates or upgrades the schema and prints what it applied. */
export async function runMigrateCommand(
  options: ParsedOptions,
  write: (text: string) => void,
): Promise<number> {
  const ttlDays = options['ttl-days'] === null ? null : Number(options['ttl-days']);
  const raw = options.store === null ? null : String(options.store);
  const location = raw === null ? null : parseStoreUrl(raw);
  if (options['print-ddl'] === true) {
    write(`${schemaDdl(layoutFrom(options, location), { ttlDays }).join(';\n\n')};\n`);
    return 0;
  }
  if (location === null || location.kind === 'duckdb') {
    write(
      'foghorn migrate: --store must name a ClickHouse store (clickhouse://... or chdb://...); the DuckDB file migrates itself on start\n',
    );
    return 2;
  }
  const driver = openDriverFor(location)!;
  try {
    const report = await migrateSchema(driver, layoutFrom(options, location), { ttlDays });
    write(`Schema of ${redactStoreUrl(raw!)}:\n`);
    for (const version of report.alreadyAppliedVersions)
      write(`  version ${version}: already applied\n`);
    for (const migration of report.applied)
      write(`  version ${migration.version}: applied (${migration.name})\n`);
    if (report.applied.length === 0) write('  nothing to do: the schema is up to date\n');
    return 0;
  } finally {
    await driver.close();
  }
}
