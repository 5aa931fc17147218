import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';

const FIELDS = [
  'tenant',
  'feature',
  'userId',
  'sessionId',
  'environment',
  'registeredModel',
] as const;
const COLUMNS: Readonly<Record<(typeof FIELDS)[number], string>> = {
  tenant: 'tenant',
  feature: 'feature',
  userId: 'user_id',
  sessionId: 'session_id',
  environment: 'environment',
  registeredModel: 'registered_model',
};
/** Entries kept per generation in each cache; two generations are kept. */
const GENERATION_SIZE = 100_000;
const HOUR_NS = 3_600_000_000_000n;

type Attribution = Pick<CanonicalSpan, (typeof FIELDS)[number]>;

/** A map that forgets its oldest entries: two generations, the older dropped when the newer fills. */
class RecentMap<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  set(key: string, value: V): void {
    if (this.current.size >= GENERATION_SIZE) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }

  delete(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }
}

function missingAny(span: CanonicalSpan): boolean {
  return FIELDS.some((field) => span[field] === null);
}

/** Roots are remembered per project: a trace id reused by another project never lends its values. */
function traceKey(span: CanonicalSpan): string {
  return `${span.projectId}\u0000${span.traceId}`;
}

function hasAny(span: CanonicalSpan): boolean {
  return FIELDS.some((field) => span[field] !== null);
}

function attributionOf(span: CanonicalSpan): Attribution {
  return {
    tenant: span.tenant,
    feature: span.feature,
    userId: span.userId,
    sessionId: span.sessionId,
    environment: span.environment,
    registeredModel: span.registeredModel,
  };
}

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
  private readonly roots = new RecentMap<Attribution>();
  private readonly waiting = new RecentMap<bigint>();

  /**
   * Fills children whose root is already known or is in the same batch, before they
   * are written. Group commit puts spans of several requests in one batch, so a root
   * may precede its children there.
   */
  fillFromKnownRoots(spans: readonly CanonicalSpan[]): void {
    const batchRoots = new Map<string, Attribution>();
    for (const span of spans) {
      if (span.parentSpanId === null && hasAny(span))
        batchRoots.set(traceKey(span), attributionOf(span));
    }
    for (const span of spans) {
      if (span.parentSpanId === null || !missingAny(span)) continue;
      const key = traceKey(span);
      const root = batchRoots.get(key) ?? this.roots.get(key);
      if (root === undefined) continue;
      for (const field of FIELDS) {
        if (span[field] === null) span[field] = root[field];
      }
    }
  }

  /** Records the written spans, and fills earlier children of roots that just arrived. */
  async afterWrite(connection: DuckDBConnection, spans: readonly CanonicalSpan[]): Promise<void> {
    const arrivedRoots: CanonicalSpan[] = [];
    for (const span of spans) {
      if (span.parentSpanId === null) {
        if (!hasAny(span)) continue;
        this.roots.set(traceKey(span), attributionOf(span));
        if (this.waiting.get(traceKey(span)) !== undefined) arrivedRoots.push(span);
      } else if (missingAny(span) && this.roots.get(traceKey(span)) === undefined) {
        this.waiting.set(traceKey(span), span.startTimeUnixNano);
      }
    }
    if (arrivedRoots.length > 0) await this.fillWaitingChildren(connection, arrivedRoots);
  }

  private async fillWaitingChildren(
    connection: DuckDBConnection,
    roots: readonly CanonicalSpan[],
  ): Promise<void> {
    let minNs = roots[0]!.startTimeUnixNano;
    let maxNs = minNs;
    for (const root of roots) {
      if (root.startTimeUnixNano < minNs) minNs = root.startTimeUnixNano;
      if (root.startTimeUnixNano > maxNs) maxNs = root.startTimeUnixNano;
      this.waiting.delete(traceKey(root));
    }
    const ids = roots.map((root) => traceKey(root));
    const placeholders = ids.map((_, i) => `$${i + 3}`).join(', ');
    const columns = FIELDS.map((field) => COLUMNS[field]);
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
    await connection.run(sql, [minNs - HOUR_NS, maxNs + HOUR_NS, ...ids]);
  }
}
