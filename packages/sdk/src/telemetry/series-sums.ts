import type { Attributes, ObservableResult } from '@opentelemetry/api';

/**
 * Running sums per attribute set, reported by an asynchronous (observable)
 * instrument at each collection. A call adds to a Map under a key the caller
 * builds from a few strings, which costs less than a synchronous counter, whose
 * SDK sorts and serializes the attributes on every `add`.
 */
export class SeriesSums {
  private readonly series = new Map<string, { attributes: Attributes; value: number }>();
  private overflowed = false;

  /**
   * @param maxSeries attribute sets kept; adds to a new set beyond it are dropped
   * @param onOverflow called once, when the first add is dropped
   */
  constructor(
    private readonly maxSeries: number,
    private readonly onOverflow: () => void,
  ) {}

  /** Adds `delta` to the series `key`; `attributes` is stored when the series is new. */
  add(key: string, attributes: Attributes, delta: number): void {
    const entry = this.series.get(key);
    if (entry !== undefined) {
      entry.value += delta;
      return;
    }
    if (this.series.size >= this.maxSeries) {
      if (!this.overflowed) this.onOverflow();
      this.overflowed = true;
      return;
    }
    this.series.set(key, { attributes, value: delta });
  }

  observe(result: ObservableResult): void {
    for (const entry of this.series.values()) result.observe(entry.value, entry.attributes);
  }
}
