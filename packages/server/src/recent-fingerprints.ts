/**
 * Recently seen keys, kept as 64-bit fingerprints in typed arrays. A string key
 * in a `Map` or `Set` costs 100 to 200 bytes of V8 heap, and every full garbage
 * collection visits it. A fingerprint costs an 8-byte slot, plus a 4-byte
 * payload in a map, in memory that the collector does not scan. As strings, the
 * caches that remember the last 100,000 to 2,000,000 spans were most of the
 * server's live heap under sustained ingest.
 *
 * A fingerprint can collide: two keys share one with a probability of about
 * 2^-64 per pair. Callers either confirm a hit elsewhere or accept that rare
 * false hit.
 */

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface Fingerprint {
  hi: number;
  lo: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** A second odd multiplier and seed, so the two halves are independent hashes. */
const SECOND_PRIME = 0x5bd1e995;
const SECOND_SEED = 0x9e3779b9;
/**
 * A code hashed between two parts, so ("ab", "c") and ("a", "bc") differ. It is
 * above every UTF-16 code unit, so no character of a part hashes the same.
 */
const PART_SEPARATOR = 0x10000;

/**
 * Returns the fingerprint of a key made of `parts`. Every character counts,
 * through two FNV-1a hashes with different primes and a final mix, so keys that
 * differ in one digit, such as sequential ids, get unrelated fingerprints.
 */
export function fingerprintOf(...parts: string[]): Fingerprint {
  let first = FNV_OFFSET;
  let second = FNV_OFFSET ^ SECOND_SEED;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (p > 0) {
      first = Math.imul(first ^ PART_SEPARATOR, FNV_PRIME);
      second = Math.imul(second ^ PART_SEPARATOR, SECOND_PRIME);
    }
    for (let i = 0; i < part.length; i++) {
      const code = part.charCodeAt(i);
      first = Math.imul(first ^ code, FNV_PRIME);
      second = Math.imul(second ^ code, SECOND_PRIME);
    }
  }
  // A high half of zero is kept for the empty and deleted slot markers.
  const hi = mix(first) >>> 0;
  return { hi: hi === 0 ? 1 : hi, lo: mix(second) >>> 0 };
}

/** Spreads every input bit over the whole word (the finalizer of MurmurHash3). */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const FIRST_CAPACITY = 1024;
/** The share of slots, deleted ones included, above which a table grows or drops its deleted slots. */
const MAX_LOAD = 0.7;
/** The largest share of live keys in a full generation, so a full table still has room to probe. */
const FULL_LOAD = 0.6;
/** The low half of a deleted slot. Its high half is 0, like an empty slot's. */
const DELETED = 1;
const ABSENT = -1;

/**
 * One generation: an open-addressing table with linear probing. Slot `i` has
 * the fingerprint in `keys[2i]` (high half) and `keys[2i + 1]` (low half), and,
 * in a table with payloads, a payload in `payloads[i]`.
 */
class Generation {
  count = 0;
  private used = 0;
  private capacity = FIRST_CAPACITY;
  private keys = new Uint32Array(FIRST_CAPACITY * 2);
  private payloads: Int32Array | null;

  constructor(
    private readonly maxCapacity: number,
    withPayloads: boolean,
  ) {
    this.payloads = withPayloads ? new Int32Array(FIRST_CAPACITY) : null;
  }

  /** Returns the payload of `print` (0 in a table without payloads), or ABSENT. */
  find(print: Fingerprint): number {
    const slot = this.slotOf(print);
    if (slot === ABSENT) return ABSENT;
    return this.payloads === null ? 0 : this.payloads[slot]!;
  }

  /** Stores `payload` for `print`, replacing the payload it had. */
  put(print: Fingerprint, payload: number): void {
    const existing = this.slotOf(print);
    if (existing !== ABSENT) {
      if (this.payloads !== null) this.payloads[existing] = payload;
      return;
    }
    if (this.used + 1 > this.capacity * MAX_LOAD) this.rehash(this.nextCapacity());
    const mask = this.capacity - 1;
    let slot = print.lo & mask;
    // A deleted slot is only reused by a key whose probe reaches no live copy of it,
    // which slotOf ruled out above.
    while (this.keys[slot * 2] !== 0) slot = (slot + 1) & mask;
    if (this.keys[slot * 2 + 1] !== DELETED) this.used++;
    this.keys[slot * 2] = print.hi;
    this.keys[slot * 2 + 1] = print.lo;
    if (this.payloads !== null) this.payloads[slot] = payload;
    this.count++;
  }

  remove(print: Fingerprint): void {
    const slot = this.slotOf(print);
    if (slot === ABSENT) return;
    this.keys[slot * 2] = 0;
    this.keys[slot * 2 + 1] = DELETED;
    this.count--;
  }

