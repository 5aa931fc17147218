import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBBlobValue } from '@duckdb/node-api';

/**
 * Bloom filters of the trace ids in the spans table, one set per hour of span start time.
 * A lookup by trace id reads only the hours whose filter may contain the id, where the zone
 * maps of `start_ns` skip the other row groups. This replaces an ART index on `trace_id`,
 * which DuckDB 1.5 writes out whole at every checkpoint: with 10 million spans each
 * checkpoint took about 6 s (docs/benchmarks.md).
 *
 * A filter never misses an id that was added, and matches about 1 in 2,000 ids that were
 * not. Spans deleted later leave their bits set, which only adds false matches. Spans
 * inserted by SQL outside the span writer need `rebuild()`.
 */

export const HOUR_NS = 3_600_000_000_000n;
/** Bits per expected entry and probes per id: about 0.05 % false positives at capacity. */
const BITS_PER_ENTRY = 16;
const PROBES = 11;
/** Entries of an hour's first filter. A full filter gets a successor this many times larger. */
const FIRST_CAPACITY = 1024;
const GROWTH = 4;
/**
 * Entries of the largest filter, whose bits take 128 KiB; a full one gets a successor of the
 * same size. With filters of 512 KiB, larger than DuckDB's 256 KiB block, the ingest bench's
 * sustained case peaked at 1.4 to 2.4 GiB of resident memory instead of about 0.9.
 */
const MAX_CAPACITY = 65_536;

export const TRACE_ID_FILTERS_SCHEMA = `CREATE TABLE IF NOT EXISTS trace_id_filters (
  hour BIGINT NOT NULL,
  part INTEGER NOT NULL,
  capacity INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  bits BLOB NOT NULL
)`;

/** Above this many time ranges, a lookup scans the whole table instead of each range. */
const MAX_LOOKUP_RANGES = 32;

interface FilterPart {
  capacity: number;
  entries: number;
  bits: Uint8Array;
}

/** Two 32-bit hashes of `id` for double hashing; the second is odd, so the probes differ. */
function hashPair(id: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // The finalizer of MurmurHash3 spreads FNV-1a's weak low bits over the word.
  let g = h ^ 0x9e3779b9;
  g ^= g >>> 16;
  g = Math.imul(g, 0x85ebca6b);
  g ^= g >>> 13;
  g = Math.imul(g, 0xc2b2ae35);
  g ^= g >>> 16;
  return [h >>> 0, (g | 1) >>> 0];
}

