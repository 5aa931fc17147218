import { DuckDBDecimalValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { appendNullableVarchar } from './appender-values.ts';
import type { GrainDeltas, RollupDimensions } from './rollup-deltas.ts';
import {
  HOUR_GRAIN,
  MINUTE_GRAIN,
  ROLLUP_DIMENSIONS,
  ROLLUP_MEASURES,
  type RollupGrain,
} from './rollup-schema.ts';

/** Width and scale of COST_DECIMAL. */
const COST_WIDTH = 38;
const COST_SCALE = 12;

/** Delta rows of both grains, as `RollupDeltas.take` returns them. */
export interface RollupDeltaRows {
  minute: GrainDeltas;
  hour: GrainDeltas;
}

function appendKey(
  appender: DuckDBAppender,
  periodStartNs: bigint,
  dimensions: RollupDimensions,
): void {
  appender.appendBigInt(periodStartNs);
  for (const value of dimensions) appendNullableVarchar(appender, value);
}

async function appendGrain(
  connection: DuckDBConnection,
  grain: RollupGrain,
  rows: GrainDeltas,
): Promise<void> {
  if (rows.sums.length > 0) {
    const sums = await connection.createAppender(grain.sumsTable);
    try {
      for (const row of rows.sums) {
        appendKey(sums, row.periodStartNs, row.dimensions);
        sums.appendBigInt(BigInt(row.requests));
        sums.appendBigInt(BigInt(row.errors));
        sums.appendBigInt(BigInt(row.inputTokens));
        sums.appendBigInt(BigInt(row.outputTokens));
        sums.appendBigInt(BigInt(row.cachedInputTokens));
        sums.appendBigInt(BigInt(row.cacheWriteTokens));
        sums.appendBigInt(BigInt(row.reasoningTokens));
        if (row.costPicoUsd === null) sums.appendNull();
        else sums.appendDecimal(new DuckDBDecimalValue(row.costPicoUsd, COST_WIDTH, COST_SCALE));
        sums.appendBigInt(BigInt(row.unpricedRequests));
        sums.endRow();
      }
      sums.flushSync();
    } finally {
      sums.closeSync();
    }
  }
  if (rows.latency.length > 0) {
    const latency = await connection.createAppender(grain.latencyTable);
    try {
      for (const row of rows.latency) {
        appendKey(latency, row.periodStartNs, row.dimensions);
        latency.appendSmallInt(row.bucket);
        latency.appendBigInt(BigInt(row.count));
        latency.endRow();
      }
      latency.flushSync();
    } finally {
      latency.closeSync();
    }
  }
}

const DIMENSIONS = ROLLUP_DIMENSIONS.join(', ');

/** Replaces the rows of `periods` in one table with one row per key, dropping keys that add up to nothing. */
async function compactTable(
  connection: DuckDBConnection,
  table: string,
  periods: readonly bigint[],
  measuresSql: string,
  extraKey: string,
  havingSql: string,
): Promise<void> {
  const where = `period_start_ns IN (${periods.map(String).join(', ')})`;
  const key = `period_start_ns, ${DIMENSIONS}${extraKey}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE rollup_compaction AS
    SELECT ${key}, ${measuresSql} FROM ${table} WHERE ${where} GROUP BY ${key} HAVING ${havingSql}`);
  await connection.run(`DELETE FROM ${table} WHERE ${where}`);
  await connection.run(`INSERT INTO ${table} SELECT * FROM rollup_compaction`);
  await connection.run('DROP TABLE rollup_compaction');
}

async function compactGrain(
  connection: DuckDBConnection,
  grain: RollupGrain,
  periods: readonly bigint[],
): Promise<void> {
  if (periods.length === 0) return;
  const sums = ROLLUP_MEASURES.map((measure) => `sum(${measure}) AS ${measure}`).join(', ');
  await compactTable(connection, grain.sumsTable, periods, sums, '', 'sum(requests) <> 0');
  await compactTable(connection, grain.latencyTable, periods, 'sum(n) AS n', ', b', 'sum(n) <> 0');
}

/** Periods that `RollupCompaction.plan` chose to compact, per grain. */
export interface CompactionPlan {
  minutes: bigint[];
  hours: bigint[];
}

/**
 * Appends delta rows to the minute and hour rollups and compacts the periods in
 * `plan`, in one transaction, so readers see the rollups before or after the
 * whole flush.
 */
export async function flushRollupDeltas(
  connection: DuckDBConnection,
  deltas: readonly RollupDeltaRows[],
  plan: CompactionPlan,
): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const rows of deltas) {
      await appendGrain(connection, MINUTE_GRAIN, rows.minute);
      await appendGrain(connection, HOUR_GRAIN, rows.hour);
    }
    await compactGrain(connection, MINUTE_GRAIN, plan.minutes);
    await compactGrain(connection, HOUR_GRAIN, plan.hours);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Flushes a period may take without compaction while it keeps receiving rows. */
const FLUSHES_BEFORE_COMPACTION = 30;

class PeriodTracker {
  /** Flushes that appended rows to each period since it was last compacted. */
  private readonly flushes = new Map<bigint, number>();

  /** Counts a flush touching `touched` and returns the periods to compact with it. */
  plan(touched: ReadonlySet<bigint>): bigint[] {
    for (const period of touched) this.flushes.set(period, (this.flushes.get(period) ?? 0) + 1);
    const chosen: bigint[] = [];
    for (const [period, count] of this.flushes) {
      const settled = !touched.has(period);
      if (count >= FLUSHES_BEFORE_COMPACTION || (settled && count >= 2)) chosen.push(period);
      else if (settled) this.flushes.delete(period);
    }
    return chosen;
  }

  /** Records that `periods` were compacted, so each has one row per key. */
  compacted(periods: readonly bigint[], touched: ReadonlySet<bigint>): void {
    for (const period of periods) {
      if (touched.has(period)) this.flushes.set(period, 1);
      else this.flushes.delete(period);
    }
  }
}

function periodsOf(deltas: readonly RollupDeltaRows[], grain: 'minute' | 'hour'): Set<bigint> {
  const periods = new Set<bigint>();
  for (const rows of deltas) {
    for (const row of rows[grain].sums) periods.add(row.periodStartNs);
    for (const row of rows[grain].latency) periods.add(row.periodStartNs);
  }
  return periods;
}

/**
 * Decides which periods a flush compacts. Each flush appends rows per key, so a
 * period that keeps receiving calls gathers rows. It is compacted once no flush
 * touches it any more, and every FLUSHES_BEFORE_COMPACTION flushes while one
 * still does. Queries sum rows, so compaction changes no result.
 */
export class RollupCompaction {
  private readonly minutes = new PeriodTracker();
  private readonly hours = new PeriodTracker();
  private touched: { minutes: Set<bigint>; hours: Set<bigint> } | null = null;

  plan(deltas: readonly RollupDeltaRows[]): CompactionPlan {
    const minutes = periodsOf(deltas, 'minute');
    const hours = periodsOf(deltas, 'hour');
    this.touched = { minutes, hours };
    return { minutes: this.minutes.plan(minutes), hours: this.hours.plan(hours) };
  }

  /** Records the compactions of `plan`; call it after the flush of `plan` committed. */
  done(plan: CompactionPlan): void {
    if (this.touched === null) return;
    this.minutes.compacted(plan.minutes, this.touched.minutes);
    this.hours.compacted(plan.hours, this.touched.hours);
    this.touched = null;
  }
}
