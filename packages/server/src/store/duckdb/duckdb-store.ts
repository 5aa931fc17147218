import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { collectDimensions } from '../span-columns.ts';
import { join } from 'node:path';
import type { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan, SpanCost } from '../../semconv/canonical-span.ts';
import type { StoredLogRecord } from '../../logs/log-record.ts';
import type { SeriesState } from '../../metrics/cumulative-to-delta.ts';
import type { MetricPoint } from '../../metrics/metric-point.ts';
import type {
  Dimensions,
  Filters,
  GroupBy,
  InflightSeries,
  LlmQuery,
  ProjectSeriesState,
  ProjectWindow,
  RepriceSpan,
  SetAsideSummary,
  Store,
  SummaryGroup,
  TimeWindow,
  TimeseriesSeries,
  TraceListItem,
  TraceSearch,
  TtftSeries,
} from '../store.ts';
import { selectInflightFromSpans, selectTimeToFirstToken } from './inflight-ttft.ts';
import { selectSummary, selectTimeseries } from './aggregate-queries.ts';
import { planAggregate } from './rollup-query.ts';
import {
  backfillRollupsIfEmpty,
  rebuildRollupWindow,
  replaceRollupRows,
} from './rollup-refresh.ts';
import { inTransaction } from './transaction.ts';
import { dropOutdatedRollupTables } from './rollup-migrate.ts';
import { ROLLUP_SCHEMA } from './rollup-schema.ts';
import { searchTraces } from './trace-search.ts';
import { repriceStoredSpans } from './reprice-spans.ts';
import { num, toCanonicalSpan, type Row } from './rows.ts';
import { LOGS_SCHEMA, insertLogRecords, selectTraceLogs } from './logs-table.ts';
import {
  METRICS_SCHEMA,
  countMetricPoints,
  insertMetricPoints,
  loadSeriesStates,
  migrateSeriesStates,
  selectMetricPoints,
} from './metrics-table.ts';
import { SCHEMA_STATEMENTS } from './schema.ts';
import { SerialQueue } from './serial.ts';
import { invalidationRemedy, isDurableCommitError, isInvalidatedError } from './invalidation.ts';
import { INGEST_LOG_POSITION_SCHEMA, SpanWriter, readIngestLogPosition } from './span-writer.ts';
import { IngestLog, type DamagedSegmentCopy } from './ingest-log.ts';
import {
  deleteDamagedCopies,
  dropSetAsideSpans,
  readSetAside,
  sealPlainSetAside,
  summarizeSetAside,
} from './set-aside.ts';
import { registerSpanFlush } from './span-visibility.ts';
import type { ErasureLogEntry, ErasureRequest } from '../../erasure/erasure-types.ts';
import type { RetentionCounts, RetentionCutoffs } from '../../retention/retention-types.ts';
import { eraseUser, erasedTraceIds } from './maintenance/erasure-sql.ts';
import { MaintenanceConnection } from './maintenance/maintenance-connection.ts';
import { LimitedCheckpoints, type CheckpointTuning } from './limited-checkpoints.ts';
import { applyRetention } from './maintenance/retention-sql.ts';
import { buildWhere } from './sql.ts';
import { EncryptedWithoutKeyError, type DuckDbEncryption } from '../../crypto/duckdb-encryption.ts';
import { openStoreFile } from './open-store-file.ts';

const NANOS_PER_MS = 1_000_000n;

/** Returns the later of two optional cutoffs, or null when neither is set. */
function laterCutoff(first: bigint | null, second: bigint | null): bigint | null {
  if (first === null) return second;
  if (second === null) return first;
  return first > second ? first : second;
}
const DIMENSION_LIMIT = 500;

/** The file name of the store inside the data directory. */
export const DUCKDB_FILE_NAME = 'foghorn.duckdb';

/** The directory of the ingest log inside the data directory. */
export const INGEST_LOG_DIR_NAME = 'ingest-log';

/** Instances opened by this process, by path: a second instance on one file loses data. */
const openPaths = new Set<string>();

