import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';

const FIELDS = ['tenant', 'feature', 'user_id', 'session_id', 'environment'] as const;
const HOUR_NS = 3_600_000_000_000n;

function needsPropagation(span: CanonicalSpan): boolean {
  const values = [span.tenant, span.feature, span.userId, span.sessionId, span.environment];
  if (span.parentSpanId === null) return values.some((value) => value !== null);
  return values.some((value) => value === null);
}

/**
 * Copies the root span's attribution onto spans of the same trace that lack it,
 * for the traces touched by a batch. Exporters send children before their root
 * (a child ends first), so the two usually arrive in different requests.
 * NOTE: spans more than one hour away from the batch's spans are not considered,
 * which bounds the scan but misses traces longer than that.
 */
export async function inheritRootAttribution(
  connection: DuckDBConnection,
  spans: readonly CanonicalSpan[],
): Promise<void> {
  const traceIds = new Set<string>();
  let minNs: bigint | null = null;
  let maxNs: bigint | null = null;
  for (const span of spans) {
    if (!needsPropagation(span)) continue;
    traceIds.add(span.traceId);
    if (minNs === null || span.startTimeUnixNano < minNs) minNs = span.startTimeUnixNano;
    if (maxNs === null || span.startTimeUnixNano > maxNs) maxNs = span.startTimeUnixNano;
  }
  if (traceIds.size === 0 || minNs === null || maxNs === null) return;

  const ids = [...traceIds];
  const placeholders = ids.map((_, i) => `$${i + 3}`).join(', ');
  const sets = FIELDS.map((field) => `${field} = coalesce(s.${field}, r.${field})`).join(', ');
  const missing = FIELDS.map((field) => `(s.${field} IS NULL AND r.${field} IS NOT NULL)`).join(
    ' OR ',
  );
  const sql = `UPDATE spans AS s SET ${sets}
    FROM (SELECT trace_id, ${FIELDS.join(', ')} FROM spans
          WHERE parent_span_id IS NULL AND start_ns BETWEEN $1 AND $2 AND trace_id IN (${placeholders})) AS r
    WHERE s.trace_id = r.trace_id AND s.start_ns BETWEEN $1 AND $2 AND (${missing})`;
  await connection.run(sql, [minNs - HOUR_NS, maxNs + HOUR_NS, ...ids]);
}
