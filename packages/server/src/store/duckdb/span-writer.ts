import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { isDurableCommitError } from './invalidation.ts';
import { appendSpansCommitted, type SpanAppendMode } from './span-append.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { SpanDeduplicator } from './span-dedupe.ts';
import { DEFAULT_MAX_QUEUED_SPANS, GroupCommit } from '../group-commit.ts';
import { RollupDeltas } from './rollup-deltas.ts';
import { RollupCompaction, appendRollupDeltas, compactRollups } from './rollup-flush.ts';
import { SerialQueue } from './serial.ts';

/** How long after a commit the rollup periods it touched are considered for compaction. */
const ROLLUP_COMPACTION_DELAY_MS = 1000;

/**
 * Appends spans to the DuckDB store with group commit, so each request is
 * acknowledged only after the commit that contains its spans has returned.
 */
export class SpanWriter {
  private readonly groupCommit: GroupCommit;
  private closed = false;
  private readonly deduplicator: SpanDeduplicator;
  private readonly inheritor = new AttributionInheritor();
  /** Commits and other work on the write connection, one at a time. */
  private readonly connectionQueue = new SerialQueue();
  /** Rollup periods that commits appended rows to, and when to compact them. */
  private readonly compaction = new RollupCompaction();
  private compactionTimer: NodeJS.Timeout | null = null;

  /**
   * `onDurableCommitError` receives the error of a COMMIT that DuckDB made durable before the
   * automatic checkpoint after it failed. The batch then counts as committed.
   */
  constructor(
    private readonly connection: DuckDBConnection,
    maxQueuedSpans = DEFAULT_MAX_QUEUED_SPANS,
    private readonly appendMode: SpanAppendMode = 'transaction',
    private readonly onDurableCommitError: (error: unknown) => void = () => undefined,
  ) {
    this.deduplicator = new SpanDeduplicator(connection);
    this.groupCommit = new GroupCommit(
      (spans) => this.connectionQueue.run(() => this.commitBatch(spans)),
      'DuckDB',
      maxQueuedSpans,
    );
  }

  /** Loads recently stored span keys, so retries across a restart are still stored once. */
  async start(): Promise<void> {
    await this.deduplicator.warmUp();
  }

  write(spans: readonly CanonicalSpan[]): Promise<void> {
    return this.groupCommit.write(spans);
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

  /** Rejects new writes, waits for the queued ones, then compacts the rollups that are due. */
  async close(): Promise<void> {
    this.closed = true;
    await this.groupCommit.close();
    if (this.compactionTimer !== null) clearTimeout(this.compactionTimer);
    this.compactionTimer = null;
    await this.compactRollups();
  }

  private scheduleCompaction(): void {
    if (this.compactionTimer !== null) return;
    this.compactionTimer = setTimeout(() => {
      this.compactionTimer = null;
      // Compaction only merges rows, so a failed one leaves correct rollups, and the next commit retries it.
      this.compactRollups()
        .then(() => {
          if (!this.compaction.isEmpty && !this.closed) this.scheduleCompaction();
        })
        .catch(() => undefined);
    }, ROLLUP_COMPACTION_DELAY_MS);
    this.compactionTimer.unref();
  }

  private async commitBatch(batch: readonly CanonicalSpan[]): Promise<void> {
    const spans = await this.deduplicator.filter(batch);
    if (spans.length === 0) return;
    this.inheritor.fillFromKnownRoots(spans);
    const calls = new RollupDeltas();
    for (const span of spans) {
      if (span.isLlmCall) calls.add(span);
    }
    try {
      await appendSpansCommitted(this.connection, spans, this.appendMode, (connection) =>
        this.appendRollupRows(connection, calls),
      );
    } catch (error) {
      // The spans and rollup rows are stored, so the writes are acknowledged and a retry of
      // this batch would store them twice.
      if (!isDurableCommitError(error)) throw error;
      this.onDurableCommitError(error);
    }
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
