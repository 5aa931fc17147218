import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import {
  ATTRIBUTION_COLUMNS,
  ATTRIBUTION_FIELDS,
  AttributionMemory,
  UnfilledRoots,
} from '../attribution-memory.ts';
import type { ClickHouseDriver } from './driver.ts';
import { Params } from './sql.ts';

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
  private readonly memory = new AttributionMemory();
  private readonly unfilledRoots = new UnfilledRoots();

  /** Fills children from the roots seen so far, including roots in the same batch. */
  fillFromKnownRoots(spans: readonly CanonicalSpan[]): void {
    for (const span of spans) {
      if (span.parentSpanId === null) this.memory.rememberRoot(span);
    }
    this.memory.fillChildren(spans, (span) => this.memory.rootOf(span));
  }

  /**
   * Records the written spans, fills stored children of the roots that just arrived or whose
   * fill failed at an earlier insert, and passes the filled traces to `refresh` (their rollups).
   * A fill counts as done only when both succeed, because both are idempotent and can run again.
   */
  async afterWrite(
    driver: ClickHouseDriver,
    mutationTarget: string,
    spans: readonly CanonicalSpan[],
    refresh: (filled: FilledTraces) => Promise<void>,
  ): Promise<void> {
    this.unfilledRoots.add(this.memory.recordWritten(spans));
    await this.unfilledRoots.fillWith(async (roots) =>
      refresh(await this.fillWaitingChildren(driver, mutationTarget, roots)),
    );
  }

  private async fillWaitingChildren(
    driver: ClickHouseDriver,
    mutationTarget: string,
    roots: readonly CanonicalSpan[],
  ): Promise<FilledTraces> {
    const { fromUnixNano, toUnixNano } = this.memory.takeWaiting(roots);
    const params = new Params();
    const matches = roots.map(
      (root) =>
        `project_id = ${params.add(root.projectId, 'String')} AND trace_id = ${params.add(root.traceId, 'String')}`,
    );
    const sets = ATTRIBUTION_FIELDS.map((field) => {
      const column = ATTRIBUTION_COLUMNS[field];
      const cases = roots.map((root, index) => {
        const value = root[field];
        return `${matches[index]}, ${value === null ? 'NULL' : params.add(value, 'String')}`;
      });
      return `${column} = multiIf(${column} IS NOT NULL, ${column}, ${cases.join(', ')}, ${column})`;
    });
    const traceIds = roots.map((root) => root.traceId);
    // A lightweight UPDATE writes a patch part with the changed rows only, where
    // ALTER TABLE ... UPDATE would rewrite every part holding one of them.
    await driver.command(
      `UPDATE ${mutationTarget} SET ${sets.join(', ')}
       WHERE trace_id IN ${params.add(traceIds, 'Array(String)')}
         AND start_time >= ${params.time(fromUnixNano)} AND start_time <= ${params.time(toUnixNano)}
         AND parent_span_id IS NOT NULL`,
      params.values,
    );
    return { traceIds, fromUnixNano, toUnixNano };
  }
}
