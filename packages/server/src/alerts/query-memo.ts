/**
 * Shares store queries between the rules of one evaluation: rules that read the
 * same source, window, filters and grouping get one query and the same result.
 * `clear()` runs at the start of every evaluation, so a later evaluation never reuses a result.
 */
export class QueryMemo {
  private readonly results = new Map<string, Promise<unknown>>();
  private queries = 0;
  private hits = 0;

  /** Returns the memoized result for `key`, running `query` only the first time in this evaluation. */
  run<T>(key: readonly unknown[], query: () => Promise<T>): Promise<T> {
    const text = JSON.stringify(key);
    const existing = this.results.get(text);
    if (existing !== undefined) {
      this.hits++;
      return existing as Promise<T>;
    }
    this.queries++;
    const result = query();
    this.results.set(text, result);
    // A failed query is forgotten, so a later read in this evaluation retries it.
    result.catch(() => this.results.delete(text));
    return result;
  }

  /** Forgets every result and returns the query and hit counts since the last clear. */
  clear(): { queries: number; hits: number } {
    const counts = { queries: this.queries, hits: this.hits };
    this.results.clear();
    this.queries = 0;
    this.hits = 0;
    return counts;
  }
}
