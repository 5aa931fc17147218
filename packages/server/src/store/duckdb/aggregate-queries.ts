import type { DuckDBConnection } from '@duckdb/node-api';
import type { GroupBy, LlmQuery, SummaryGroup, TimeseriesSeries } from '../store.ts';
import { buildRollupAggregateSql, type AggregatePlan } from './rollup-query.ts';
import { histogramGroupKey, percentilesByGroup } from './rollup-percentiles.ts';
import { strOrNull, toAggregate, type Row } from './rows.ts';
import { AGGREGATE_SELECT, GROUP_COLUMNS, buildWhere } from './sql.ts';

const NANOS_PER_MS = 1_000_000n;

/** The source of a summary or time series: raw spans (exact) or rollups (approximate percentiles). */
export type AggregateSource = AggregatePlan;

async function readRows(
  connection: DuckDBConnection,
  sql: string,
  params: (string | bigint)[],
): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjects() as Row[];
}

/** Reads the rollup sums and histograms and adds the percentiles to each row. */
async function readRollupRows(
  connection: DuckDBConnection,
  plan: Exclude<AggregatePlan, 'spans'>,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number | null,
  order: string,
): Promise<Row[]> {
  const rollup = buildRollupAggregateSql(query, groupBy, stepMs, plan);
  const totals = await readRows(connection, `${rollup.totals.sql} ${order}`, rollup.totals.params);
  const reader = await connection.runAndReadAll(rollup.histogram.sql, rollup.histogram.params);
  const [keys = [], bucketsMs = [], latencyBuckets = [], counts = []] = reader.getColumns();
  const percentiles = percentilesByGroup({ keys, bucketsMs, latencyBuckets, counts });
  return totals.map((row) => {
    const key = strOrNull(row.key ?? null);
    const groupKey = histogramGroupKey(key, Number(BigInt(row.bucket_ns as bigint) / NANOS_PER_MS));
    return { ...row, ...(percentiles.get(groupKey) ?? { p50: null, p95: null, p99: null }) };
  });
}

/** Computes the LLM summary per group from `source`. */
export async function selectSummary(
  connection: DuckDBConnection,
  source: AggregateSource,
  query: LlmQuery,
  groupBy: GroupBy,
): Promise<SummaryGroup[]> {
  const order = 'ORDER BY requests DESC, key NULLS LAST';
  let rows: Row[];
  if (source !== 'spans') {
    rows = await readRollupRows(connection, source, query, groupBy, null, order);
  } else {
    const where = buildWhere(query, true);
    const sql = `SELECT ${GROUP_COLUMNS[groupBy]} AS key, ${AGGREGATE_SELECT}
      FROM spans WHERE ${where.sql} GROUP BY key ${order}`;
    rows = await readRows(connection, sql, where.params);
  }
  return rows.map((row) => ({ key: strOrNull(row.key ?? null), ...toAggregate(row) }));
}

/** Computes the LLM time series per group and bucket of `stepMs` from `source`. */
export async function selectTimeseries(
  connection: DuckDBConnection,
  source: AggregateSource,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<TimeseriesSeries[]> {
  const order = 'ORDER BY key NULLS LAST, bucket_ns';
  let rows: Row[];
  if (source !== 'spans') {
    rows = await readRollupRows(connection, source, query, groupBy, stepMs, order);
  } else {
    const where = buildWhere(query, true);
    const stepNs = BigInt(stepMs) * NANOS_PER_MS;
    const keyColumn = groupBy === null ? 'NULL' : GROUP_COLUMNS[groupBy];
    const sql = `SELECT ${keyColumn} AS key, (start_ns // ${stepNs}) * ${stepNs} AS bucket_ns, ${AGGREGATE_SELECT}
      FROM spans WHERE ${where.sql} GROUP BY key, bucket_ns ${order}`;
    rows = await readRows(connection, sql, where.params);
  }
  return groupIntoSeries(rows);
}

function groupIntoSeries(rows: readonly Row[]): TimeseriesSeries[] {
  const byKey = new Map<string | null, TimeseriesSeries>();
  for (const row of rows) {
    const key = strOrNull(row.key ?? null);
    const series = byKey.get(key) ?? { key, points: [] };
    byKey.set(key, series);
    series.points.push({
      t: Number(BigInt(row.bucket_ns as bigint) / NANOS_PER_MS),
      ...toAggregate(row),
    });
  }
  return [...byKey.values()];
}
