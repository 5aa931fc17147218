import type { ClickHouseDriver } from './driver.ts';
import type { FilledTraces } from './inherit-attribution.ts';
import { mutationTarget, tableName, type ClickHouseLayout } from './layout.ts';
import { ROLLUP_SELECT } from './rollup-sql.ts';
import { Params } from './sql.ts';
import { str } from './values.ts';

const MINUTE_NS = 60_000_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;

function floorTo(timeNs: bigint, periodNs: bigint): bigint {
  return timeNs - (((timeNs % periodNs) + periodNs) % periodNs);
}

/** Deletes the rollup rows matching `rollupWhere`, then inserts rows recomputed from the spans matching `spanWhere`. */
async function replaceRollupRows(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  rollupWhere: (params: Params) => string,
  spanWhere: (params: Params) => string,
): Promise<void> {
  const deleteParams = new Params();
  // A lightweight DELETE in patch-part mode marks the rows in a small patch part instead of
  // rewriting the parts; the rows inserted next are not affected by it.
  await driver.command(
    `DELETE FROM ${mutationTarget(layout, 'span_rollup_1m')} WHERE ${rollupWhere(deleteParams)}
     SETTINGS lightweight_delete_mode = 'lightweight_update'`,
    deleteParams.values,
  );
  const insertParams = new Params();
  await driver.command(
    `INSERT INTO ${tableName(layout, 'span_rollup_1m')}
     ${ROLLUP_SELECT} FROM ${tableName(layout, 'spans')}
     WHERE is_llm_call AND ${spanWhere(insertParams)} GROUP BY ALL`,
    insertParams.values,
  );
}

/**
 * Replaces the rollup rows of the minutes overlapping [fromNs, toNs) with rows recomputed
 * from the spans table. The materialized view runs on inserts only, so every later change of
 * stored LLM calls (inherited attribution, re-pricing, deletion) ends with a rebuild.
 */
export function rebuildRollupRange(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  fromNs: bigint,
  toNs: bigint,
): Promise<void> {
  const lowNs = floorTo(fromNs, MINUTE_NS);
  const highNs = floorTo(toNs - 1n, MINUTE_NS) + MINUTE_NS;
  const seconds = (timeNs: bigint, params: Params): string =>
    `toDateTime(${params.add(String(timeNs / NANOS_PER_SECOND), 'Int64')}, 'UTC')`;
  return replaceRollupRows(
    driver,
    layout,
    (params) =>
      `period_start >= ${seconds(lowNs, params)} AND period_start < ${seconds(highNs, params)}`,
    (params) => `start_time >= ${params.time(lowNs)} AND start_time < ${params.time(highNs)}`,
  );
}

/** Rebuilds, in one delete and one insert, the rollup minutes holding LLM calls of traces whose attribution was just filled. */
export async function refreshFilledTraces(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  filled: FilledTraces,
): Promise<void> {
  const params = new Params();
  const rows = await driver.query(
    `SELECT DISTINCT toString(toUnixTimestamp(toStartOfMinute(start_time))) AS minute_s
     FROM ${tableName(layout, 'spans')}
     WHERE is_llm_call AND trace_id IN ${params.add(filled.traceIds, 'Array(String)')}
       AND start_time >= ${params.time(filled.fromUnixNano)} AND start_time <= ${params.time(filled.toUnixNano)}`,
    params.values,
  );
  const minutes = rows.map((row) => str(row.minute_s));
  if (minutes.length === 0) return;
  const inMinutes = (column: string, params: Params): string =>
    `toString(toUnixTimestamp(${column})) IN ${params.add(minutes, 'Array(String)')}`;
  await replaceRollupRows(
    driver,
    layout,
    (deleteParams) => inMinutes('period_start', deleteParams),
    (insertParams) =>
      `start_time >= ${insertParams.time(filled.fromUnixNano)} AND start_time <= ${insertParams.time(filled.toUnixNano)}
       AND ${inMinutes('toStartOfMinute(start_time)', insertParams)}`,
  );
}
