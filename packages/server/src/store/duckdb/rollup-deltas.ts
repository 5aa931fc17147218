import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { HOUR_NS, LATENCY_BUCKET_GROWTH, MINUTE_NS } from './rollup-schema.ts';

/** The span fields a rollup row adds up, in the order of ROLLUP_DIMENSIONS. */
export type RollupSpan = Pick<
  CanonicalSpan,
  | 'projectId'
  | 'model'
  | 'responseModel'
  | 'provider'
  | 'tenant'
  | 'feature'
  | 'serviceName'
  | 'environment'
  | 'operation'
  | 'errorType'
  | 'registeredModel'
  | 'startTimeUnixNano'
  | 'durationMs'
> & {
  usage: Pick<
    CanonicalSpan['usage'],
    'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'cacheWriteTokens' | 'reasoningTokens'
  >;
  cost: Pick<CanonicalSpan['cost'], 'totalUsd'>;
};

/** Dimension values of one rollup row, in the order of ROLLUP_DIMENSIONS. */
export type RollupDimensions = readonly (string | null)[];

/** Summed measures of one rollup row. Costs are exact: integer units of 10^-12 USD. */
export interface RollupSums {
  periodStartNs: bigint;
  dimensions: RollupDimensions;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Null while no call of the row had a price, as SQL's sum over only NULLs. */
  costPicoUsd: bigint | null;
  unpricedRequests: number;
}

/** Call count of one latency bucket of one rollup row. */
export interface RollupLatency {
  periodStartNs: bigint;
  dimensions: RollupDimensions;
  bucket: number;
  count: number;
}

/** Rows of one grain, minute or hour. */
export interface GrainDeltas {
  sums: RollupSums[];
  latency: RollupLatency[];
}

const PICO_PER_USD = 1e12;
const LN_GROWTH = Math.log(LATENCY_BUCKET_GROWTH);
const MIN_BUCKETED_DURATION_MS = 0.001;
/**
 * Separates values in a map key, and NULL_MARK stands for a null value.
 * NOTE: two combinations whose values contain these control characters could share a key.
 */
const SEPARATOR = '\u0001';
const NULL_MARK = '\u0002';

/**
 * Returns the latency bucket of a duration, as LATENCY_BUCKET_SQL computes it.
 * NOTE: Math.log and DuckDB's ln can round apart for a duration right at a bucket
 * bound, so a rebuild from SQL may put such a call one bucket (2 %) away.
 */
export function latencyBucket(durationMs: number): number {
  return Math.ceil(Math.log(Math.max(durationMs, MIN_BUCKETED_DURATION_MS)) / LN_GROWTH);
}

/**
 * Converts a cost to 10^-12 USD units, rounded as `CAST(cost AS DECIMAL(38, 12))`
 * rounds it, or null when unpriced. Costs under 2^53 units (about 9,000 USD) are exact.
 */
export function costPicoUsd(costUsd: number | null): number | null {
  if (costUsd === null || !Number.isFinite(costUsd)) return null;
  return Math.round(costUsd * PICO_PER_USD);
}

function dimensionsOf(span: RollupSpan): RollupDimensions {
  return [
    span.projectId,
    span.model,
    span.responseModel,
    span.provider,
    span.tenant,
    span.feature,
    span.serviceName,
    span.environment,
    span.operation,
    span.errorType,
    span.registeredModel,
  ];
}

function dimensionKey(dimensions: RollupDimensions): string {
  let key = '';
  for (const value of dimensions) key += (value ?? NULL_MARK) + SEPARATOR;
  return key;
}

function emptySums(periodStartNs: bigint, dimensions: RollupDimensions): RollupSums {
  return {
    periodStartNs,
    dimensions,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPicoUsd: null,
    unpricedRequests: 0,
  };
}

function addCall(row: RollupSums, span: RollupSpan, sign: 1 | -1): void {
  row.requests += sign;
  if (span.errorType !== null) row.errors += sign;
  row.inputTokens += sign * Math.round(span.usage.inputTokens);
  row.outputTokens += sign * Math.round(span.usage.outputTokens);
  row.cachedInputTokens += sign * Math.round(span.usage.cachedInputTokens);
  row.cacheWriteTokens += sign * Math.round(span.usage.cacheWriteTokens);
  row.reasoningTokens += sign * Math.round(span.usage.reasoningTokens);
}

/** Tells whether a row adds nothing, because all its calls cancelled out. */
function isZeroSums(row: RollupSums): boolean {
  return (
    row.requests === 0 &&
    row.errors === 0 &&
    row.inputTokens === 0 &&
    row.outputTokens === 0 &&
    row.cachedInputTokens === 0 &&
    row.cacheWriteTokens === 0 &&
    row.reasoningTokens === 0 &&
    row.unpricedRequests === 0 &&
    (row.costPicoUsd === null || row.costPicoUsd === 0n)
  );
}

