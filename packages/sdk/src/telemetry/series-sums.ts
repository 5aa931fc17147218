import type { Attributes, HrTime, ObservableResult } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { DataPoint } from '@opentelemetry/sdk-metrics';

/** The running sum of one attribute set. Callers keep it and add to `value` directly. */
export interface SumCell {
  readonly attributes: Attributes;
  /** The creation time of the series, which is the start time of its cumulative points. */
  readonly startTime: HrTime;
  value: number;
}

/**
 * Running sums per attribute set. Callers look a series' cell up once and then
 * add to it, which costs less than a synchronous counter, whose SDK sorts and
 * serializes the attributes on every `add`. The sums reach the readers either
 * through an asynchronous (observable) instrument or as data points of the
 * SDK's own metric producer.
 */
export class SeriesSums {
  private readonly series = new Map<string, SumCell>();
  private overflowed = false;

  /**
   * @param maxSeries attribute sets kept; a cell requested beyond it is not reported
   * @param onOverflow called once, when the first cell is rejected
   */
  constructor(
    private readonly maxSeries: number,
    private readonly onOverflow: () => void,
  ) {}

  /** Returns the cell of the series `key`, created with `attributes` when the series is new. */
  cell(key: string, attributes: Attributes): SumCell {
    const existing = this.series.get(key);
    if (existing !== undefined) return existing;
    const created: SumCell = { attributes, startTime: hrTime(), value: 0 };
    if (this.series.size >= this.maxSeries) {
      if (!this.overflowed) this.onOverflow();
      this.overflowed = true;
      return created;
    }
    this.series.set(key, created);
    return created;
  }

  observe(result: ObservableResult): void {
    for (const cell of this.series.values()) result.observe(cell.value, cell.attributes);
  }

  /** Returns one cumulative data point per series, in the order the series were created. */
  dataPoints(endTime: HrTime): DataPoint<number>[] {
    const points: DataPoint<number>[] = [];
    for (const cell of this.series.values()) {
      points.push({
        attributes: cell.attributes,
        startTime: cell.startTime,
        endTime,
        value: cell.value,
      });
    }
    return points;
  }
}
