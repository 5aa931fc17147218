import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { appendNullableDouble, appendNullableVarchar } from './appender-values.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { SpanDeduplicator } from './span-dedupe.ts';
import { WriteQueueFullError } from '../write-queue-full.ts';
import { toJson } from './json.ts';
import { costDetailJson } from './cost-detail.ts';
import { minutesTouchedBy, refreshRollupMinutes } from './rollup-refresh.ts';
import { SerialQueue } from './serial.ts';

/** Default limit of spans waiting for a commit; above it writes are rejected with WriteQueueFullError. */
export const DEFAULT_MAX_QUEUED_SPANS = 32_768;

interface PendingWrite {
  spans: readonly CanonicalSpan[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Appends spans with group commit: writes that arrive while a commit runs wait
 * and share the next one, so each request is acknowledged only after the commit
 * that contains its spans has returned.
 */
/** How long committed spans may wait before the rollup tables include them. */
const ROLLUP_REFRESH_DELAY_MS = 1000;

type RollupInput = Pick<
  CanonicalSpan,
  'traceId' | 'parentSpanId' | 'isLlmCall' | 'startTimeUnixNano'
>;

export class SpanWriter {
  private readonly pending: PendingWrite[] = [];
  private flushing = false;
  private closed = false;
  private readonly deduplicator: SpanDeduplicator;
  private readonly inheritor = new AttributionInheritor();
  private queuedSpans = 0;
  /** Commits and other work on the write connection, one at a time. */
  private readonly connectionQueue = new SerialQueue();
  /** Spans committed since the rollups were last refreshed, reduced to what the refresh reads. */
  private rollupBacklog: RollupInput[] = [];
  private rollupTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly maxQueuedSpans = DEFAULT_MAX_QUEUED_SPANS,
  ) {
    this.deduplicator = new SpanDeduplicator(connection);
  }

  /** Loads recently stored span keys so retries across a restart are still stored once. */
  start(): Promise<void> {
    return this.deduplicator.warmUp();
  }

  write(spans: readonly CanonicalSpan[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the span writer is closed'));
    if (spans.length === 0) return Promise.resolve();
    if (this.queuedSpans > 0 && this.queuedSpans + spans.length > this.maxQueuedSpans) {
      return Promise.reject(new WriteQueueFullError(this.queuedSpans, this.maxQueuedSpans, 1));
    }
    this.queuedSpans += spans.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ spans, resolve, reject });
      void this.flush();
    });
  }

  /** Runs `task` on the write connection between two commits. */
  runExclusive<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.connectionQueue.run(() => task(this.connection));
  }

  /**
   * Brings the rollup tables up to date with every committed span. Commits leave
   * the refresh to a timer, so it runs once for many batches instead of on every
   * acknowledgement. Queries that read rollups call this first.
   */
  refreshRollups(): Promise<void> {
    if (this.rollupBacklog.length === 0) return Promise.resolve();
    return this.connectionQueue.run(async () => {
      const backlog = this.rollupBacklog;
      this.rollupBacklog = [];
      if (backlog.length === 0) return;
      try {
        await refreshRollupMinutes(
          this.connection,
          await minutesTouchedBy(this.connection, backlog),
        );
      } catch (error) {
        // Keep the minutes for the next attempt, so no committed span is left out of the rollups.
        this.rollupBacklog = backlog.concat(this.rollupBacklog);
        throw error;
      }
    });
  }

  /** Waits for queued writes and the rollup refresh, then rejects new writes. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.pending.length > 0) {
      await this.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.rollupTimer !== null) clearTimeout(this.rollupTimer);
    this.rollupTimer = null;
    await this.refreshRollups();
  }

  private scheduleRollupRefresh(): void {
    if (this.rollupTimer !== null) return;
    this.rollupTimer = setTimeout(() => {
      this.rollupTimer = null;
      // A failed refresh keeps its backlog; the next commit, query or close retries it.
      this.refreshRollups().catch(() => undefined);
    }, ROLLUP_REFRESH_DELAY_MS);
    this.rollupTimer.unref();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, this.pending.length);
    try {
      await this.connectionQueue.run(() => this.commitBatch(batch));
      for (const write of batch) write.resolve();
    } catch (error) {
      for (const write of batch) write.reject(error as Error);
    } finally {
      for (const write of batch) this.queuedSpans -= write.spans.length;
      this.flushing = false;
    }
    if (this.pending.length > 0) void this.flush();
  }

  private async commitBatch(batch: readonly PendingWrite[]): Promise<void> {
    const spans = await this.deduplicator.filter(batch.flatMap((write) => write.spans));
    if (spans.length === 0) return;
    this.inheritor.fillFromKnownRoots(spans);
    const appender = await this.connection.createAppender('spans');
    try {
      for (const span of spans) appendSpan(appender, span);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    this.deduplicator.rememberAll(spans);
    await this.inheritor.afterWrite(this.connection, spans);
    for (const span of spans) {
      if (span.isLlmCall || span.parentSpanId === null) {
        this.rollupBacklog.push({
          traceId: span.traceId,
          parentSpanId: span.parentSpanId,
          isLlmCall: span.isLlmCall,
          startTimeUnixNano: span.startTimeUnixNano,
        });
      }
    }
    this.scheduleRollupRefresh();
  }
}

/** Appends one row in the column order of SPANS_COLUMNS. */
function appendSpan(appender: DuckDBAppender, span: CanonicalSpan): void {
  appender.appendVarchar(span.traceId);
  appender.appendVarchar(span.spanId);
  appendNullableVarchar(appender, span.parentSpanId);
  appender.appendVarchar(span.name);
  appender.appendVarchar(span.spanKind);
  appender.appendVarchar(span.serviceName);
  appender.appendVarchar(span.scopeName);
  appender.appendBigInt(span.startTimeUnixNano);
  appender.appendBigInt(span.endTimeUnixNano);
  appender.appendDouble(span.durationMs);
  appender.appendVarchar(span.statusCode);
  appendNullableVarchar(appender, span.statusMessage);
  appendNullableVarchar(appender, span.errorType);
  appender.appendVarchar(span.dialect);
  appender.appendVarchar(span.operation);
  appender.appendVarchar(span.spanType);
  appender.appendBoolean(span.isLlmCall);
  appendNullableVarchar(appender, span.provider);
  appendNullableVarchar(appender, span.requestModel);
  appendNullableVarchar(appender, span.responseModel);
  appendNullableVarchar(appender, span.model);
  appender.appendBigInt(BigInt(Math.round(span.usage.inputTokens)));
  appender.appendBigInt(BigInt(Math.round(span.usage.outputTokens)));
  appender.appendBigInt(BigInt(Math.round(span.usage.cachedInputTokens)));
  appender.appendBigInt(BigInt(Math.round(span.usage.cacheWriteTokens)));
  appender.appendBigInt(BigInt(Math.round(span.usage.reasoningTokens)));
  appendNullableDouble(appender, span.cost.totalUsd);
  appendNullableDouble(appender, span.cost.inputUsd);
  appendNullableDouble(appender, span.cost.outputUsd);
  appendNullableDouble(appender, span.cost.cacheReadUsd);
  appendNullableDouble(appender, span.cost.cacheWriteUsd);
  appendNullableVarchar(appender, span.cost.priceModel);
  appendNullableVarchar(appender, span.cost.priceTableVersion);
  appendNullableDouble(appender, span.timeToFirstTokenMs);
  appendNullableVarchar(appender, span.tenant);
  appendNullableVarchar(appender, span.userId);
  appendNullableVarchar(appender, span.sessionId);
  appendNullableVarchar(appender, span.feature);
  appendNullableVarchar(appender, span.environment);
  appender.appendVarchar(toJson(span.attributes));
  appender.appendVarchar(toJson(span.resourceAttributes));
  appender.appendVarchar(toJson(span.events));
  appendNullableVarchar(
    appender,
    span.ingestIssues.length === 0 ? null : span.ingestIssues.join(','),
  );
  appendNullableVarchar(appender, costDetailJson(span.cost));
  appender.endRow();
}
