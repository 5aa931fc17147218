import type { LlmAggregate } from '../store.ts';
import type { Row } from './driver.ts';

const NANOS_PER_SECOND = 1_000_000_000n;

/** A JSON number, or a 64-bit integer ClickHouse wrote as a string; anything else is 0. */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function str(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Reads a nanosecond time selected as a decimal string. */
export function nanos(value: unknown): bigint {
  return BigInt(str(value) || '0');
}

/**
 * Writes Unix nanoseconds as `YYYY-MM-DD hh:mm:ss.nnnnnnnnn` in UTC. ClickHouse reads a
 * plain number in a DateTime64 text field by guessing its unit and format (a nine-digit
 * number of seconds fails as a date), so the date form is the one that parses exactly.
 */
export function dateTime64Text(unixNano: bigint): string {
  const fraction = ((unixNano % NANOS_PER_SECOND) + NANOS_PER_SECOND) % NANOS_PER_SECOND;
  const seconds = (unixNano - fraction) / NANOS_PER_SECOND;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction.toString().padStart(9, '0')}`;
}

/** A finite double, or null: ClickHouse JSON has no NaN or infinity in Nullable(Float64). */
export function finiteOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

/** Reads the aggregate columns; their names differ from the spans columns, as ClickHouse resolves an alias before a column of the same name. */
export function toAggregate(row: Row): LlmAggregate {
  return {
    requests: num(row.requests),
    errors: num(row.errors),
    latencyMs: { p50: numOrNull(row.p50), p95: numOrNull(row.p95), p99: numOrNull(row.p99) },
    tokens: {
      input: num(row.tokens_input),
      output: num(row.tokens_output),
      cachedInput: num(row.tokens_cached_input),
      cacheWrite: num(row.tokens_cache_write),
      reasoning: num(row.tokens_reasoning),
    },
    costUsd: numOrNull(row.cost_total_usd),
    unpricedRequests: num(row.unpriced_requests),
  };
}
