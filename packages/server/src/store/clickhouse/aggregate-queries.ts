import { planAggregate } from '../duckdb/rollup-query.ts';
import type { GroupBy, LlmQuery, SummaryGroup, TimeseriesSeries } from '../store.ts';
import type { ClickHouseDriver, Row } from './driver.ts';
import { tableName, type ClickHouseLayout } from './layout.ts';
import { buildRollupAggregateSql, withPercentiles } from './rollup-query.ts';
import { AGGREGATE_SELECT, GROUP_COLUMNS, Params, bucketNanosSql, buildWhere } from './sql.ts';
import { nanos, strOrNull, toAggregate } from './values.ts';

const NANOS_PER_MS = 1_000_000n;
const SUMMARY_ORDER = 'ORDER BY requests DESC, key ASC NULLS LAST';
const SERIES_ORDER = 'ORDER BY key ASC NULLS LAST, toInt64(bucket_ns)';

/**
 * Reads an aggregate from the source the DuckDB backend would pick for the same query
 * (raw spans for windows up to 48 hours, rollups beyond), so both backends return the
 * same numbers, percentiles included.
 */
async function readAggregateRows(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number | null,
  order: string,
): Promise<Row[]> {
  const spansTable = tableName(layout, 'spans');
  if (planAggregate(query, stepMs, groupBy) !== 'spans') {
    const rollupTable = tableName(layout, 'span_rollup_1m');
    const rollup = buildRollupAggregateSql(query, groupBy, stepMs, rollupTable, spansTable, order);
    return (await driver.query(rollup.sql, rollup.params.values)).map(withPercentiles);
  }
  const params = new Params();
  const where = buildWhere(query, true, params);
  const key = groupBy === null ? 'CAST(NULL AS Nullable(String))' : GROUP_COLUMNS[groupBy];
  const bucket =
    stepMs === null ? '0' : bucketNanosSql('start_time', BigInt(stepMs) * NANOS_PER_MS);
  const sql = `SELECT ${key} AS key, toString(${bucket}) AS bucket_ns, ${AGGREGATE_SELECT}
    FROM ${spansTable} WHERE ${where} GROUP BY key${stepMs === null ? '' : `, ${bucket}`} ${order}`;
  return driver.query(sql, params.values);
}

/** Computes the LLM summary per group. */
export async function selectSummary(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  query: LlmQuery,
  groupBy: GroupBy,
): Promise<SummaryGroup[]> {
  const rows = await readAggregateRows(driver, layout, query, groupBy, null, SUMMARY_ORDER);
  return rows.map((row) => ({ key: strOrNull(row.key), ...toAggregate(row) }));
}

/** Computes the LLM time series per group and bucket of `stepMs`. */
export async function selectTimeseries(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<TimeseriesSeries[]> {
  const rows = await readAggregateRows(driver, layout, query, groupBy, stepMs, SERIES_ORDER);
  const byKey = new Map<string | null, TimeseriesSeries>();
  for (const row of rows) {
    const key = strOrNull(row.key);
    const series = byKey.get(key) ?? { key, points: [] };
    byKey.set(key, series);
    series.points.push({ t: Number(nanos(row.bucket_ns) / NANOS_PER_MS), ...toAggregate(row) });
  }
  return [...byKey.values()];
}
