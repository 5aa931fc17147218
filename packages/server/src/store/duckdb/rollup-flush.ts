import { DuckDBDecimalValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { appendNullableVarchar, fillAppender } from './appender-values.ts';
import { inTransaction } from './transaction.ts';
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
    await fillAppender(connection, grain.sumsTable, (sums) => {
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
    });
  }
  if (rows.latency.length > 0) {
    await fillAppender(connection, grain.latencyTable, (latency) => {
      for (const row of rows.latency) {
        appendKey(latency, row.periodStartNs, row.dimensions);
        latency.appendSmallInt(row.bucket);
        latency.appendBigInt(BigInt(row.count));
        latency.endRow();
      }
    });
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

/**
 * Appends the delta rows of one commit to the minute and hour rollups. The
 * caller runs it inside the transaction that writes the spans, so the rollups
 * and the spans table change together, crashes included.
 */
export async function appendRollupDeltas(
  connection: DuckDBConnection,
  rows: RollupDeltaRows,
): Promise<void> {
  await appendGrain(connection, MINUTE_GRAIN, rows.minute);
  await appendGrain(connection, HOUR_GRAIN, rows.hour);
}

/** Periods chosen for compaction, per grain. */
export interface CompactionPlan {
  minutes: bigint[];
  hours: bigint[];
}

/** Compacts the periods of `plan` in one transaction, so readers see each period before or after. */
export async function compactRollups(
  connection: DuckDBConnection,
  plan: CompactionPlan,
): Promise<void> {
  await inTransaction(connection, async () => {
    await compactGrain(connection, MINUTE_GRAIN, plan.minutes);
    await compactGrain(connection, HOUR_GRAIN, plan.hours);
  });
}

/** Appends a period may take without compaction while it keeps receiving rows. */
const APPENDS_BEFORE_COMPACTION = 30;

class PeriodTracker {
  /** Appends to each period since it was last compacted. */
  private readonly appends = new Map<bigint, number>();
  /** Periods appended to since the last plan. */
  private recent = new Set<bigint>();

  record(periods: Iterable<bigint>): void {
    for (const period of periods) {
      this.appends.set(period, (this.appends.get(period) ?? 0) + 1);
      this.recent.add(period);
    }
  }

  /** Returns the periods to compact now, and records them as compacted. */
  plan(): bigint[] {
    const chosen: bigint[] = [];
    for (const [period, count] of this.appends) {
      const settled = !this.recent.has(period);
      if (count >= APPENDS_BEFORE_COMPACTION || (settled && count >= 2)) {
        chosen.push(period);
        // A period still receiving calls starts again from its one compacted row per key.
        if (settled) this.appends.delete(period);
        else this.appends.set(period, 1);
      } else if (settled) {
        this.appends.delete(period);
      }
    }
    this.recent = new Set();
    return chosen;
  }

  get isEmpty(): boolean {
    return this.appends.size === 0;
  }
}

function periodsOf(rows: GrainDeltas): Set<bigint> {
  const periods = new Set<bigint>();
  for (const row of rows.sums) periods.add(row.periodStartNs);
  for (const row of rows.latency) periods.add(row.periodStartNs);
  return periods;
}

/**
 * Decides which rollup periods to compact. Each commit appends rows per key, so
 * a period that keeps receiving calls gathers rows. It is compacted once no
 * commit touched it since the last plan, and every APPENDS_BEFORE_COMPACTION
 * appends while commits still do. Queries sum rows, so compaction changes no
 * result.
 */
export class RollupCompaction {
  private readonly minutes = new PeriodTracker();
  private readonly hours = new PeriodTracker();

  /** Counts the appends of one commit. */
  record(rows: RollupDeltaRows): void {
    this.minutes.record(periodsOf(rows.minute));
    this.hours.record(periodsOf(rows.hour));
  }

  get isEmpty(): boolean {
    return this.minutes.isEmpty && this.hours.isEmpty;
  }

  plan(): CompactionPlan {
    return { minutes: this.minutes.plan(), hours: this.hours.plan() };
  }
}
