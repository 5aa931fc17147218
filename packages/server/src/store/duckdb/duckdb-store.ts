import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import type { StoredLogRecord } from '../../logs/log-record.ts';
import type { SeriesState } from '../../metrics/cumulative-to-delta.ts';
import type { MetricPoint } from '../../metrics/metric-point.ts';
import type {
  Dimensions,
  Filters,
  GroupBy,
  LlmQuery,
  Store,
  SummaryGroup,
  TimeWindow,
  TimeseriesSeries,
  TraceListItem,
} from '../store.ts';
import { num, numOrNull, strOrNull, toAggregate, toCanonicalSpan, type Row } from './rows.ts';
import { LOGS_SCHEMA, insertLogRecords, selectTraceLogs } from './logs-table.ts';
import {
  METRICS_SCHEMA,
  countMetricPoints,
  insertMetricPoints,
  loadSeriesStates,
  selectMetricPoints,
} from './metrics-table.ts';
import { SCHEMA_STATEMENTS } from './schema.ts';
import { SerialQueue } from './serial.ts';
import { SpanWriter } from './span-writer.ts';
import { AGGREGATE_SELECT, GROUP_COLUMNS, buildWhere } from './sql.ts';

const NANOS_PER_MS = 1_000_000n;
const DIMENSION_LIMIT = 500;

/** The file name of the store inside the data directory. */
export const DUCKDB_FILE_NAME = 'foghorn.duckdb';

/** Instances opened by this process, by path: a second instance on one file loses data. */
const openPaths = new Set<string>();

/** Opens (and creates when missing) the DuckDB store in `dataDir`. */
export interface DuckDbStoreOptions {
  /** Spans allowed to wait for a commit before writes are rejected. */
  maxQueuedSpans?: number;
}

export async function openDuckDbStore(
  dataDir: string,
  options: DuckDbStoreOptions = {},
): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DUCKDB_FILE_NAME);
  if (openPaths.has(path)) {
    throw new Error(
      `the DuckDB file ${path} is already open in this process; open it once and share the store`,
    );
  }
  const instance = await DuckDBInstance.create(path);
  openPaths.add(path);
  const writeConnection = await instance.connect();
  for (const statement of [...SCHEMA_STATEMENTS, ...METRICS_SCHEMA, ...LOGS_SCHEMA]) {
    await writeConnection.run(statement);
  }
  const readConnection = await instance.connect();
  const signalConnection = await instance.connect();
  const store = new DuckDbStore(
    path,
    instance,
    { write: writeConnection, read: readConnection, signals: signalConnection },
    options.maxQueuedSpans,
  );
  await store.start();
  return store;
}

/** Returns the DuckDB instance behind a store, for other DuckDB-backed stores sharing the file; null for other backends. */
export function duckDbInstanceOf(store: Store): DuckDBInstance | null {
  return store instanceof DuckDbStore ? store.instance : null;
}

interface Connections {
  /** Span appends and their follow-up updates. */
  write: DuckDBConnection;
  /** Queries. */
  read: DuckDBConnection;
  /** Metric and log writes, one at a time. */
  signals: DuckDBConnection;
}

class DuckDbStore implements Store {
  private readonly writer: SpanWriter;
  private readonly writeConnection: DuckDBConnection;
  private readonly readConnection: DuckDBConnection;
  private readonly signalConnection: DuckDBConnection;
  private readonly signalQueue = new SerialQueue();

  constructor(
    private readonly path: string,
    readonly instance: DuckDBInstance,
    connections: Connections,
    maxQueuedSpans: number | undefined,
  ) {
    this.writeConnection = connections.write;
    this.readConnection = connections.read;
    this.signalConnection = connections.signals;
    this.writer = new SpanWriter(this.writeConnection, maxQueuedSpans);
  }

  writeMetricPoints(
    points: readonly MetricPoint[],
    states: readonly [string, SeriesState][],
  ): Promise<void> {
    return this.signalQueue.run(() => insertMetricPoints(this.signalConnection, points, states));
  }

  loadSeriesStates(): Promise<[string, SeriesState][]> {
    return this.signalQueue.run(() => loadSeriesStates(this.signalConnection));
  }

  metricPoints(
    window: TimeWindow,
    metricNames: readonly string[],
    filters: Filters,
  ): Promise<MetricPoint[]> {
    return selectMetricPoints(this.readConnection, window, metricNames, filters);
  }

  countMetricPoints(): Promise<number> {
    return countMetricPoints(this.readConnection);
  }

  writeLogRecords(records: readonly StoredLogRecord[]): Promise<void> {
    return this.signalQueue.run(() => insertLogRecords(this.signalConnection, records));
  }

  traceLogs(traceId: string): Promise<StoredLogRecord[]> {
    return selectTraceLogs(this.readConnection, traceId);
  }

  start(): Promise<void> {
    return this.writer.start();
  }

  writeSpans(spans: readonly CanonicalSpan[]): Promise<void> {
    return this.writer.write(spans);
  }

