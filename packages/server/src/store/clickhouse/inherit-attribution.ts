import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import type { ClickHouseDriver } from './driver.ts';
import { Params } from './sql.ts';

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
/** Entries kept per generation of each cache; two generations are kept. */
const GENERATION_SIZE = 100_000;
const HOUR_NS = 3_600_000_000_000n;

type Attribution = Pick<CanonicalSpan, (typeof FIELDS)[number]>;

/** A map that drops its oldest entries: the older of two generations is dropped when the newer fills. */
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

function traceKey(span: CanonicalSpan): string {
  return `${span.projectId}\u0000${span.traceId}`;
}

function missingAny(span: CanonicalSpan): boolean {
  return FIELDS.some((field) => span[field] === null);
}

/** The traces whose stored children an UPDATE filled, for refreshing their rollups. */
export interface FilledTraces {
  traceIds: string[];
  fromUnixNano: bigint;
  toUnixNano: bigint;
}

/**
 * Gives spans the tenant, feature, user, session, environment and registered model of
 * their trace's root when they lack their own, as the DuckDB backend does. A child arriving after its root is
 * filled before the insert. Children stored before their root are filled by one lightweight
 * UPDATE per batch when the root arrives.
 * NOTE: a root arriving after 100,000 newer waiting traces, or on another Foghorn node
 * than its children, does not reach the stored children.
 */
export class AttributionInheritor {
  private readonly roots = new RecentMap<Attribution>();
  private readonly waiting = new RecentMap<bigint>();

  /** Fills children from the roots seen so far, including roots in the same batch. */
  fillFromKnownRoots(spans: readonly CanonicalSpan[]): void {
    for (const span of spans) {
      if (span.parentSpanId === null) this.rememberRoot(span);
    }
    for (const span of spans) {
      if (span.parentSpanId === null || !missingAny(span)) continue;
      const root = this.roots.get(traceKey(span));
      if (root === undefined) continue;
      for (const field of FIELDS) {
        if (span[field] === null) span[field] = root[field];
      }
    }
  }

  /** Records the written spans and fills stored children of the roots that just arrived. */
  async afterWrite(
    driver: ClickHouseDriver,
    mutationTarget: string,
    spans: readonly CanonicalSpan[],
  ): Promise<FilledTraces | null> {
    const arrived: CanonicalSpan[] = [];
    for (const span of spans) {
      if (span.parentSpanId === null) {
        if (!FIELDS.some((field) => span[field] !== null)) continue;
        this.rememberRoot(span);
        if (this.waiting.get(traceKey(span)) !== undefined) arrived.push(span);
      } else if (missingAny(span) && this.roots.get(traceKey(span)) === undefined) {
        this.waiting.set(traceKey(span), span.startTimeUnixNano);
      }
    }
    if (arrived.length === 0) return null;
    return this.fillWaitingChildren(driver, mutationTarget, arrived);
  }

  private rememberRoot(root: CanonicalSpan): void {
    if (!FIELDS.some((field) => root[field] !== null)) return;
    this.roots.set(traceKey(root), {
      tenant: root.tenant,
      feature: root.feature,
      userId: root.userId,
      sessionId: root.sessionId,
      environment: root.environment,
      registeredModel: root.registeredModel,
    });
  }

  private async fillWaitingChildren(
    driver: ClickHouseDriver,
    mutationTarget: string,
    roots: readonly CanonicalSpan[],
  ): Promise<FilledTraces> {
    let minNs = roots[0]!.startTimeUnixNano;
    let maxNs = minNs;
    for (const root of roots) {
      if (root.startTimeUnixNano < minNs) minNs = root.startTimeUnixNano;
      if (root.startTimeUnixNano > maxNs) maxNs = root.startTimeUnixNano;
      this.waiting.delete(traceKey(root));
    }
    const params = new Params();
    const matches = roots.map(
      (root) =>
        `project_id = ${params.add(root.projectId, 'String')} AND trace_id = ${params.add(root.traceId, 'String')}`,
    );
    const sets = FIELDS.map((field) => {
      const column = COLUMNS[field];
      const cases = roots.map((root, index) => {
        const value = root[field];
        return `${matches[index]}, ${value === null ? 'NULL' : params.add(value, 'String')}`;
      });
      return `${column} = multiIf(${column} IS NOT NULL, ${column}, ${cases.join(', ')}, ${column})`;
    });
    const fromNs = minNs - HOUR_NS;
    const toNs = maxNs + HOUR_NS;
    const traceIds = roots.map((root) => root.traceId);
    // A lightweight UPDATE writes a patch part with the changed rows only, where
    // ALTER TABLE ... UPDATE would rewrite every part holding one of them.
    await driver.command(
      `UPDATE ${mutationTarget} SET ${sets.join(', ')}
       WHERE trace_id IN ${params.add(traceIds, 'Array(String)')}
         AND start_time >= ${params.time(fromNs)} AND start_time <= ${params.time(toNs)}
         AND parent_span_id IS NOT NULL`,
      params.values,
    );
    return { traceIds, fromUnixNano: fromNs, toUnixNano: toNs };
  }
}
