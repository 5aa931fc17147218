/**
 * Deletes the `count` oldest entries of a Set or Map, in one pass over its insertion order.
 * In V8, `keys().next()` scans past every entry deleted since the last rehash. So deleting
 * the oldest entry that way on every insert is quadratic: 100,000 evictions from a Set of
 * 100,000 strings took 1.4 to 5.6 s.
 */
export function deleteOldest<K>(collection: Set<K> | Map<K, unknown>, count: number): void {
  let remaining = count;
  for (const key of collection.keys()) {
    if (remaining <= 0) return;
    collection.delete(key);
    remaining -= 1;
  }
}
