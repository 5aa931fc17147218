/** Label names and values of one series; an empty value means the label is absent. */
export type SeriesLabels = Readonly<Record<string, string>>;

interface CounterSeries {
  labels: SeriesLabels;
  value: number;
}

interface HistogramSeries {
  labels: SeriesLabels;
  /** Observations per bucket, not cumulative; the last entry counts those above every bound. */
  bucketCounts: number[];
  sum: number;
  count: number;
}

function seriesKey(labels: SeriesLabels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A counter or gauge family: one value per label set. */
export class ValueFamily {
  readonly series = new Map<string, CounterSeries>();

  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge',
    readonly help: string,
  ) {}

  add(labels: SeriesLabels, amount: number): void {
    const key = seriesKey(labels);
    const entry = this.series.get(key);
    if (entry === undefined) this.series.set(key, { labels, value: amount });
    else entry.value += amount;
  }

  set(labels: SeriesLabels, value: number): void {
    this.series.set(seriesKey(labels), { labels, value });
  }

  /** Removes every series whose label `name` equals `value`. */
  dropWhere(name: string, value: string): void {
    for (const [key, entry] of this.series)
      if (entry.labels[name] === value) this.series.delete(key);
  }
}

/** A histogram family with fixed, ascending upper bounds in the base unit. */
export class HistogramFamily {
  readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  observe(labels: SeriesLabels, value: number): void {
    const key = seriesKey(labels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = {
        labels,
        bucketCounts: new Array<number>(this.bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, entry);
    }
    const index = this.bounds.findIndex((bound) => value <= bound);
    entry.bucketCounts[index === -1 ? this.bounds.length : index]! += 1;
    entry.sum += value;
    entry.count += 1;
  }
}

export type MetricFamily = ValueFamily | HistogramFamily;
