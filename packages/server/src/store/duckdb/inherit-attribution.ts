import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import {
  ATTRIBUTION_COLUMNS,
  ATTRIBUTION_FIELDS,
  AttributionMemory,
  attributionOf,
  hasAnyAttribution,
  traceKey,
  type Attribution,
} from '../attribution-memory.ts';

/**
 * Gives spans the attribution of their trace's root span when they lack their
 * own. Exporters send children before their root (a child ends first), so the
 * two usually arrive in different requests. Recent roots are remembered, so a
 * child arriving after its root is filled in before it is written; traces with
 * stored children still waiting for their root are remembered too, and when
 * that root arrives one UPDATE fills them in.
 * NOTE: a root arriving after its trace left the waiting list (100,000 newer
 * such traces) or more than an hour away from its children does not reach them.
 */
export class AttributionInheritor {
  private readonly memory = new AttributionMemory();

  /**
   * Fills children whose root is already known or is in the same batch, before they
   * are written. Group commit puts spans of several requests in one batch, so a root
   * may precede its children there.
   */
  fillFromKnownRoots(spans: readonly CanonicalSpan[]): void {
    const batchRoots = new Map<string, Attribution>();
    for (const span of spans) {
      if (span.parentSpanId === null && hasAnyAttribution(span))
        batchRoots.set(traceKey(span), attributionOf(span));
    }
    this.memory.fillChildren(spans, (key) => batchRoots.get(key) ?? this.memory.rootOf(key));
  }

  /** Records the written spans, and fills earlier children of roots that just arrived. */
  async afterWrite(connection: DuckDBConnection, spans: readonly CanonicalSpan[]): Promise<void> {
    const arrivedRoots = this.memory.recordWritten(spans);
    if (arrivedRoots.length > 0) await this.fillWaitingChildren(connection, arrivedRoots);
  }

  private async fillWaitingChildren(
    connection: DuckDBConnection,
    roots: readonly CanonicalSpan[],
  ): Promise<void> {
    const { fromUnixNano, toUnixNano } = this.memory.takeWaiting(roots);
    const ids = roots.map((root) => traceKey(root));
    const placeholders = ids.map((_, i) => `$${i + 3}`).join(', ');
    const columns = ATTRIBUTION_FIELDS.map((field) => ATTRIBUTION_COLUMNS[field]);
    const sets = columns
      .map((column) => `${column} = coalesce(s.${column}, r.${column})`)
      .join(', ');
    const missing = columns
      .map((column) => `(s.${column} IS NULL AND r.${column} IS NOT NULL)`)
      .join(' OR ');
    const sql = `UPDATE spans AS s SET ${sets}
      FROM (SELECT project_id, trace_id, ${columns.join(', ')} FROM spans
            WHERE parent_span_id IS NULL AND start_ns BETWEEN $1 AND $2
              AND project_id || chr(0) || trace_id IN (${placeholders})) AS r
      WHERE s.project_id = r.project_id AND s.trace_id = r.trace_id AND s.start_ns BETWEEN $1 AND $2 AND (${missing})`;
    await connection.run(sql, [fromUnixNano, toUnixNano, ...ids]);
  }
}
