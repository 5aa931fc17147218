import type { DuckDBInstance } from '@duckdb/node-api';
import type {
  BadCallGroup,
  BadCallPredicate,
  SpanMetricGroup,
  SpanMetricQuery,
  SpanMetrics,
} from '../../../alerts/alert-store.ts';
import { GROUP_COLUMNS, buildWhere } from '../sql.ts';
import { spansVisible } from '../span-visibility.ts';
import {
  SerialConnection,
  toNumber,
  toNumberOrNull,
  toStringOrNull,
  type Row,
  type RunFunctions,
} from './serial-connection.ts';

const NANOS_PER_MS = 1_000_000n;
/** Calls longer than this are not counted as in flight when they started before the window. */
const MAX_INFLIGHT_LOOKBACK_MS = 15 * 60_000;

/** Opens the span metrics that the alert rules need beyond the store's summary. */
export async function openDuckDbSpanMetrics(instance: DuckDBInstance): Promise<SpanMetrics> {
  return new DuckDbSpanMetrics(new SerialConnection(await instance.connect()), instance);
}

class DuckDbSpanMetrics implements SpanMetrics {
  constructor(
    private readonly db: SerialConnection,
    private readonly instance: DuckDBInstance,
  ) {}

  /** Reads once every acknowledged span is committed. */
  private async read<T>(work: (run: RunFunctions) => Promise<T>): Promise<T> {
    await spansVisible(this.instance);
    return this.db.exclusive(work);
  }

  slowCalls(query: SpanMetricQuery, thresholdMs: number): Promise<SpanMetricGroup[]> {
    const where = buildWhere(query, true);
    const sql = `SELECT ${keyColumn(query)} AS key, count(*) AS requests,
        count(*) FILTER (WHERE duration_ms > ${Number(thresholdMs)}) AS value
      FROM spans WHERE ${where.sql} GROUP BY key`;
    return this.groups(sql, where.params);
  }

  ttftQuantile(query: SpanMetricQuery, quantile: number): Promise<SpanMetricGroup[]> {
    const where = buildWhere(query, true);
    const sql = `SELECT ${keyColumn(query)} AS key, count(*) AS requests,
        quantile_cont(ttft_ms, ${Number(quantile)}) AS value
      FROM spans WHERE ${where.sql} AND ttft_ms IS NOT NULL GROUP BY key`;
    return this.groups(sql, where.params);
  }

  /** Average concurrency by Little's law: the summed overlap of each call with the window, divided by the window. */
  inflight(query: SpanMetricQuery): Promise<SpanMetricGroup[]> {
    const lookback = { ...query, fromUnixMs: query.fromUnixMs - MAX_INFLIGHT_LOOKBACK_MS };
    const where = buildWhere(lookback, true);
    const fromNs = BigInt(query.fromUnixMs) * NANOS_PER_MS;
    const toNs = BigInt(query.toUnixMs) * NANOS_PER_MS;
    const windowNs = toNs - fromNs;
    const sql = `SELECT ${keyColumn(query)} AS key, count(*) AS requests,
        sum(least(end_ns, ${toNs}) - greatest(start_ns, ${fromNs}))::DOUBLE / ${windowNs} AS value
      FROM spans WHERE ${where.sql} AND end_ns > ${fromNs} GROUP BY key`;
    return this.groups(sql, where.params);
  }

  badCallWindows(
    query: SpanMetricQuery,
    windowsMs: readonly number[],
    bad: BadCallPredicate,
  ): Promise<BadCallGroup[]> {
    const where = buildWhere(query, true);
    const badSql = badPredicateSql(bad, where.params);
    const columns = windowsMs.map((windowMs, index) => {
      const fromNs = BigInt(query.toUnixMs - windowMs) * NANOS_PER_MS;
      return `count(*) FILTER (WHERE start_ns >= ${fromNs}) AS requests_${index},
        count(*) FILTER (WHERE start_ns >= ${fromNs} AND ${badSql}) AS bad_${index}`;
    });
    const sql = `SELECT ${keyColumn(query)} AS key, ${columns.join(', ')} FROM spans WHERE ${where.sql} GROUP BY key`;
    return this.read(async (run) =>
      (await run.read(sql, where.params)).map((row) => ({
        key: toStringOrNull(row.key),
        windows: windowsMs.map((_windowMs, index) => ({
          requests: toNumber(row[`requests_${index}`]),
          bad: toNumber(row[`bad_${index}`]),
        })),
      })),
    );
  }

  async dataStartMs(projectId: string): Promise<number | null> {
    const rows = await this.read<Row[]>((run) =>
      run.read('SELECT min(start_ns) AS start_ns FROM spans WHERE project_id = $1', [projectId]),
    );
    const startNs = rows[0]?.start_ns;
    return startNs === null || startNs === undefined
      ? null
      : Number(BigInt(startNs as bigint) / NANOS_PER_MS);
  }

  private groups(sql: string, params: (string | bigint)[]): Promise<SpanMetricGroup[]> {
    return this.read(async (run) => (await run.read(sql, params)).map(toGroup));
  }
}

function badPredicateSql(bad: BadCallPredicate, params: (string | bigint)[]): string {
  if (bad.kind === 'slow') return `duration_ms > ${Number(bad.slowerThanMs)}`;
  if (bad.errorType === null) return 'error_type IS NOT NULL';
  params.push(bad.errorType);
  return `error_type = $${params.length}`;
}

function keyColumn(query: SpanMetricQuery): string {
  return query.groupBy === null ? 'NULL' : GROUP_COLUMNS[query.groupBy];
}

function toGroup(row: Row): SpanMetricGroup {
  return {
    key: toStringOrNull(row.key),
    requests: toNumber(row.requests),
    value: toNumberOrNull(row.value),
  };
}
