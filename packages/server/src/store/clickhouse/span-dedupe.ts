import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import type { ClickHouseDriver } from './driver.ts';
import { Params } from './sql.ts';
import { str } from './values.ts';

/** How far apart two copies of a span may start and still be found as duplicates. */
const DUPLICATE_WINDOW_NS = 3_600_000_000_000n;

function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

/**
 * Returns the spans of a batch that are neither repeated in it nor already stored, by
 * looking up the batch's trace ids (the bloom-filter index on `trace_id` keeps this a
 * narrow read). Two nodes accepting the same retry at the same moment can both store it;
 * the ReplacingMergeTree engine then collapses the copies when it merges parts.
 */
export async function dropDuplicateSpans(
  driver: ClickHouseDriver,
  spansTable: string,
  spans: readonly CanonicalSpan[],
): Promise<CanonicalSpan[]> {
  const seen = new Set<string>();
  const unique: CanonicalSpan[] = [];
  for (const span of spans) {
    const key = spanKey(span.projectId, span.traceId, span.spanId);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(span);
  }
  if (unique.length === 0) return unique;
  const stored = await findStored(driver, spansTable, unique);
  return unique.filter((span) => !stored.has(spanKey(span.projectId, span.traceId, span.spanId)));
}

async function findStored(
  driver: ClickHouseDriver,
  spansTable: string,
  spans: readonly CanonicalSpan[],
): Promise<Set<string>> {
  let minNs = spans[0]!.startTimeUnixNano;
  let maxNs = minNs;
  const traceIds = new Set<string>();
  for (const span of spans) {
    if (span.startTimeUnixNano < minNs) minNs = span.startTimeUnixNano;
    if (span.startTimeUnixNano > maxNs) maxNs = span.startTimeUnixNano;
    traceIds.add(span.traceId);
  }
  const params = new Params();
  const rows = await driver.query(
    `SELECT project_id, trace_id, span_id FROM ${spansTable}
     WHERE trace_id IN ${params.add([...traceIds], 'Array(String)')}
       AND start_time >= ${params.time(minNs - DUPLICATE_WINDOW_NS)}
       AND start_time <= ${params.time(maxNs + DUPLICATE_WINDOW_NS)}`,
    params.values,
  );
  return new Set(
    rows.map((row) => spanKey(str(row.project_id), str(row.trace_id), str(row.span_id))),
  );
}
