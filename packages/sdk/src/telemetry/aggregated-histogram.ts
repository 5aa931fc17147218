import type { Attributes, HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { HistogramCell, HistogramSeries } from './histogram-series.ts';

/**
 * The cumulative state of one histogram series, with explicit buckets. A value
 * goes into the first bucket whose upper boundary is at least the value, and
 * the last bucket counts values above every boundary. As the histogram
 * instrument of `@opentelemetry/sdk-metrics` 2.12.1 does, it ignores negative
 * values and NaN.
 */
export class AggregatedHistogramCell implements HistogramCell {
  readonly startTime: HrTime = hrTime();
  readonly counts: number[];
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  constructor(
    readonly attributes: Attributes,
    private readonly boundaries: readonly number[],
  ) {
    this.counts = new Array<number>(boundaries.length + 1).fill(0);
  }

  record(value: number): void {
    if (!(value >= 0)) return;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.counts[bucketIndex(this.boundaries, value)]!++;
  }

  /** Copies the state into a data point, so later records do not change an exported point. */
  toDataPoint(boundaries: number[], endTime: HrTime): DataPoint<Histogram> {
    const hasValues = this.count > 0;
    return {
      attributes: this.attributes,
      startTime: this.startTime,
      endTime,
      value: {
        min: hasValues ? this.min : undefined,
        max: hasValues ? this.max : undefined,
        sum: this.sum,
        buckets: { boundaries, counts: this.counts.slice() },
        count: this.count,
      },
    };
  }
}

/** Returns the index of the first boundary at least `value`, or `boundaries.length` when none is. */
export function bucketIndex(boundaries: readonly number[], value: number): number {
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (boundaries[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The series of one histogram metric, aggregated in process and read at each collection. */
export class AggregatedHistogram implements HistogramSeries {
  private readonly series = new Map<string, AggregatedHistogramCell>();
  private overflowed = false;

  /**
   * @param maxSeries attribute sets kept; a cell requested beyond it records into nothing
   * @param onOverflow called once, when the first cell is rejected
   */
  constructor(
    readonly boundaries: readonly number[],
    private readonly maxSeries: number,
    private readonly onOverflow: () => void,
  ) {}

  cell(key: string, attributes: Attributes): HistogramCell {
    const existing = this.series.get(key);
    if (existing !== undefined) return existing;
    const created = new AggregatedHistogramCell(attributes, this.boundaries);
    if (this.series.size >= this.maxSeries) {
      if (!this.overflowed) this.onOverflow();
      this.overflowed = true;
      return created;
    }
    this.series.set(key, created);
    return created;
  }

  /** Returns one data point per series, in the order the series were first recorded. */
  dataPoints(endTime: HrTime): DataPoint<Histogram>[] {
    const boundaries = [...this.boundaries];
    const points: DataPoint<Histogram>[] = [];
    for (const cell of this.series.values()) points.push(cell.toDataPoint(boundaries, endTime));
    return points;
  }
}
