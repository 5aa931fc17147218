/**
 * Returns a frozen copy of `entries` without a prototype. A key read from input, such as
 * "constructor" or "__proto__", then finds only the listed entries, or `undefined`.
 */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
