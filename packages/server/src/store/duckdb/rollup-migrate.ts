import type { DuckDBConnection } from '@duckdb/node-api';
import { HOUR_GRAIN, MINUTE_GRAIN } from './rollup-schema.ts';

const ROLLUP_TABLES = [
  MINUTE_GRAIN.sumsTable,
  MINUTE_GRAIN.latencyTable,
  HOUR_GRAIN.sumsTable,
  HOUR_GRAIN.latencyTable,
];

/** Columns every current rollup table has; a table without one of them is from an earlier layout. */
const REQUIRED_COLUMNS = ['period_start_ns', 'project_id', 'registered_model'];

/**
 * Drops rollup tables written by an earlier layout (without `period_start_ns`,
 * `project_id` or `registered_model`). Rollups are derived data: the tables are created again and rebuilt from
 * the spans on open.
 */
export async function dropOutdatedRollupTables(connection: DuckDBConnection): Promise<void> {
  const names = ROLLUP_TABLES.map((table) => `'${table}'`).join(', ');
  const required = REQUIRED_COLUMNS.map((column) => `'${column}'`).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT t.table_name FROM information_schema.tables AS t WHERE t.table_name IN (${names})
       AND (SELECT count(DISTINCT c.column_name) FROM information_schema.columns AS c
            WHERE c.table_name = t.table_name AND c.column_name IN (${required})) < ${REQUIRED_COLUMNS.length}`,
  );
  const outdated = reader.getRows().map(([table]) => String(table));
  if (outdated.length === 0) return;
  // Every rollup table goes, so the rebuild on open sees them all empty.
  for (const table of ROLLUP_TABLES) await connection.run(`DROP TABLE IF EXISTS ${table}`);
}
