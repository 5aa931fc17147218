import type { DuckDBConnection } from '@duckdb/node-api';
import { HOUR_GRAIN, MINUTE_GRAIN } from './rollup-schema.ts';

const ROLLUP_TABLES = [
  MINUTE_GRAIN.sumsTable,
  MINUTE_GRAIN.latencyTable,
  HOUR_GRAIN.sumsTable,
  HOUR_GRAIN.latencyTable,
];

/**
 * Drops rollup tables written by an earlier layout (without `period_start_ns`). Rollups
 * are derived data: the tables are created again and rebuilt from the spans on open.
 */
export async function dropOutdatedRollupTables(connection: DuckDBConnection): Promise<void> {
  const names = ROLLUP_TABLES.map((table) => `'${table}'`).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM information_schema.tables WHERE table_name IN (${names})
       AND table_name NOT IN (SELECT table_name FROM information_schema.columns WHERE column_name = 'period_start_ns')`,
  );
  const outdated = reader.getRows().map(([table]) => String(table));
  if (outdated.length === 0) return;
  // Every rollup table goes, so the rebuild on open sees them all empty.
  for (const table of ROLLUP_TABLES) await connection.run(`DROP TABLE IF EXISTS ${table}`);
}
