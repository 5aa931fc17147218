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

/** A label set with its series key, computed once and reused for every observation. */
export interface KeyedLabels {
  readonly labels: SeriesLabels;
  readonly key: string;
}

/** Returns the map key of a series: its labels sorted by name, as JSON. */
export function seriesKey(labels: SeriesLabels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function keyedLabels(labels: SeriesLabels): KeyedLabels {
  return { labels, key: seriesKey(labels) };
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
    this.addKeyed({ labels, key: seriesKey(labels) }, amount);
  }

  /** `add` for a label set whose key the caller computed once with `keyedLabels`. */
  addKeyed(series: KeyedLabels, amount: number): void {
    const entry = this.series.get(series.key);
    if (entry === undefined) this.series.set(series.key, { labels: series.labels, value: amount });
    else entry.value += amount;
  }

  set(labels: SeriesLabels, value: number): void {
    this.series.set(seriesKey(labels), { labels, value });
  }

  /** Removes every series whose label `name` equals `value`, within one project when `projectId` is given. */
  dropWhere(name: string, value: string, projectId?: string): void {
    for (const [key, entry] of this.series) {
      if (entry.labels[name] !== value) continue;
      if (projectId !== undefined && entry.labels.project !== projectId) continue;
      this.series.delete(key);
    }
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
    this.observeKeyed({ labels, key: seriesKey(labels) }, value);
  }

  /** `observe` for a label set whose key the caller computed once with `keyedLabels`. */
  observeKeyed(series: KeyedLabels, value: number): void {
    let entry = this.series.get(series.key);
    if (entry === undefined) {
      entry = {
        labels: series.labels,
        bucketCounts: new Array<number>(this.bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.series.set(series.key, entry);
    }
    entry.bucketCounts[this.bucketIndex(value)]! += 1;
    entry.sum += value;
    entry.count += 1;
  }

  /** Index of the first bound at or above `value`; values above every bound (and NaN) go last. */
  private bucketIndex(value: number): number {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) return i;
    return bounds.length;
  }
}

export type MetricFamily = ValueFamily | HistogramFamily;