  async summary(query: LlmQuery, groupBy: GroupBy): Promise<SummaryGroup[]> {
    const where = buildWhere(query, true);
    const sql = `SELECT ${GROUP_COLUMNS[groupBy]} AS key, ${AGGREGATE_SELECT}
      FROM spans WHERE ${where.sql} GROUP BY key ORDER BY requests DESC, key NULLS LAST`;
    const rows = await this.read(sql, where.params);
    return rows.map((row) => ({ key: strOrNull(row.key ?? null), ...toAggregate(row) }));
  }

  async timeseries(
    query: LlmQuery,
    groupBy: GroupBy | null,
    stepMs: number,
  ): Promise<TimeseriesSeries[]> {
    const where = buildWhere(query, true);
    const stepNs = BigInt(stepMs) * NANOS_PER_MS;
    const keyColumn = groupBy === null ? 'NULL' : GROUP_COLUMNS[groupBy];
    const sql = `SELECT ${keyColumn} AS key, (start_ns // ${stepNs}) * ${stepNs} AS bucket_ns, ${AGGREGATE_SELECT}
      FROM spans WHERE ${where.sql} GROUP BY key, bucket_ns ORDER BY key NULLS LAST, bucket_ns`;
    const rows = await this.read(sql, where.params);
    const byKey = new Map<string | null, TimeseriesSeries>();
    for (const row of rows) {
      const key = strOrNull(row.key ?? null);
      let series = byKey.get(key);
      if (!series) {
        series = { key, points: [] };
        byKey.set(key, series);
      }
      series.points.push({
        t: Number(BigInt(row.bucket_ns as bigint) / NANOS_PER_MS),
        ...toAggregate(row),
      });
    }
    return [...byKey.values()];
  }

  async dimensions(window: TimeWindow): Promise<Dimensions> {
    const where = buildWhere({ ...window, filters: {} }, true);
    const distinct = async (column: string): Promise<string[]> => {
      const rows = await this.read(
        `SELECT DISTINCT ${column} AS value FROM spans WHERE ${where.sql} AND ${column} IS NOT NULL
         ORDER BY value LIMIT ${DIMENSION_LIMIT}`,
        where.params,
      );
      return rows.map((row) => String(row.value));
    };
    return {
      services: await distinct('service_name'),
      environments: await distinct('environment'),
      models: await distinct('model'),
      providers: await distinct('provider'),
      tenants: await distinct('tenant'),
      features: await distinct('feature'),
    };
  }

  async listTraces(query: LlmQuery, limit: number): Promise<TraceListItem[]> {
    const where = buildWhere(query, false);
    const sql = `SELECT trace_id,
        arg_min(name, CASE WHEN parent_span_id IS NULL THEN 0 ELSE 1 END) AS root_name,
        arg_min(service_name, CASE WHEN parent_span_id IS NULL THEN 0 ELSE 1 END) AS service_name,
        min(start_ns) AS start_ns, max(end_ns) AS end_ns, count(*) AS span_count,
        count(*) FILTER (WHERE is_llm_call) AS llm_call_count,
        count(*) FILTER (WHERE status_code = 'error') AS error_count,
        sum(cost_usd) AS cost_usd
      FROM spans WHERE ${where.sql} GROUP BY trace_id ORDER BY start_ns DESC LIMIT ${limit}`;
    const rows = await this.read(sql, where.params);
    return rows.map((row) => {
      const startNs = BigInt(row.start_ns as bigint);
      const endNs = BigInt(row.end_ns as bigint);
      return {
        traceId: String(row.trace_id),
        rootName: strOrNull(row.root_name ?? null),
        serviceName: strOrNull(row.service_name ?? null),
        startTimeUnixMs: Number(startNs / NANOS_PER_MS),
        durationMs: Number(endNs - startNs) / 1e6,
        spanCount: num(row.span_count ?? null),
        llmCallCount: num(row.llm_call_count ?? null),
        errorCount: num(row.error_count ?? null),
        costUsd: numOrNull(row.cost_usd ?? null),
      };
    });
  }

  async getTrace(traceId: string): Promise<CanonicalSpan[]> {
    const rows = await this.read(
      'SELECT * FROM spans WHERE trace_id = $1 ORDER BY start_ns, span_id',
      [traceId],
    );
    return rows.map(toCanonicalSpan);
  }

  async countSpans(): Promise<number> {
    const rows = await this.read('SELECT count(*) AS n FROM spans', []);
    return num(rows[0]?.n ?? null);
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.signalQueue.idle();
    this.signalConnection.closeSync();
    this.readConnection.closeSync();
    this.writeConnection.closeSync();
    this.instance.closeSync();
    openPaths.delete(this.path);
  }

  private async read(sql: string, params: (string | bigint)[]): Promise<Row[]> {
    const reader = await this.readConnection.runAndReadAll(sql, params);
    return reader.getRowObjects() as Row[];
  }
}