function mayContain(part: FilterPart, h1: number, h2: number): boolean {
  const mask = part.bits.length * 8 - 1;
  for (let i = 0; i < PROBES; i++) {
    const bit = (h1 + Math.imul(i, h2)) & mask;
    if ((part.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

function insert(part: FilterPart, h1: number, h2: number): void {
  const mask = part.bits.length * 8 - 1;
  for (let i = 0; i < PROBES; i++) {
    const bit = (h1 + Math.imul(i, h2)) & mask;
    part.bits[bit >>> 3]! |= 1 << (bit & 7);
  }
  part.entries += 1;
}

function newPart(capacity: number): FilterPart {
  // The bit count is a power of two, so a probe's position is a mask of the hash.
  const bits = 2 ** Math.ceil(Math.log2(capacity * BITS_PER_ENTRY));
  return { capacity, entries: 0, bits: new Uint8Array(bits / 8) };
}

/** The hour of a span start time, as the number of hours since 1970 (negative before). */
export function hourOf(startNs: bigint): number {
  const hour = startNs / HOUR_NS;
  // BigInt division truncates toward zero; an hour holds the times from its start on.
  return Number(startNs < 0n && hour * HOUR_NS !== startNs ? hour - 1n : hour);
}

export class TraceIdFilters {
  private readonly hours = new Map<number, FilterPart[]>();
  /** Parts changed since the last `persist`, as `hour:part` keys. */
  private readonly dirty = new Set<string>();

  /** Adds a trace id seen in a span that started at `startNs`. */
  add(traceId: string, startNs: bigint): void {
    const hour = hourOf(startNs);
    const [h1, h2] = hashPair(traceId);
    let parts = this.hours.get(hour);
    if (parts === undefined) {
      parts = [newPart(FIRST_CAPACITY)];
      this.hours.set(hour, parts);
    }
    // Spans of one trace repeat its id, and counting them again would fill parts early.
    for (const part of parts) if (mayContain(part, h1, h2)) return;
    let last = parts[parts.length - 1]!;
    if (last.entries >= last.capacity) {
      last = newPart(Math.min(last.capacity * GROWTH, MAX_CAPACITY));
      parts.push(last);
    }
    insert(last, h1, h2);
    this.dirty.add(`${hour}:${parts.length - 1}`);
  }

  /** Returns the hours, ascending, whose filter may hold `traceId`. */
  candidateHours(traceId: string): number[] {
    const [h1, h2] = hashPair(traceId);
    const found: number[] = [];
    for (const [hour, parts] of this.hours) {
      if (parts.some((part) => mayContain(part, h1, h2))) found.push(hour);
    }
    return found.sort((a, b) => a - b);
  }

  /** Forgets the hours before `hour` and returns how many it dropped. */
  dropBefore(hour: number): number {
    let dropped = 0;
    for (const key of [...this.hours.keys()]) {
      if (key >= hour) continue;
      this.hours.delete(key);
      dropped += 1;
    }
    for (const key of [...this.dirty]) {
      if (Number(key.slice(0, key.indexOf(':'))) < hour) this.dirty.delete(key);
    }
    return dropped;
  }

  /** Bytes of filter bits held in memory. */
  get bytes(): number {
    let total = 0;
    for (const parts of this.hours.values()) for (const part of parts) total += part.bits.length;
    return total;
  }

  /**
   * Writes the parts changed since the last call to `trace_id_filters`, in the caller's
   * transaction, so they commit with the spans that changed them. Returns a function that
   * marks them written, for the caller to run once the transaction has committed.
   */
  async persist(connection: DuckDBConnection): Promise<() => void> {
    const keys = [...this.dirty];
    for (const key of keys) {
      const separator = key.indexOf(':');
      const hour = Number(key.slice(0, separator));
      const index = Number(key.slice(separator + 1));
      const part = this.hours.get(hour)?.[index];
      if (part === undefined) continue;
      await connection.run('DELETE FROM trace_id_filters WHERE hour = $1 AND part = $2', [
        hour,
        index,
      ]);
      await connection.run('INSERT INTO trace_id_filters VALUES ($1, $2, $3, $4, $5)', [
        hour,
        index,
        part.capacity,
        part.entries,
        new DuckDBBlobValue(part.bits.slice()),
      ]);
    }
    return () => {
      for (const key of keys) this.dirty.delete(key);
    };
  }

  /** Reads the filters that `persist` wrote. */
  static async load(connection: DuckDBConnection): Promise<TraceIdFilters> {
    const filters = new TraceIdFilters();
    const reader = await connection.runAndReadAll(
      'SELECT hour, part, capacity, entries, bits FROM trace_id_filters ORDER BY hour, part',
    );
    for (const row of reader.getRows()) {
      const hour = Number(row[0]);
      const parts = filters.hours.get(hour) ?? [];
      parts[Number(row[1])] = {
        capacity: Number(row[2]),
        entries: Number(row[3]),
        bits: Uint8Array.from((row[4] as DuckDBBlobValue).bytes),
      };
      filters.hours.set(hour, parts);
    }
    return filters;
  }

  /**
   * Replaces the filters with ones built from every span in the table and writes them, for
   * a store that had none yet or spans inserted by SQL. Runs in the caller's transaction.
   */
  async rebuild(connection: DuckDBConnection): Promise<void> {
    // Lookups between the awaits keep reading the old filters until the swap below.
    const built = new TraceIdFilters();
    const result = await connection.stream('SELECT trace_id, start_ns FROM spans');
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const [traceIds, starts] = chunk.getColumns() as [string[], bigint[]];
      for (let i = 0; i < traceIds.length; i++) built.add(traceIds[i]!, starts[i]!);
    }
    await connection.run('DELETE FROM trace_id_filters');
    await built.persist(connection);
    this.hours.clear();
    this.dirty.clear();
    for (const [hour, parts] of built.hours) this.hours.set(hour, parts);
  }
}

/**
 * Loads the store's trace id filters. The first open of a store written before the filters
 * existed builds them from the spans table, in one transaction with the table's creation,
 * so an interrupted build starts over at the next open.
 */
export async function openTraceIdFilters(connection: DuckDBConnection): Promise<TraceIdFilters> {
  const reader = await connection.runAndReadAll(
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'trace_id_filters'",
  );
  if (Number(reader.getRows()[0]?.[0] ?? 0) > 0) return TraceIdFilters.load(connection);
  const filters = new TraceIdFilters();
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(TRACE_ID_FILTERS_SCHEMA);
    await filters.rebuild(connection);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return filters;
}

/**
 * Returns the query for the spans of a trace in `hours`, the candidates from
 * `candidateHours`, or null when there are none. Parameters: $1 the trace id, $2 the
 * project. Adjacent hours merge into one range, and each range is a query of its own,
 * because DuckDB skips row groups by zone map for a range but not for a disjunction of them.
 */
export function traceLookupSql(hours: readonly number[]): string | null {
  if (hours.length === 0) return null;
  const select = 'SELECT * FROM spans WHERE trace_id = $1 AND project_id = $2';
  const ranges: [number, number][] = [];
  for (const hour of hours) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === hour) last[1] = hour + 1;
    else ranges.push([hour, hour + 1]);
  }
  if (ranges.length > MAX_LOOKUP_RANGES) return `${select} ORDER BY start_ns, span_id`;
  const parts = ranges.map(
    ([from, to]) =>
      `${select} AND start_ns >= ${BigInt(from) * HOUR_NS} AND start_ns < ${BigInt(to) * HOUR_NS}`,
  );
  return `SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY start_ns, span_id`;
}