  /** Empties the table and keeps its arrays, so the next generation allocates nothing. */
  clear(): void {
    this.keys.fill(0);
    this.count = 0;
    this.used = 0;
  }

  private slotOf(print: Fingerprint): number {
    const mask = this.capacity - 1;
    let slot = print.lo & mask;
    for (;;) {
      const hi = this.keys[slot * 2]!;
      const lo = this.keys[slot * 2 + 1]!;
      if (hi === print.hi && lo === print.lo) return slot;
      if (hi === 0 && lo !== DELETED) return ABSENT;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Returns the doubled capacity while live keys fill more than half the allowed load. A table
   * of mostly deleted slots, or one at its largest size, keeps its capacity and drops them.
   */
  private nextCapacity(): number {
    const grow = this.count + 1 > (this.capacity * MAX_LOAD) / 2;
    return grow && this.capacity < this.maxCapacity ? this.capacity * 2 : this.capacity;
  }

  private rehash(capacity: number): void {
    const keys = this.keys;
    const payloads = this.payloads;
    const oldCapacity = this.capacity;
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * 2);
    if (payloads !== null) this.payloads = new Int32Array(capacity);
    this.count = 0;
    this.used = 0;
    for (let slot = 0; slot < oldCapacity; slot++) {
      const hi = keys[slot * 2]!;
      if (hi !== 0)
        this.put({ hi, lo: keys[slot * 2 + 1]! }, payloads === null ? 0 : payloads[slot]!);
    }
  }
}

/** Returns the smallest power of two with room for `keys` live keys at FULL_LOAD. */
function capacityFor(keys: number): number {
  let capacity = FIRST_CAPACITY;
  while (keys > capacity * FULL_LOAD) capacity *= 2;
  return capacity;
}

/**
 * Fingerprints with an integer payload each, in two generations: once the newer
 * has `generationSize` keys, the older is dropped and the newer becomes the
 * older. So between `generationSize` and twice as many recent keys are kept.
 */
class Generations {
  protected current: Generation;
  protected previous: Generation;

  constructor(
    private readonly generationSize: number,
    withPayloads: boolean,
  ) {
    const maxCapacity = capacityFor(generationSize);
    this.current = new Generation(maxCapacity, withPayloads);
    this.previous = new Generation(maxCapacity, withPayloads);
  }

  get size(): number {
    return this.current.count + this.previous.count;
  }

  delete(print: Fingerprint): void {
    this.current.remove(print);
    this.previous.remove(print);
  }

  /** Runs when the newer generation becomes the older. */
  protected onRotate(): void {}

  /** Starts a new generation when the newer one is full and `print` would add a key to it. */
  protected makeRoomFor(print: Fingerprint): void {
    if (this.current.count < this.generationSize || this.current.find(print) !== ABSENT) return;
    const dropped = this.previous;
    dropped.clear();
    this.previous = this.current;
    this.current = dropped;
    this.onRotate();
  }
}

/** A set of recent fingerprints. */
export class RecentFingerprints extends Generations {
  /** `rotated` runs each time the older generation is dropped, before the next key is added. */
  constructor(
    generationSize: number,
    private readonly rotated: () => void = () => undefined,
  ) {
    super(generationSize, false);
  }

  protected override onRotate(): void {
    this.rotated();
  }

  has(print: Fingerprint): boolean {
    return this.current.find(print) !== ABSENT || this.previous.find(print) !== ABSENT;
  }

  add(print: Fingerprint): void {
    this.makeRoomFor(print);
    this.current.put(print, 0);
  }
}

/**
 * A map from recent fingerprints to values. Values with the same `keyOf` are
 * stored once per generation, so a million keys that map to a few hundred
 * distinct values hold a few hundred objects.
 */
export class RecentFingerprintMap<V> extends Generations {
  private currentValues: V[] = [];
  private previousValues: V[] = [];
  private currentIndex = new Map<string, number>();

  constructor(
    generationSize: number,
    private readonly keyOf: (value: V) => string,
  ) {
    super(generationSize, true);
  }

  get(print: Fingerprint): V | undefined {
    const inCurrent = this.current.find(print);
    if (inCurrent !== ABSENT) return this.currentValues[inCurrent];
    const inPrevious = this.previous.find(print);
    return inPrevious === ABSENT ? undefined : this.previousValues[inPrevious];
  }

  set(print: Fingerprint, value: V): void {
    this.makeRoomFor(print);
    const valueKey = this.keyOf(value);
    let index = this.currentIndex.get(valueKey);
    if (index === undefined) {
      index = this.currentValues.length;
      this.currentValues.push(value);
      this.currentIndex.set(valueKey, index);
    }
    this.current.put(print, index);
  }

  protected override onRotate(): void {
    this.previousValues = this.currentValues;
    this.currentValues = [];
    this.currentIndex = new Map();
  }
}
