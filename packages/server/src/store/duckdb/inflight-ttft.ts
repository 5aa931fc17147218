import type { DuckDBConnection } from '@duckdb/node-api';
import type { GroupBy, InflightSeries, LlmQuery, TtftSeries } from '../store.ts';
import { num, numOrNull, strOrNull, type Row } from './rows.ts';
import { GROUP_COLUMNS, buildWhere } from './sql.ts';

const NANOS_PER_MS = 1_000_000n;
/** Calls that started this long before the window and are still running count as in flight. */
const LONG_CALL_MARGIN_NS = 3_600_000_000_000n;

async function readRows(
  connection: DuckDBConnection,
  sql: string,
  params: (string | bigint)[],
): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjects() as Row[];
}

/**
 * Computes the average number of LLM calls in flight per bucket: the summed overlap of
 * every call with the bucket divided by the bucket length. Calls that started up to an
 * hour before the window are included.
 */
export async function selectInflightFromSpans(
  connection: DuckDBConnection,
  query: LlmQuery,
  stepMs: number,
): Promise<InflightSeries['points']> {
  const stepNs = BigInt(stepMs) * NANOS_PER_MS;
  const fromNs = BigInt(query.fromUnixMs) * NANOS_PER_MS;
  const toNs = BigInt(query.toUnixMs) * NANOS_PER_MS;
  const firstBucketNs = (fromNs / stepNs) * stepNs;
  const where = buildWhere(
    { ...query, fromUnixMs: query.fromUnixMs - Number(LONG_CALL_MARGIN_NS / NANOS_PER_MS) },
    true,
  );
  const sql = `WITH buckets AS (
      SELECT range AS bucket_ns, range + ${stepNs} AS bucket_end_ns
      FROM range(${firstBucketNs}::BIGINT, ${toNs}::BIGINT, ${stepNs}::BIGINT)),
    calls AS (SELECT start_ns, end_ns FROM spans WHERE ${where.sql} AND end_ns > ${fromNs})
    SELECT bucket_ns,
      sum(least(end_ns, bucket_end_ns) - greatest(start_ns, bucket_ns)) AS busy_ns
    FROM buckets JOIN calls ON calls.start_ns < buckets.bucket_end_ns AND calls.end_ns > buckets.bucket_ns
    GROUP BY bucket_ns ORDER BY bucket_ns`;
  const rows = await readRows(connection, sql, where.params);
  return rows.map((row) => ({
    t: Number(BigInt(row.bucket_ns as bigint) / NANOS_PER_MS),
    inflight: num(row.busy_ns ?? null) / Number(stepNs),
  }));
}

/** Computes time to first token p50 and p95 per bucket and group, over calls that report it. */
export async function selectTimeToFirstToken(
  connection: DuckDBConnection,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<TtftSeries[]> {
  const where = buildWhere(query, true);
  const stepNs = BigInt(stepMs) * NANOS_PER_MS;
  const key = groupBy === null ? 'NULL' : GROUP_COLUMNS[groupBy];
  const sql = `SELECT ${key} AS key, (start_ns // ${stepNs}) * ${stepNs} AS bucket_ns, count(*) AS requests,
      quantile_cont(ttft_ms, 0.5) AS p50, quantile_cont(ttft_ms, 0.95) AS p95
    FROM spans WHERE ${where.sql} AND ttft_ms IS NOT NULL
    GROUP BY key, bucket_ns ORDER BY key NULLS LAST, bucket_ns`;
  const rows = await readRows(connection, sql, where.params);
  const byKey = new Map<string | null, TtftSeries>();
  for (const row of rows) {
    const keyValue = strOrNull(row.key ?? null);
    const series = byKey.get(keyValue) ?? { key: keyValue, points: [] };
    byKey.set(keyValue, series);
    series.points.push({
      t: Number(BigInt(row.bucket_ns as bigint) / NANOS_PER_MS),
      requests: num(row.requests ?? null),
      p50: numOrNull(row.p50 ?? null),
      p95: numOrNull(row.p95 ?? null),
    });
  }
  return [...byKey.values()];
}