/** Opens (and creates when missing) the DuckDB store in `dataDir`. */
export interface DuckDbStoreOptions {
  /** Spans allowed to wait for a commit before writes are rejected. */
  maxQueuedSpans?: number;
  /** Encrypts the file with this key; without it the file is plain. */
  encryption?: DuckDbEncryption | null;
  /** DuckDB's `memory_limit` in bytes; null or absent keeps DuckDB's default, 80 % of the machine's memory. */
  memoryLimitBytes?: number | null;
  /** Shorter intervals and a smaller WAL threshold for the checkpoints under a memory limit, for tests. */
  checkpointTuning?: CheckpointTuning;
  /** Receives each failure of the span loader, with a sentence saying what failed and what happens next. */
  onLoadError?: (error: unknown, what: string) => void;
  /** Receives a logged batch that could not be loaded and was set aside, with the file keeping it. */
  onRejectedRecord?: (seq: number, path: string, error: unknown) => void;
  /** Receives one sentence for each damaged segment copy that erasure or retention deleted. */
  onSetAsideDeleted?: (what: string) => void;
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
  const instance = await openStoreFile(
    path,
    options.encryption ?? null,
    options.memoryLimitBytes ?? null,
  );
  openPaths.add(path);
  const writeConnection = await instance.connect();
  const checkpoints = await LimitedCheckpoints.open(
    writeConnection,
    path,
    options.memoryLimitBytes ?? null,
    options.checkpointTuning,
    options.onLoadError,
  );
  // The schema changes and the rollup backfill below commit too, so they run lifted.
  await checkpoints.withLimitLifted(writeConnection, async () => {
    await dropOutdatedRollupTables(writeConnection);
    for (const statement of [
      ...SCHEMA_STATEMENTS,
      ...ROLLUP_SCHEMA,
      ...METRICS_SCHEMA,
      ...LOGS_SCHEMA,
      ...INGEST_LOG_POSITION_SCHEMA,
    ]) {
      await writeConnection.run(statement);
    }
  });
  const committedSeq = await readIngestLogPosition(writeConnection);
  const encryption = options.encryption ?? null;
  const log = IngestLog.open(
    join(dataDir, INGEST_LOG_DIR_NAME),
    encryption === null ? null : encryption.key.derive('ingest-log'),
    committedSeq,
  );
  for (const damage of log.damage) options.onLoadError?.(new Error(damage), damage);
  // Batches set aside before `foghorn encrypt` are plain until sealed with the store's key.
  if (encryption !== null) sealPlainSetAside(log);
  await checkpoints.withLimitLifted(writeConnection, async () => {
    await migrateSeriesStates(writeConnection);
    await backfillRollupsIfEmpty(writeConnection);
  });
  const readConnection = await instance.connect();
  const signalConnection = await instance.connect();
  const store = new DuckDbStore(
    path,
    instance,
    { write: writeConnection, read: readConnection, signals: signalConnection },
    { log, committedSeq, checkpoints, ...options },
  );
  try {
    await store.start();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/**
 * Loads the records left in the ingest log of the plain store in `dataDir`, as a restart
 * would, and empties the log. `foghorn encrypt` runs it first, because the log is written
 * with the store's key, so records written without one could not be read after the encryption.
 */
export async function loadPendingIngestLog(dataDir: string): Promise<void> {
  const directory = join(dataDir, INGEST_LOG_DIR_NAME);
  if (!existsSync(join(dataDir, DUCKDB_FILE_NAME)) || !existsSync(directory)) return;
  if (!readdirSync(directory).some((name) => name.endsWith('.log'))) return;
  let store: Store;
  try {
    store = await openDuckDbStore(dataDir);
  } catch (error) {
    // An encrypted store's log is written with its key and loads at the next start, and
    // `foghorn encrypt` goes on to report the file as encrypted already.
    if (error instanceof EncryptedWithoutKeyError) return;
    throw error;
  }
  await store.close();
}

/** The changes `foghorn encrypt` made to the ingest log's files outside the loading path. */
export interface SetAsideEncryption {
  sealedBatches: number;
  deletedCopies: string[];
}

/**
 * Seals the set-aside batches of the ingest log in `dataDir` with the store's key, and deletes
 * the damaged segment copies, which hold plain records that cannot be loaded. `foghorn
 * encrypt` runs it after encrypting the store file, so no plain span stays in the data directory.
 */
export async function encryptSetAside(
  dataDir: string,
  encryption: DuckDbEncryption,
): Promise<SetAsideEncryption> {
  const directory = join(dataDir, INGEST_LOG_DIR_NAME);
  if (!existsSync(directory)) return { sealedBatches: 0, deletedCopies: [] };
  const log = IngestLog.open(directory, encryption.key.derive('ingest-log'), 0);
  try {
    const sealedBatches = sealPlainSetAside(log);
    const deletedCopies = deleteDamagedCopies(log, () => true).map((copy) => copy.path);
    return { sealedBatches, deletedCopies };
  } finally {
    await log.close();
  }
}

/** Returns the DuckDB instance behind a store, for other DuckDB-backed stores sharing the file; null for other backends. */
export function duckDbInstanceOf(store: Store): DuckDBInstance | null {
  return store instanceof DuckDbStore ? store.instance : null;
}

/** Compacts the rollup periods that are due now, without waiting for the writer's timer. */
export function compactDuckDbRollups(store: Store): Promise<void> {
  return store instanceof DuckDbStore ? store.compactRollups() : Promise.resolve();
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
  private readonly log: IngestLog;
  private readonly onSetAsideDeleted: (what: string) => void;
  /** Erasure, retention and retries of set-aside batches, one at a time. */
  private readonly setAsideQueue = new SerialQueue();
  private readonly writeConnection: DuckDBConnection;
  private readonly readConnection: DuckDBConnection;
  private readonly signalConnection: DuckDBConnection;
  private readonly signalQueue = new SerialQueue();
  private readonly checkpoints: LimitedCheckpoints;
  /** Retention and erasure; opened on first use. */
  private maintenance: Promise<MaintenanceConnection> | null = null;
  /** The reason every write fails until a restart, once DuckDB has invalidated the store file. */
  private blocker: string | null = null;
  /**
   * Records a write error that invalidated the store file. Rethrows the error unless the
   * COMMIT was durable before its checkpoint failed, because then the data is stored.
   */
  private readonly settleWriteError = (error: unknown): void => {
    this.recordInvalidation(error);
    if (!isDurableCommitError(error)) throw error;
  };

  /** Keeps the first error reporting that DuckDB invalidated the store file, for `/healthz`. */
  private recordInvalidation(error: unknown): void {
    if (this.blocker !== null || !isInvalidatedError(error)) return;
    const message = error instanceof Error ? error.message : String(error);
    this.blocker = `DuckDB invalidated the store file ${this.path}, so every write fails until a restart: ${message}. ${invalidationRemedy(error)}`;
  }

  constructor(
    private readonly path: string,
    readonly instance: DuckDBInstance,
    connections: Connections,
    options: DuckDbStoreOptions & {
      log: IngestLog;
      committedSeq: number;
      checkpoints: LimitedCheckpoints;
    },
  ) {
    this.writeConnection = connections.write;
    this.checkpoints = options.checkpoints;
    this.readConnection = connections.read;
    this.signalConnection = connections.signals;
    this.log = options.log;
    this.onSetAsideDeleted = options.onSetAsideDeleted ?? (() => undefined);
    this.writer = new SpanWriter(this.writeConnection, options.log, options.committedSeq, {
      maxQueuedSpans: options.maxQueuedSpans,
      onStoreError: (error, what) => {
        this.recordInvalidation(error);
        options.onLoadError?.(error, what);
      },
      onRejectedRecord: options.onRejectedRecord,
      checkpoints: options.checkpoints,
    });
    registerSpanFlush(instance, () => this.writer.flush());
  }

  writeBlocker(): string | null {
    return this.blocker ?? this.writer.haltReason();
  }

  loadStall(): string | null {
    return this.writer.stallReason() ?? this.checkpoints.overLimitReason();
  }

  writeMetricPoints(
    projectId: string,
    points: readonly MetricPoint[],
    states: readonly [string, SeriesState][],
  ): Promise<void> {
    return this.signalQueue
      .run(() => insertMetricPoints(this.signalConnection, projectId, points, states))
      .catch(this.settleWriteError);
  }

  loadSeriesStates(): Promise<ProjectSeriesState[]> {
    return this.signalQueue.run(() => loadSeriesStates(this.signalConnection));
  }

  metricPoints(
    window: ProjectWindow,
    metricNames: readonly string[],
    filters: Filters,
  ): Promise<MetricPoint[]> {
    return selectMetricPoints(this.readConnection, window, metricNames, filters);
  }

  countMetricPoints(): Promise<number> {
    return countMetricPoints(this.readConnection);
  }

  writeLogRecords(projectId: string, records: readonly StoredLogRecord[]): Promise<void> {
    return this.signalQueue
      .run(() => insertLogRecords(this.signalConnection, projectId, records))
      .catch(this.settleWriteError);
  }

  traceLogs(projectId: string, traceId: string): Promise<StoredLogRecord[]> {
    return selectTraceLogs(this.readConnection, projectId, traceId);
  }

  start(): Promise<void> {
    return this.writer.start();
  }

  writeSpans(spans: readonly CanonicalSpan[]): Promise<void> {
    return this.writer.write(spans).catch(this.settleWriteError);
  }

  compactRollups(): Promise<void> {
    return this.writer.compactRollups();
  }

  async summary(query: LlmQuery, groupBy: GroupBy): Promise<SummaryGroup[]> {
    await this.writer.flush();
    return selectSummary(this.readConnection, planAggregate(query, null, groupBy), query, groupBy);
  }

  async timeseries(
    query: LlmQuery,
    groupBy: GroupBy | null,
    stepMs: number,
  ): Promise<TimeseriesSeries[]> {
    await this.writer.flush();
    return selectTimeseries(
      this.readConnection,
      planAggregate(query, stepMs, groupBy),
      query,
      groupBy,
      stepMs,
    );
  }

  async dimensions(window: ProjectWindow): Promise<Dimensions> {
    const where = buildWhere({ ...window, filters: {} }, true);
    // One commit of the acknowledged spans serves the query of every dimension.
    await this.writer.flush();
    const distinct = async (column: string): Promise<string[]> => {
      const rows = await this.query(
        `SELECT DISTINCT ${column} AS value FROM spans WHERE ${where.sql} AND ${column} IS NOT NULL
         ORDER BY value LIMIT ${DIMENSION_LIMIT}`,
        where.params,
      );
      return rows.map((row) => String(row.value));
    };
    return collectDimensions(distinct);
  }

  async listTraces(search: TraceSearch): Promise<TraceListItem[]> {
    await this.writer.flush();
    return searchTraces(this.readConnection, search);
  }

  async getTrace(projectId: string, traceId: string): Promise<CanonicalSpan[]> {
    // A filter on trace_id alone lets DuckDB use the ART index; the project check on the
    // few rows it returns happens here.
    const rows = await this.read(
      'SELECT * FROM spans WHERE trace_id = $1 ORDER BY start_ns, span_id',
      [traceId],
    );
    return rows.filter((row) => row.project_id === projectId).map(toCanonicalSpan);
  }

  async countSpans(): Promise<number> {
    const rows = await this.read('SELECT count(*) AS n FROM spans', []);
    return num(rows[0]?.n ?? null);
  }

  async inflightFromSpans(query: LlmQuery, stepMs: number): Promise<InflightSeries['points']> {
    await this.writer.flush();
    return selectInflightFromSpans(this.readConnection, query, stepMs);
  }

  async timeToFirstToken(
    query: LlmQuery,
    groupBy: GroupBy | null,
    stepMs: number,
  ): Promise<TtftSeries[]> {
    await this.writer.flush();
    return selectTimeToFirstToken(this.readConnection, query, groupBy, stepMs);
  }

  rebuildRollups(window: TimeWindow): Promise<void> {
    const fromNs = BigInt(window.fromUnixMs) * NANOS_PER_MS;
    const toNs = BigInt(window.toUnixMs) * NANOS_PER_MS;
    return this.writer.runExclusive((connection) => rebuildRollupWindow(connection, fromNs, toNs));
  }

  repriceSpans(
    window: ProjectWindow,
    reprice: (span: RepriceSpan) => SpanCost | null,
  ): Promise<void> {
    const fromNs = BigInt(window.fromUnixMs) * NANOS_PER_MS;
    const toNs = BigInt(window.toUnixMs) * NANOS_PER_MS;
    return this.writer.runExclusive(async (connection) => {
      // Spans that wait for memory would load later with their old prices.
      this.writer.assertLoading('re-pricing the stored spans');
      // One transaction, so a failure leaves spans and rollups with the same prices.
      await inTransaction(connection, async () => {
        await repriceStoredSpans(connection, window.projectId, fromNs, toNs, reprice);
        await replaceRollupRows(connection, fromNs, toNs);
      });
    });
  }

  /**
   * Applies the cutoffs to the stored data, and to the ingest log's set-aside batches and
   * damaged segment copies. Their content cannot be blanked in place, so they keep a span
   * only until the later of the span and content cutoffs, which is the shorter TTL.
   */
  applyRetention(cutoffs: RetentionCutoffs): Promise<RetentionCounts> {
    return this.setAsideQueue.run(async () => {
      await this.writer.flush();
      const counts = await applyRetention(await this.maintenanceConnection(), cutoffs);
      const cutoff = laterCutoff(cutoffs.spansBeforeUnixNano, cutoffs.contentBeforeUnixNano);
      if (cutoff === null) return counts;
      const removed = dropSetAsideSpans(this.log, (span) => span.startTimeUnixNano < cutoff);
      this.deleteDamagedCopies(
        'retention',
        (copy) => BigInt(Math.floor(copy.copiedAtUnixMs)) * NANOS_PER_MS < cutoff,
      );
      return { ...counts, spansDeleted: counts.spansDeleted + removed };
    });
  }

  /**
   * Commits every acknowledged span first, so the erasure reaches them, and deletes the ingest
   * log segments that held them. The erased traces are removed from the set-aside batches too,
   * and the damaged segment copies are deleted, because their unreadable bytes may hold the user's
   * spans.
   */
  eraseUser(request: ErasureRequest): Promise<ErasureLogEntry> {
    return this.setAsideQueue.run(async () => {
      await this.writer.purgeLog();
      const connection = await this.maintenanceConnection();
      const setAside = await this.eraseSetAside(connection, request);
      return eraseUser(connection, request, setAside);
    });
  }

  /** Summarizes the ingest log's set-aside batches and damaged segment copies. */
  setAsideSummary(): SetAsideSummary {
    return summarizeSetAside(this.log);
  }

  /** Writes the set-aside batches to the ingest log again, so that the loader retries them. */
  retrySetAside(): Promise<{ batches: number; spans: number }> {
    return this.setAsideQueue.run(() => this.writer.retrySetAside());
  }

  /**
   * Removes the erased traces from the set-aside batches. Returns the spans removed, and the
   * traces that a set-aside span ties to the user, so their stored spans are erased too.
   */
  private async eraseSetAside(
    connection: MaintenanceConnection,
    request: ErasureRequest,
  ): Promise<{ spans: number; traceIds: string[] }> {
    const batches = readSetAside(this.log);
    this.deleteDamagedCopies('erasure', () => true);
    if (batches.length === 0) return { spans: 0, traceIds: [] };
    const inProject = (span: CanonicalSpan): boolean => span.projectId === request.projectId;
    const setAsideTraces = new Set<string>();
    for (const { spans } of batches) {
      for (const span of spans) {
        if (inProject(span) && span.userId !== null && request.userIds.includes(span.userId))
          setAsideTraces.add(span.traceId);
      }
    }
    const traces = new Set([...(await erasedTraceIds(connection, request)), ...setAsideTraces]);
    const spans = dropSetAsideSpans(
      this.log,
      (span) => inProject(span) && traces.has(span.traceId),
      batches,
    );
    return { spans, traceIds: [...setAsideTraces] };
  }

  private deleteDamagedCopies(
    reason: 'erasure' | 'retention',
    remove: (copy: DamagedSegmentCopy) => boolean,
  ): void {
    for (const copy of deleteDamagedCopies(this.log, remove)) {
      this.onSetAsideDeleted(
        reason === 'erasure'
          ? `erasure deleted ${copy.path}, the copy of a damaged ingest log segment, because its unreadable records may hold the erased user's spans`
          : `retention deleted ${copy.path}, the copy of a damaged ingest log segment, because it was made before the retention cutoff`,
      );
    }
  }

  private maintenanceConnection(): Promise<MaintenanceConnection> {
    this.maintenance ??= this.instance.connect().then(
      (connection) =>
        new MaintenanceConnection(
          connection,
          (task) => this.writer.runExclusive(() => task()),
          (task) => this.checkpoints.withLimitLifted(connection, task),
        ),
    );
    return this.maintenance;
  }

  async close(): Promise<void> {
    await (await this.maintenance)?.close();
    await this.writer.close();
    await this.signalQueue.idle();
    await this.checkpoints.liftForShutdown(this.writeConnection).catch(() => undefined);
    this.signalConnection.closeSync();
    this.readConnection.closeSync();
    this.writeConnection.closeSync();
    this.instance.closeSync();
    openPaths.delete(this.path);
  }

  /** Reads spans once every acknowledged span is committed. */
  private async read(sql: string, params: (string | bigint)[]): Promise<Row[]> {
    await this.writer.flush();
    return this.query(sql, params);
  }

  /** Runs a query on the read connection, without committing the acknowledged spans first. */
  private async query(sql: string, params: (string | bigint)[]): Promise<Row[]> {
    const reader = await this.readConnection.runAndReadAll(sql, params);
    return reader.getRowObjects() as Row[];
  }
}
