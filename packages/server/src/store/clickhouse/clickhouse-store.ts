import type { ErasureLogEntry, ErasureRequest } from '../../erasure/erasure-types.ts';
import { collectDimensions } from '../span-columns.ts';
import type { StoredLogRecord } from '../../logs/log-record.ts';
import type { SeriesState } from '../../metrics/cumulative-to-delta.ts';
import type { MetricPoint } from '../../metrics/metric-point.ts';
import type { RetentionCounts, RetentionCutoffs } from '../../retention/retention-types.ts';
import type { CanonicalSpan, SpanCost } from '../../semconv/canonical-span.ts';
import type {
  Dimensions,
  Filters,
  GroupBy,
  InflightSeries,
  LlmQuery,
  ProjectSeriesState,
  ProjectWindow,
  RepriceSpan,
  Store,
  SummaryGroup,
  TimeWindow,
  TimeseriesSeries,
  TraceListItem,
  TraceSearch,
  TtftSeries,
} from '../store.ts';
import { selectSummary, selectTimeseries } from './aggregate-queries.ts';
import type { ClickHouseDriver } from './driver.ts';
import { eraseUser } from './erasure.ts';
import { selectInflightFromSpans, selectTimeToFirstToken } from './inflight-ttft.ts';
import { tableName, type ClickHouseLayout } from './layout.ts';
import { insertLogRecords, selectTraceLogs } from './logs-table.ts';
import { insertMetricPoints, loadSeriesStates, selectMetricPoints } from './metrics-table.ts';
import { migrateSchema } from './migrations.ts';
import { repriceStoredSpans } from './reprice-spans.ts';
import { applyRetention } from './retention.ts';
import { rebuildRollupRange } from './rollup-refresh.ts';
import type { ScoreCleanup } from './score-cleanup.ts';
import { SpanWriter } from './span-writer.ts';
import { Params, unixNanoOfMs } from './sql.ts';
import { searchTraces, selectTrace } from './trace-search.ts';
import { num, str } from './values.ts';

const DIMENSION_LIMIT = 500;

export interface ClickHouseStoreOptions {
  layout: ClickHouseLayout;
  /** Rows older than this many days are dropped by TTL when the schema is created; null keeps them. */
  ttlDays?: number | null;
  /** Spans allowed to wait for an insert before writes are rejected. */
  maxQueuedSpans?: number;
  /** Deletes scores in retention and erasure; the store closes it. Absent: scores are not touched. */
  scores?: ScoreCleanup | null;
}

/**
 * Opens the ClickHouse store on `driver`, creating or upgrading the schema first. The
 * store owns the driver and closes it on close.
 */
export async function openClickHouseStore(
  driver: ClickHouseDriver,
  options: ClickHouseStoreOptions,
): Promise<Store> {
  await migrateSchema(driver, options.layout, { ttlDays: options.ttlDays ?? null });
  return new ClickHouseStore(
    driver,
    options.layout,
    options.maxQueuedSpans,
    options.scores ?? null,
  );
}

class ClickHouseStore implements Store {
  private readonly writer: SpanWriter;
  private readonly spans: string;
  private closed: Promise<void> | null = null;

  constructor(
    private readonly driver: ClickHouseDriver,
    private readonly layout: ClickHouseLayout,
    maxQueuedSpans: number | undefined,
    private readonly scores: ScoreCleanup | null,
  ) {
    this.writer = new SpanWriter(driver, layout, maxQueuedSpans);
    this.spans = tableName(layout, 'spans');
  }

  writeSpans(spans: readonly CanonicalSpan[]): Promise<void> {
    return this.writer.write(spans);
  }

  summary(query: LlmQuery, groupBy: GroupBy): Promise<SummaryGroup[]> {
    return selectSummary(this.driver, this.layout, query, groupBy);
  }

  timeseries(
    query: LlmQuery,
    groupBy: GroupBy | null,
    stepMs: number,
  ): Promise<TimeseriesSeries[]> {
    return selectTimeseries(this.driver, this.layout, query, groupBy, stepMs);
  }

