/**
 * Returns a frozen copy of `entries` without a prototype. A key read from input, such as
 * "constructor" or "__proto__", then finds only the listed entries, or `undefined`.
 */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/**
 * Sets `record[key]` as an own, enumerable entry. Unlike an assignment, it also stores the
 * key "__proto__" as an entry instead of taking the value for the record's prototype.
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[key] = value;
  }
}
