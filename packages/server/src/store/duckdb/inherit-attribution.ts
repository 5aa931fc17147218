import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import {
  ATTRIBUTION_COLUMNS,
  ATTRIBUTION_FIELDS,
  AttributionMemory,
  attributionOf,
  hasAnyAttribution,
  traceKey,
  UnfilledRoots,
  type Attribution,
} from '../attribution-memory.ts';
import { RollupDeltas, type RollupSpan } from './rollup-deltas.ts';
import { ROLLUP_DIMENSIONS } from './rollup-schema.ts';

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
  private readonly unfilledRoots = new UnfilledRoots();

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
    this.memory.fillChildren(
      spans,
      (span) => batchRoots.get(traceKey(span)) ?? this.memory.rootOf(span),
    );
  }

  /**
   * Records spans appended to the open transaction, and returns the roots among them whose
   * trace has stored children waiting. Pass them to `fillAfterCommit` once the transaction
   * has committed; after a rollback, drop them, and the replayed roots are found again.
   */
  recordAppended(spans: readonly CanonicalSpan[]): CanonicalSpan[] {
    return this.memory.recordWritten(spans);
  }

  /**
   * Fills the earlier children of `arrivedRoots`, and of roots whose fill failed at an
   * earlier commit. The LLM calls among those children move in the rollups: `moveCalls`
   * gets each taken out under its old attribution and added under the new one, and writes
   * them in the transaction of the UPDATE.
   */
  async fillAfterCommit(
    connection: DuckDBConnection,
    arrivedRoots: readonly CanonicalSpan[],
    moveCalls?: (connection: DuckDBConnection, moved: RollupDeltas) => Promise<void>,
  ): Promise<void> {
    this.unfilledRoots.add(arrivedRoots);
    await this.unfilledRoots.fillWith((roots) =>
      this.fillWaitingChildren(connection, roots, moveCalls),
    );
  }

  private async fillWaitingChildren(
    connection: DuckDBConnection,
    roots: readonly CanonicalSpan[],
    moveCalls: ((connection: DuckDBConnection, moved: RollupDeltas) => Promise<void>) | undefined,
  ): Promise<void> {
    const { fromUnixNano, toUnixNano } = this.memory.takeWaiting(roots);
    const ids = roots.map((root) => traceKey(root));
    const placeholders = ids.map((_, i) => `$${i + 3}`).join(', ');
    // One row per trace, so a trace with two root spans fills its children from one of them.
    const rootsSql = `SELECT DISTINCT ON (project_id, trace_id) project_id, trace_id, ${COLUMNS.join(', ')}
      FROM spans WHERE parent_span_id IS NULL AND start_ns BETWEEN $1 AND $2
        AND project_id || chr(0) || trace_id IN (${placeholders})
      ORDER BY project_id, trace_id, start_ns, span_id`;
    const join = `s.project_id = r.project_id AND s.trace_id = r.trace_id AND s.start_ns BETWEEN $1 AND $2 AND (${MISSING_SQL})`;
    const params = [fromUnixNano, toUnixNano, ...ids];
    // The calls read before the UPDATE are the ones it changes, because both run in one transaction.
    await connection.run('BEGIN TRANSACTION');
    try {
      const moved = new RollupDeltas();
      if (moveCalls !== undefined) {
        const reader = await connection.runAndReadAll(
          `SELECT ${ROLLUP_CALL_COLUMNS.map((column) => `s.${column}`).join(', ')},
             ${ROLLUP_ATTRIBUTION_COLUMNS.map((column) => `coalesce(s.${column}, r.${column})`).join(', ')}
           FROM spans AS s JOIN (${rootsSql}) AS r ON ${join} WHERE s.is_llm_call`,
          params,
        );
        for (const row of reader.getRows()) {
          const before = rollupSpanOf(row);
          moved.add(before, -1);
          moved.add(withAttribution(before, row.slice(ROLLUP_CALL_COLUMNS.length)), 1);
        }
      }
      await connection.run(
        `UPDATE spans AS s SET ${SETS_SQL} FROM (${rootsSql}) AS r WHERE ${join}`,
        params,
      );
      if (moveCalls !== undefined && !moved.isEmpty) await moveCalls(connection, moved);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

const COLUMNS = ATTRIBUTION_FIELDS.map((field) => ATTRIBUTION_COLUMNS[field]);
const SETS_SQL = COLUMNS.map((column) => `${column} = coalesce(s.${column}, r.${column})`).join(
  ', ',
);
const MISSING_SQL = COLUMNS.map(
  (column) => `(s.${column} IS NULL AND r.${column} IS NOT NULL)`,
).join(' OR ');

/** The columns of a stored call that its rollup rows read, in the order `rollupSpanOf` takes them: the dimensions first. */
const ROLLUP_CALL_COLUMNS = [
  ...ROLLUP_DIMENSIONS,
  'start_ns',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
] as const;

/** The inherited columns that are rollup dimensions, in the order `withAttribution` takes them. */
const ROLLUP_ATTRIBUTION_COLUMNS = [
  'tenant',
  'feature',
  'environment',
  'registered_model',
] as const;

type Cell = unknown;

function text(value: Cell): string | null {
  return value === null ? null : String(value);
}

function rollupSpanOf(row: readonly Cell[]): RollupSpan {
  return {
    projectId: String(row[0]),
    model: text(row[1]),
    responseModel: text(row[2]),
    provider: text(row[3]),
    tenant: text(row[4]),
    feature: text(row[5]),
    serviceName: String(row[6]),
    environment: text(row[7]),
    operation: String(row[8]) as RollupSpan['operation'],
    errorType: text(row[9]) as RollupSpan['errorType'],
    registeredModel: text(row[10]),
    startTimeUnixNano: BigInt(row[11] as bigint),
    durationMs: Number(row[12]),
    usage: {
      inputTokens: Number(row[13]),
      outputTokens: Number(row[14]),
      cachedInputTokens: Number(row[15]),
      cacheWriteTokens: Number(row[16]),
      reasoningTokens: Number(row[17]),
    },
    cost: { totalUsd: row[18] === null ? null : Number(row[18]) },
  };
}

function withAttribution(call: RollupSpan, values: readonly Cell[]): RollupSpan {
  return {
    ...call,
    tenant: text(values[0]),
    feature: text(values[1]),
    environment: text(values[2]),
    registeredModel: text(values[3]),
  };
}
