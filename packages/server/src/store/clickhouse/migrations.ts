import { attributeMapSql } from './attribute-map-migration.ts';
import type { ClickHouseDriver } from './driver.ts';
import { leaseTableSql } from './lease-table.ts';
import { mutationTarget, onCluster, tableName, type ClickHouseLayout } from './layout.ts';
import { registeredModelSql } from './registered-model-migration.ts';
import { initialSchemaSql, type SchemaOptions } from './schema.ts';
import { createTableSql } from './table-ddl.ts';
import { num } from './values.ts';

/** One schema version: applied once, in version order, and recorded in `foghorn_migrations`. */
interface Migration {
  version: number;
  name: string;
  statements(layout: ClickHouseLayout, options: SchemaOptions): string[];
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'spans, per-minute rollups, log records, metric points, series states, erasure log',
    statements: initialSchemaSql,
  },
  {
    version: 2,
    name: 'leader lease; lightweight updates of spans and rollups',
    statements: (layout) => [
      ...leaseTableSql(layout),
      // Lightweight UPDATE and DELETE write patch parts instead of rewriting whole parts.
      ...['spans', 'span_rollup_1m'].map(
        (base) =>
          `ALTER TABLE ${mutationTarget(layout, base)} MODIFY SETTING enable_block_number_column = 1, enable_block_offset_column = 1`,
      ),
    ],
  },
  {
    version: 3,
    name: 'registered model column on spans and rollups',
    statements: registeredModelSql,
  },
  {
    version: 4,
    name: 'attribute maps on spans',
    statements: attributeMapSql,
  },
];

/** The newest schema version of this build. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The result of a migration run: the versions it applied and those already applied before. */
export interface MigrationReport {
  applied: { version: number; name: string }[];
  alreadyAppliedVersions: number[];
}

function bookkeepingSql(layout: ClickHouseLayout): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${layout.database}${onCluster(layout)}`,
    ...createTableSql(layout, {
      base: 'foghorn_migrations',
      columns: "version UInt32, name String, applied_at DateTime64(3, 'UTC')",
      engine: 'MergeTree',
      clauses: 'ORDER BY version',
      shardKey: 'version',
    }),
  ];
}

/** Every DDL statement of the newest schema, for review or for running by hand. */
export function schemaDdl(layout: ClickHouseLayout, options: SchemaOptions): string[] {
  return [
    ...bookkeepingSql(layout),
    ...MIGRATIONS.flatMap((migration) => migration.statements(layout, options)),
  ];
}

/**
 * Creates or upgrades the schema: applies each migration newer than the recorded ones and
 * records it. Every statement is idempotent (IF NOT EXISTS), so a run interrupted
 * between a statement and its record is repeated safely.
 */
export async function migrateSchema(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  options: SchemaOptions,
): Promise<MigrationReport> {
  for (const statement of bookkeepingSql(layout)) await driver.command(statement);
  const rows = await driver.query(
    `SELECT DISTINCT version FROM ${tableName(layout, 'foghorn_migrations')} ORDER BY version`,
  );
  const done = new Set(rows.map((row) => num(row.version)));
  const report: MigrationReport = { applied: [], alreadyAppliedVersions: [...done] };
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(layout, options)) await driver.command(statement);
    await driver.insert(tableName(layout, 'foghorn_migrations'), [
      {
        version: migration.version,
        name: migration.name,
        applied_at: (Date.now() / 1000).toFixed(3),
      },
    ]);
    report.applied.push({ version: migration.version, name: migration.name });
  }
  return report;
}
