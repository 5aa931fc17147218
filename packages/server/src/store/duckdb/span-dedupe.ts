import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { RecentFingerprints, fingerprintOf } from '../../recent-fingerprints.ts';

/** Keys kept per generation; two generations keep between one and two times this many. */
const GENERATION_SIZE = 1_000_000;
const STARTUP_WINDOW_NS = 3_600_000_000_000n;
/** How far apart two copies of a span may start and still be found as duplicates. */
const DUPLICATE_WINDOW_NS = 3_600_000_000_000n;

function withinWindow(a: bigint, b: bigint): boolean {
  const gap = a > b ? a - b : b - a;
  return gap <= DUPLICATE_WINDOW_NS;
}

/**
 * Returns whether the correction that `issue` records may have set the start to the receive
 * time: a zero start without an end, and a start in the future.
 */
function startsAtReceiveTime(issue: string): boolean {
  return issue === 'start_time_zero' || issue === 'start_time_in_future';
}

/** Spans are duplicates only within one project; another project may reuse the same ids. */
function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}${spanId}`;
}

/**
 * Drops spans already stored, so a retried export is stored once. Recently
 * written spans are remembered by fingerprint; a fingerprint hit is confirmed
 * against the table before a span is dropped, so a collision never loses data.
 * A span that may have a copy that is not remembered is looked up in the table
 * too: one that starts before the oldest span remembered at startup, or no
 * later than the latest start among the spans that left both generations. Those
 * bounds hold for copies with the same start, as a retried export sends. A span
 * whose start was moved to its receive time gets another start each time it is
 * sent, so it is always looked up.
 * NOTE: so a backfill of spans older than those costs one query per load.
 */
export class SpanDeduplicator {
  private readonly recent: RecentFingerprints;
  /**
   * A span that starts before this may have a stored copy that is not remembered, from before
   * the startup or from a dropped generation, so it is looked up. Null while none can exist.
   */
  private lookUpBefore: bigint | null = null;
  /** The latest start among the spans remembered in each generation, null while it has none. */
  private currentLatestStart: bigint | null = null;
  private previousLatestStart: bigint | null = null;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly generationSize = GENERATION_SIZE,
  ) {
    this.recent = new RecentFingerprints(generationSize, () => this.onGenerationDropped());
  }

  /**
   * Remembers the spans of the last hour of stored data, up to one generation of the
   * newest. Spans that start earlier are looked up in the table when they arrive again.
   */
  async warmUp(): Promise<void> {
    const reader = await this.connection.runAndReadAll(
      `SELECT trace_id, span_id, start_ns FROM spans
       WHERE start_ns >= (SELECT max(start_ns) FROM spans) - ${STARTUP_WINDOW_NS}
       ORDER BY start_ns DESC
       LIMIT ${this.generationSize}`,
    );
    const rows = reader.getRows();
    for (const [traceId, spanId, startNs] of rows)
      this.remember(String(traceId), String(spanId), BigInt(startNs as bigint));
    if (rows.length === 0) return;
    const newest = BigInt(rows[0]![2] as bigint);
    const oldest = BigInt(rows[rows.length - 1]![2] as bigint);
    // At the limit, spans that start with the oldest loaded one may have been left out.
    this.lookUpBefore =
      rows.length < this.generationSize ? newest - STARTUP_WINDOW_NS : oldest + 1n;
  }

  /**
   * Returns the spans that are neither repeated in the batch nor already stored. A repeat
   * counts as a duplicate only when it starts within DUPLICATE_WINDOW_NS of an earlier copy,
   * the window of the lookup in the table. So a batch that joins several requests keeps the
   * spans that those requests would keep one by one.
   */
  async filter(spans: readonly CanonicalSpan[]): Promise<CanonicalSpan[]> {
    const seen = new Map<string, bigint[]>();
    const unique: CanonicalSpan[] = [];
    const candidates: CanonicalSpan[] = [];
    for (const span of spans) {
      const key = spanKey(span.projectId, span.traceId, span.spanId);
      const earlierStarts = seen.get(key);
      if (earlierStarts === undefined) {
        seen.set(key, [span.startTimeUnixNano]);
      } else if (earlierStarts.some((start) => withinWindow(start, span.startTimeUnixNano))) {
        continue;
      } else {
        earlierStarts.push(span.startTimeUnixNano);
      }
      if (this.mayBeStored(span)) candidates.push(span);
      else unique.push(span);
    }
    if (candidates.length === 0) return unique;
    unique.push(...(await this.withoutStored(candidates)));
    return unique;
  }

  /**
   * Returns the spans that have no stored copy within DUPLICATE_WINDOW_NS, looking every
   * span up in the table, so it also finds copies stored before the last restart.
   */
  async withoutStored(spans: readonly CanonicalSpan[]): Promise<CanonicalSpan[]> {
    if (spans.length === 0) return [];
    const stored = await this.findStored(spans);
    return spans.filter((span) => {
      const starts = stored.get(spanKey(span.projectId, span.traceId, span.spanId));
      return (
        starts === undefined || !starts.some((start) => withinWindow(start, span.startTimeUnixNano))
      );
    });
  }

  private mayBeStored(span: CanonicalSpan): boolean {
    if (span.ingestIssues.some(startsAtReceiveTime)) return true;
    if (this.lookUpBefore !== null && span.startTimeUnixNano < this.lookUpBefore) return true;
    return this.recent.has(fingerprintOf(span.traceId, span.spanId));
  }

  rememberAll(spans: readonly CanonicalSpan[]): void {
    for (const span of spans) this.remember(span.traceId, span.spanId, span.startTimeUnixNano);
  }

  /** The project does not enter the fingerprint: a hit is confirmed per project against the table. */
  private remember(traceId: string, spanId: string, startNs: bigint): void {
    this.recent.add(fingerprintOf(traceId, spanId));
    if (this.currentLatestStart === null || startNs > this.currentLatestStart)
      this.currentLatestStart = startNs;
  }

  /** Records the latest start of the dropped generation, so its spans are looked up from now on. */
  private onGenerationDropped(): void {
    const dropped = this.previousLatestStart;
    if (dropped !== null && (this.lookUpBefore === null || dropped >= this.lookUpBefore))
      this.lookUpBefore = dropped + 1n;
    this.previousLatestStart = this.currentLatestStart;
    this.currentLatestStart = null;
  }

  /** Returns the start times of the stored copies of `candidates`, by span key. */
  private async findStored(candidates: readonly CanonicalSpan[]): Promise<Map<string, bigint[]>> {
    let minNs = candidates[0]!.startTimeUnixNano;
    let maxNs = minNs;
    const traceIds = new Set<string>();
    for (const span of candidates) {
      if (span.startTimeUnixNano < minNs) minNs = span.startTimeUnixNano;
      if (span.startTimeUnixNano > maxNs) maxNs = span.startTimeUnixNano;
      traceIds.add(span.traceId);
    }
    const ids = [...traceIds];
    const placeholders = ids.map((_, i) => `$${i + 3}`).join(', ');
    const reader = await this.connection.runAndReadAll(
      `SELECT project_id, trace_id, span_id, start_ns FROM spans WHERE start_ns BETWEEN $1 AND $2 AND trace_id IN (${placeholders})`,
      [minNs - DUPLICATE_WINDOW_NS, maxNs + DUPLICATE_WINDOW_NS, ...ids],
    );
    const stored = new Map<string, bigint[]>();
    for (const [projectId, traceId, spanId, startNs] of reader.getRows()) {
      const key = spanKey(String(projectId), String(traceId), String(spanId));
      const starts = stored.get(key);
      if (starts === undefined) stored.set(key, [BigInt(startNs as bigint)]);
      else starts.push(BigInt(startNs as bigint));
    }
    return stored;
  }
}