/** A period's sums and its latency bucket counts, for one dimension combination. */
interface PeriodEntry {
  sums: RollupSums;
  /**
   * Cost added since it was last moved into `sums.costPicoUsd`, as a double that
   * stays an exact integer: it moves before it could pass 2^53.
   */
  costPicoPending: number;
  /** Call count per latency bucket. */
  latency: Map<number, number>;
}

/** Costs below this many 10^-12 USD units add up as doubles, exactly. */
const EXACT_PICO_LIMIT = 2 ** 52;

/** The minute and hour entries of one dimension combination, keyed by period index. */
interface DimensionEntry {
  dimensions: RollupDimensions;
  minutes: Map<number, PeriodEntry>;
  hours: Map<number, PeriodEntry>;
}

const MINUTES_PER_HOUR = 60;

function periodEntry(
  periods: Map<number, PeriodEntry>,
  index: number,
  periodNs: bigint,
  dimensions: RollupDimensions,
): PeriodEntry {
  let entry = periods.get(index);
  if (entry === undefined) {
    entry = {
      sums: emptySums(BigInt(index) * periodNs, dimensions),
      costPicoPending: 0,
      latency: new Map(),
    };
    periods.set(index, entry);
  }
  return entry;
}

function addToPeriod(
  entry: PeriodEntry,
  span: RollupSpan,
  bucket: number,
  costPico: number | null,
  sign: 1 | -1,
): void {
  addCall(entry.sums, span, sign);
  if (costPico === null) {
    entry.sums.unpricedRequests += sign;
  } else {
    entry.sums.costPicoUsd ??= 0n;
    if (Math.abs(costPico) >= EXACT_PICO_LIMIT) {
      entry.sums.costPicoUsd += BigInt(sign * costPico);
    } else {
      entry.costPicoPending += sign * costPico;
      if (Math.abs(entry.costPicoPending) >= EXACT_PICO_LIMIT) settleCost(entry);
    }
  }
  entry.latency.set(bucket, (entry.latency.get(bucket) ?? 0) + sign);
}

function settleCost(entry: PeriodEntry): void {
  if (entry.costPicoPending === 0) return;
  entry.sums.costPicoUsd = (entry.sums.costPicoUsd ?? 0n) + BigInt(entry.costPicoPending);
  entry.costPicoPending = 0;
}

function collect(
  entries: Iterable<DimensionEntry>,
  grain: 'minutes' | 'hours',
  into: GrainDeltas,
): void {
  for (const entry of entries) {
    for (const period of entry[grain].values()) {
      settleCost(period);
      if (!isZeroSums(period.sums)) into.sums.push(period.sums);
      for (const [bucket, count] of period.latency) {
        if (count === 0) continue;
        const { periodStartNs, dimensions } = period.sums;
        into.latency.push({ periodStartNs, dimensions, bucket, count });
      }
    }
  }
}

/**
 * Minute and hour sums of the LLM calls of one commit, per period and dimension
 * combination. Rollup rows are sums, so queries add up any number of rows per
 * key, and the commit appends these rows. A call whose attribution changed after
 * its commit is taken out under its old dimensions (sign −1) and added under the
 * new ones.
 */
export class RollupDeltas {
  private entries = new Map<string, DimensionEntry>();

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  add(span: RollupSpan, sign: 1 | -1 = 1): void {
    const dimensions = dimensionsOf(span);
    const key = dimensionKey(dimensions);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { dimensions, minutes: new Map(), hours: new Map() };
      this.entries.set(key, entry);
    }
    // Start times are positive, so truncating division floors as SQL's `//` does.
    const minute = Number(span.startTimeUnixNano / MINUTE_NS);
    const hour = Math.floor(minute / MINUTES_PER_HOUR);
    const bucket = latencyBucket(span.durationMs);
    const cost = costPicoUsd(span.cost.totalUsd);
    addToPeriod(
      periodEntry(entry.minutes, minute, MINUTE_NS, dimensions),
      span,
      bucket,
      cost,
      sign,
    );
    addToPeriod(periodEntry(entry.hours, hour, HOUR_NS, dimensions), span, bucket, cost, sign);
  }

  /** Returns the accumulated rows of both grains and starts empty. */
  take(): { minute: GrainDeltas; hour: GrainDeltas } {
    const minute: GrainDeltas = { sums: [], latency: [] };
    const hour: GrainDeltas = { sums: [], latency: [] };
    collect(this.entries.values(), 'minutes', minute);
    collect(this.entries.values(), 'hours', hour);
    this.entries = new Map();
    return { minute, hour };
  }
}
