import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { appendSpansCommitted, type SpanAppendMode } from './span-append.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { SpanDeduplicator } from './span-dedupe.ts';
import { WriteQueueFullError } from '../write-queue-full.ts';
import { RollupDeltas } from './rollup-deltas.ts';
import { RollupCompaction, flushRollupDeltas, type RollupDeltaRows } from './rollup-flush.ts';
import { SerialQueue } from './serial.ts';

/** Default limit of spans waiting for a commit; above it writes are rejected with WriteQueueFullError. */
export const DEFAULT_MAX_QUEUED_SPANS = 32_768;

interface PendingWrite {
  spans: readonly CanonicalSpan[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** How long committed spans may wait before the rollup tables include them. */
const ROLLUP_REFRESH_DELAY_MS = 5000;

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
  /** Rollup sums of the calls committed since the last rollup flush. */
  private rollupDeltas = new RollupDeltas();
  /** Delta rows taken from `rollupDeltas` whose flush failed; the next flush writes them first. */
  private unflushed: RollupDeltaRows[] = [];
  private readonly compaction = new RollupCompaction();
  private rollupTimer: NodeJS.Timeout | null = null;
  /** The rollup flush that has taken the deltas and not yet finished, if any. */
  private runningFlush: Promise<void> | null = null;

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

  /**
   * Runs `task` on the write connection between two commits, after the rollups
   * have taken every committed call, so a task that rebuilds rollup rows from the
   * spans table never has those calls added a second time.
   */
  runExclusive<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.connectionQueue.run(async () => {
      await this.flushRollupDeltas();
      return task(this.connection);
    });
  }

  /**
   * Brings the rollup tables up to date with every committed span. Commits add
   * their calls to in-memory deltas and leave the flush to a timer, so it runs
   * once for many batches instead of on every acknowledgement. Queries that read
   * rollups call this first.
   */
  refreshRollups(): Promise<void> {
    if (this.rollupDeltas.isEmpty && this.unflushed.length === 0) {
      // Empty deltas can mean a flush has taken them and still runs; wait for that one.
      return this.runningFlush ?? Promise.resolve();
    }
    return this.connectionQueue.run(() => this.flushRollupDeltas());
  }

  /** Runs on the connection queue. */
  private async flushRollupDeltas(): Promise<void> {
    if (!this.rollupDeltas.isEmpty) {
      this.unflushed.push(this.rollupDeltas.take());
    }
    if (this.unflushed.length === 0) return;
    const flush = this.writeUnflushed();
    this.runningFlush = flush;
    try {
      await flush;
    } finally {
      if (this.runningFlush === flush) this.runningFlush = null;
    }
  }

  private async writeUnflushed(): Promise<void> {
    const plan = this.compaction.plan(this.unflushed);
    // A failed flush keeps its rows for the next attempt, so no committed call is left out.
    await flushRollupDeltas(this.connection, this.unflushed, plan);
    this.unflushed = [];
    this.compaction.done(plan);
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
    for (const span of spans) {
      if (span.isLlmCall) this.rollupDeltas.add(span);
    }
    await this.inheritor.afterWrite(this.connection, spans, this.rollupDeltas);
    this.scheduleRollupRefresh();
  }
}