  /** Distinct values among the window's LLM calls, as the filter menus offer them. */
  async dimensions(window: ProjectWindow): Promise<Dimensions> {
    const distinct = async (column: string): Promise<string[]> => {
      const params = new Params();
      const rows = await this.driver.query(
        `SELECT DISTINCT ${column} AS value FROM ${this.spans}
         WHERE project_id = ${params.add(window.projectId, 'String')}
           AND start_time >= ${params.time(unixNanoOfMs(window.fromUnixMs))}
           AND start_time < ${params.time(unixNanoOfMs(window.toUnixMs))}
           AND is_llm_call AND ${column} IS NOT NULL
         ORDER BY value LIMIT ${DIMENSION_LIMIT}`,
        params.values,
      );
      return rows.map((row) => str(row.value));
    };
    return collectDimensions(distinct);
  }

  listTraces(search: TraceSearch): Promise<TraceListItem[]> {
    return searchTraces(this.driver, this.spans, search);
  }

  getTrace(projectId: string, traceId: string): Promise<CanonicalSpan[]> {
    return selectTrace(this.driver, this.spans, projectId, traceId);
  }

  async countSpans(): Promise<number> {
    const rows = await this.driver.query(`SELECT count() AS n FROM ${this.spans}`);
    return num(rows[0]?.n);
  }

  inflightFromSpans(query: LlmQuery, stepMs: number): Promise<InflightSeries['points']> {
    return selectInflightFromSpans(this.driver, this.spans, query, stepMs);
  }

  timeToFirstToken(
    query: LlmQuery,
    groupBy: GroupBy | null,
    stepMs: number,
  ): Promise<TtftSeries[]> {
    return selectTimeToFirstToken(this.driver, this.spans, query, groupBy, stepMs);
  }

  rebuildRollups(window: TimeWindow): Promise<void> {
    return this.writer.runExclusive(() =>
      rebuildRollupRange(
        this.driver,
        this.layout,
        unixNanoOfMs(window.fromUnixMs),
        unixNanoOfMs(window.toUnixMs),
      ),
    );
  }

  repriceSpans(
    window: ProjectWindow,
    reprice: (span: RepriceSpan) => SpanCost | null,
  ): Promise<void> {
    return this.writer.runExclusive(async () => {
      await repriceStoredSpans(this.driver, this.layout, window, reprice);
      await rebuildRollupRange(
        this.driver,
        this.layout,
        unixNanoOfMs(window.fromUnixMs),
        unixNanoOfMs(window.toUnixMs),
      );
    });
  }

  writeMetricPoints(
    projectId: string,
    points: readonly MetricPoint[],
    states: readonly [string, SeriesState][],
  ): Promise<void> {
    const tables = {
      points: tableName(this.layout, 'metric_points'),
      states: tableName(this.layout, 'metric_series_state'),
    };
    return insertMetricPoints(this.driver, tables, projectId, points, states);
  }

  loadSeriesStates(): Promise<ProjectSeriesState[]> {
    return loadSeriesStates(this.driver, tableName(this.layout, 'metric_series_state'));
  }

  metricPoints(
    window: ProjectWindow,
    metricNames: readonly string[],
    filters: Filters,
  ): Promise<MetricPoint[]> {
    const table = tableName(this.layout, 'metric_points');
    return selectMetricPoints(this.driver, table, window, metricNames, filters);
  }

  async countMetricPoints(): Promise<number> {
    const rows = await this.driver.query(
      `SELECT count() AS n FROM ${tableName(this.layout, 'metric_points')}`,
    );
    return num(rows[0]?.n);
  }

  writeLogRecords(projectId: string, records: readonly StoredLogRecord[]): Promise<void> {
    return insertLogRecords(this.driver, tableName(this.layout, 'log_records'), projectId, records);
  }

  traceLogs(projectId: string, traceId: string): Promise<StoredLogRecord[]> {
    return selectTraceLogs(this.driver, tableName(this.layout, 'log_records'), projectId, traceId);
  }

  applyRetention(cutoffs: RetentionCutoffs): Promise<RetentionCounts> {
    return this.writer.runExclusive(() =>
      applyRetention(this.driver, this.layout, cutoffs, this.scores),
    );
  }

  eraseUser(request: ErasureRequest): Promise<ErasureLogEntry> {
    return this.writer.runExclusive(() =>
      eraseUser(this.driver, this.layout, request, this.scores),
    );
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.writer.close();
      await this.driver.close();
      await this.scores?.close();
    })();
    return this.closed;
  }
}
