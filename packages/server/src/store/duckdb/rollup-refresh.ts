import type { DuckDBConnection } from '@duckdb/node-api';
import {
  COST_DECIMAL,
  HOUR_GRAIN,
  HOUR_NS,
  LATENCY_BUCKET_SQL,
  MINUTE_GRAIN,
  MINUTE_NS,
  ROLLUP_DIMENSIONS,
  ROLLUP_MEASURES,
} from './rollup-schema.ts';
import { inTransaction } from './transaction.ts';

const DIMENSIONS = ROLLUP_DIMENSIONS.join(', ');

function floorTo(timeNs: bigint, periodNs: bigint): bigint {
  return timeNs - (((timeNs % periodNs) + periodNs) % periodNs);
}

/** Recomputes the minute rows of the spans passing `spanSql`. */
async function insertMinuteRows(connection: DuckDBConnection, spanSql: string): Promise<void> {
  const minute = `(start_ns // ${MINUTE_NS}) * ${MINUTE_NS}`;
  await connection.run(`INSERT INTO ${MINUTE_GRAIN.sumsTable}
    SELECT ${minute}, ${DIMENSIONS}, count(*), count(*) FILTER (WHERE error_type IS NOT NULL),
      sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
      sum(reasoning_tokens), sum(CAST(cost_usd AS ${COST_DECIMAL})), count(*) FILTER (WHERE cost_usd IS NULL)
    FROM spans WHERE is_llm_call AND ${spanSql} GROUP BY ALL`);
  await connection.run(`INSERT INTO ${MINUTE_GRAIN.latencyTable}
    SELECT ${minute}, ${DIMENSIONS}, ${LATENCY_BUCKET_SQL}, count(*)
    FROM spans WHERE is_llm_call AND ${spanSql} GROUP BY ALL`);
}

/** Recomputes the hour rows from the minute rows passing `minuteSql`. */
async function insertHourRows(connection: DuckDBConnection, minuteSql: string): Promise<void> {
  const hour = `(period_start_ns // ${HOUR_NS}) * ${HOUR_NS}`;
  const sums = ROLLUP_MEASURES.map((measure) => `sum(${measure})`).join(', ');
  await connection.run(`INSERT INTO ${HOUR_GRAIN.sumsTable}
    SELECT ${hour}, ${DIMENSIONS}, ${sums} FROM ${MINUTE_GRAIN.sumsTable} WHERE ${minuteSql} GROUP BY ALL`);
  await connection.run(`INSERT INTO ${HOUR_GRAIN.latencyTable}
    SELECT ${hour}, ${DIMENSIONS}, b, sum(n) FROM ${MINUTE_GRAIN.latencyTable} WHERE ${minuteSql} GROUP BY ALL`);
}

async function deleteRows(
  connection: DuckDBConnection,
  tables: readonly string[],
  sql: string,
): Promise<void> {
  for (const table of tables) await connection.run(`DELETE FROM ${table} WHERE ${sql}`);
}

const MINUTE_TABLES = [MINUTE_GRAIN.sumsTable, MINUTE_GRAIN.latencyTable];
const HOUR_TABLES = [HOUR_GRAIN.sumsTable, HOUR_GRAIN.latencyTable];

/**
 * Replaces the rollup rows of the whole hours overlapping [fromNs, toNs) in one transaction,
 * so a failed insert keeps the old rows and readers never see the hours empty.
 */
export function rebuildRollupWindow(
  connection: DuckDBConnection,
  fromNs: bigint,
  toNs: bigint,
): Promise<void> {
  return inTransaction(connection, () => replaceRollupRows(connection, fromNs, toNs));
}

/** Replaces the rollup rows of the whole hours overlapping [fromNs, toNs) in the open transaction. */
export async function replaceRollupRows(
  connection: DuckDBConnection,
  fromNs: bigint,
  toNs: bigint,
): Promise<void> {
  const lowNs = floorTo(fromNs, HOUR_NS);
  const highNs = floorTo(toNs - 1n, HOUR_NS) + HOUR_NS;
  const periodSql = `period_start_ns >= ${lowNs} AND period_start_ns < ${highNs}`;
  await deleteRows(connection, [...MINUTE_TABLES, ...HOUR_TABLES], periodSql);
  await insertMinuteRows(connection, `start_ns >= ${lowNs} AND start_ns < ${highNs}`);
  await insertHourRows(connection, periodSql);
}

/** Builds the rollups of every stored span when the rollup tables are empty but spans exist. */
export async function backfillRollupsIfEmpty(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM ${MINUTE_GRAIN.sumsTable}) AS rollups,
            (SELECT min(start_ns) FROM spans WHERE is_llm_call) AS low_ns,
            (SELECT max(start_ns) FROM spans WHERE is_llm_call) AS high_ns`,
  );
  const [rollups, lowNs, highNs] = reader.getRows()[0] ?? [];
  if (Number(rollups) > 0 || lowNs === null || highNs === null) return;
  await rebuildRollupWindow(connection, BigInt(lowNs as bigint), BigInt(highNs as bigint) + 1n);
}
