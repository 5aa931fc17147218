import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { appendSpansCommitted, type SpanAppendMode } from './span-append.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { SpanDeduplicator } from './span-dedupe.ts';
import { WriteQueueFullError } from '../write-queue-full.ts';
import { RollupDeltas } from './rollup-deltas.ts';
import { RollupCompaction, appendRollupDeltas, compactRollups } from './rollup-flush.ts';
import { SerialQueue } from './serial.ts';

/** Default limit of spans waiting for a commit; above it writes are rejected with WriteQueueFullError. */
export const DEFAULT_MAX_QUEUED_SPANS = 32_768;

interface PendingWrite {
  spans: readonly CanonicalSpan[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** How long after a commit the rollup periods it touched are considered for compaction. */
const ROLLUP_COMPACTION_DELAY_MS = 1000;

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
  /** Rollup periods that commits appended rows to, and when to compact them. */
  private readonly compaction = new RollupCompaction();
  private compactionTimer: NodeJS.Timeout | null = null;

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

  /** Compacts the rollup periods that are due, between two commits. */
  compactRollups(): Promise<void> {
    return this.connectionQueue.run(async () => {
      if (this.compaction.isEmpty) return;
      await compactRollups(this.connection, this.compaction.plan());
    });
  }

  /** Waits for queued writes, then rejects new writes. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.pending.length > 0) {
      await this.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.compactionTimer !== null) clearTimeout(this.compactionTimer);
    this.compactionTimer = null;
    await this.compactRollups();
  }

  private scheduleCompaction(): void {
    if (this.compactionTimer !== null) return;
    this.compactionTimer = setTimeout(() => {
      this.compactionTimer = null;
      // Compaction only merges rows, so a failed one leaves correct rollups; the next commit retries.
      this.compactRollups()
        .then(() => {
          if (!this.compaction.isEmpty && !this.closed) this.scheduleCompaction();
        })
        .catch(() => undefined);
    }, ROLLUP_COMPACTION_DELAY_MS);
    this.compactionTimer.unref();
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
    const calls = new RollupDeltas();
    for (const span of spans) {
      if (span.isLlmCall) calls.add(span);
    }
    await appendSpansCommitted(this.connection, spans, this.appendMode, (connection) =>
      this.appendRollupRows(connection, calls),
    );
    this.deduplicator.rememberAll(spans);
    await this.inheritor.afterWrite(this.connection, spans, (connection, moved) =>
      this.appendRollupRows(connection, moved),
    );
  }

  /** Appends rollup rows inside the caller's transaction, and schedules their compaction. */
  private async appendRollupRows(
    connection: DuckDBConnection,
    deltas: RollupDeltas,
  ): Promise<void> {
    if (deltas.isEmpty) return;
    const rows = deltas.take();
    await appendRollupDeltas(connection, rows);
    this.compaction.record(rows);
    this.scheduleCompaction();
  }
}
