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

/** Spans are duplicates only within one project; another project may reuse the same ids. */
function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}${spanId}`;
}

/**
 * Drops spans already stored, so a retried export is stored once. Recently
 * written spans are remembered by fingerprint; a fingerprint hit is confirmed
 * against the table before a span is dropped, so a collision never loses data.
 * NOTE: a duplicate that arrives after its original left both generations (at
 * least one million newer spans) is stored again.
 */
export class SpanDeduplicator {
  private readonly recent = new RecentFingerprints(GENERATION_SIZE);

  constructor(private readonly connection: DuckDBConnection) {}

  /** Loads the spans of the last hour of stored data. */
  async warmUp(): Promise<void> {
    const reader = await this.connection.runAndReadAll(
      `SELECT trace_id, span_id FROM spans
       WHERE start_ns >= (SELECT max(start_ns) FROM spans) - ${STARTUP_WINDOW_NS}
       LIMIT ${GENERATION_SIZE}`,
    );
    for (const [traceId, spanId] of reader.getRows())
      this.remember(String(traceId), String(spanId));
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
      if (this.recent.has(fingerprintOf(span.traceId, span.spanId))) candidates.push(span);
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

  rememberAll(spans: readonly CanonicalSpan[]): void {
    for (const span of spans) this.remember(span.traceId, span.spanId);
  }

  /** The project does not enter the fingerprint: a hit is confirmed per project against the table. */
  private remember(traceId: string, spanId: string): void {
    this.recent.add(fingerprintOf(traceId, spanId));
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
