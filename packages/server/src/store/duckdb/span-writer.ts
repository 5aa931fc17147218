import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { appendSpansCommitted, type SpanAppendMode } from './span-append.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { SpanDeduplicator } from './span-dedupe.ts';
import { WriteQueueFullError } from '../write-queue-full.ts';
import { minutesTouchedBy, refreshRollupMinutes } from './rollup-refresh.ts';
import { SerialQueue } from './serial.ts';

/** Default limit of spans waiting for a commit; above it writes are rejected with WriteQueueFullError. */
export const DEFAULT_MAX_QUEUED_SPANS = 32_768;

interface PendingWrite {
  spans: readonly CanonicalSpan[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** How long committed spans may wait before the rollup tables include them. */
const ROLLUP_REFRESH_DELAY_MS = 1000;

type RollupInput = Pick<
  CanonicalSpan,
  'traceId' | 'parentSpanId' | 'isLlmCall' | 'startTimeUnixNano'
>;

/**
 * Appends spans with group commit: writes that arrive while a commit runs wait
 * and share the next one, so each request is acknowledged only after the commit
 * that contains its spans has returned.
 */
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
  /** The refresh that has taken the backlog and not yet finished, if any. */
  private runningRefresh: Promise<void> | null = null;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly maxQueuedSpans = DEFAULT_MAX_QUEUED_SPANS,
    private readonly appendMode: SpanAppendMode = 'transaction',
  ) {
    this.deduplicator = new SpanDeduplicator(connection);
  }

  /** Loads recently stored span keys, so retries across a restart are still stored once. */
  async start(): Promise<void> {
    await this.deduplicator.warmUp();
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
    // An empty backlog can mean a refresh has taken it and is still running; wait for that one.
    if (this.rollupBacklog.length === 0) return this.runningRefresh ?? Promise.resolve();
    return this.connectionQueue.run(async () => {
      const backlog = this.rollupBacklog;
      this.rollupBacklog = [];
      if (backlog.length === 0) return;
      const refresh = this.refreshMinutes(backlog);
      this.runningRefresh = refresh;
      try {
        await refresh;
      } finally {
        if (this.runningRefresh === refresh) this.runningRefresh = null;
      }
    });
  }

  private async refreshMinutes(backlog: RollupInput[]): Promise<void> {
    try {
      await refreshRollupMinutes(this.connection, await minutesTouchedBy(this.connection, backlog));
    } catch (error) {
      // Keep the minutes for the next attempt, so no committed span is left out of the rollups.
      this.rollupBacklog = backlog.concat(this.rollupBacklog);
      throw error;
    }
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
    await appendSpansCommitted(this.connection, spans, this.appendMode);
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
