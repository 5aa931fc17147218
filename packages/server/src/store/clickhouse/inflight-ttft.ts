import type { GroupBy, InflightSeries, LlmQuery, TtftSeries } from '../store.ts';
import type { ClickHouseDriver } from './driver.ts';
import {
  GROUP_COLUMNS,
  Params,
  bucketNanosSql,
  buildWhere,
  exactQuantileSql,
  unixNanoOfMs,
} from './sql.ts';
import { nanos, num, numOrNull, strOrNull } from './values.ts';

const NANOS_PER_MS = 1_000_000n;
/** Calls that started this long before the window and are still running count as in flight. */
const LONG_CALL_MARGIN_MS = 3_600_000;

/**
 * Computes the average number of LLM calls in flight per bucket: the summed overlap of
 * every call with the bucket divided by the bucket length. Each call is expanded into the
 * buckets it overlaps; calls that started up to an hour before the window are included.
 */
export async function selectInflightFromSpans(
  driver: ClickHouseDriver,
  spansTable: string,
  query: LlmQuery,
  stepMs: number,
): Promise<InflightSeries['points']> {
  const stepNs = BigInt(stepMs) * NANOS_PER_MS;
  const fromNs = unixNanoOfMs(query.fromUnixMs);
  const toNs = unixNanoOfMs(query.toUnixMs);
  const firstBucketNs = (fromNs / stepNs) * stepNs;
  const params = new Params();
  const where = buildWhere(
    { ...query, fromUnixMs: query.fromUnixMs - LONG_CALL_MARGIN_MS },
    true,
    params,
  );
  const sql = `SELECT toString(bucket_start_ns) AS bucket_ns,
      sum(least(end_ns, bucket_start_ns + ${stepNs}) - greatest(start_ns, bucket_start_ns)) AS busy_ns
    FROM (
      SELECT toUnixTimestamp64Nano(start_time) AS start_ns, toUnixTimestamp64Nano(end_time) AS end_ns,
        arrayJoin(range(
          toUInt64(intDiv(greatest(start_ns, ${firstBucketNs}) - ${firstBucketNs}, ${stepNs})),
          toUInt64(intDiv(least(end_ns, ${toNs}) - ${firstBucketNs} + ${stepNs} - 1, ${stepNs}))
        )) AS bucket_index,
        ${firstBucketNs} + toInt64(bucket_index) * ${stepNs} AS bucket_start_ns
      FROM ${spansTable}
      WHERE ${where} AND end_time > ${params.time(fromNs)})
    GROUP BY bucket_start_ns ORDER BY bucket_start_ns`;
  const rows = await driver.query(sql, params.values);
  return rows.map((row) => ({
    t: Number(nanos(row.bucket_ns) / NANOS_PER_MS),
    inflight: num(row.busy_ns) / Number(stepNs),
  }));
}

/** Computes time to first token p50 and p95 per bucket and group, over calls that report it. */
export async function selectTimeToFirstToken(
  driver: ClickHouseDriver,
  spansTable: string,
  query: LlmQuery,
  groupBy: GroupBy | null,
  stepMs: number,
): Promise<TtftSeries[]> {
  const params = new Params();
  const where = buildWhere(query, true, params);
  const bucket = bucketNanosSql('start_time', BigInt(stepMs) * NANOS_PER_MS);
  const key = groupBy === null ? 'CAST(NULL AS Nullable(String))' : GROUP_COLUMNS[groupBy];
  const sql = `SELECT ${key} AS key, ${bucket} AS bucket_start_ns, toString(bucket_start_ns) AS bucket_ns,
      count() AS requests, ${exactQuantileSql('ttft_ms', 0.5)} AS p50,
      ${exactQuantileSql('ttft_ms', 0.95)} AS p95
    FROM ${spansTable} WHERE ${where} AND ttft_ms IS NOT NULL
    GROUP BY key, bucket_start_ns ORDER BY key ASC NULLS LAST, bucket_start_ns`;
  const rows = await driver.query(sql, params.values);
  const byKey = new Map<string | null, TtftSeries>();
  for (const row of rows) {
    const keyValue = strOrNull(row.key);
    const series = byKey.get(keyValue) ?? { key: keyValue, points: [] };
    byKey.set(keyValue, series);
    series.points.push({
      t: Number(nanos(row.bucket_ns) / NANOS_PER_MS),
      requests: num(row.requests),
      p50: numOrNull(row.p50),
      p95: numOrNull(row.p95),
    });
  }
  return [...byKey.values()];
}
