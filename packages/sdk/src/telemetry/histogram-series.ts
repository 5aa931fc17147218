import type { Attributes, Histogram } from '@opentelemetry/api';

/** The recorder of one histogram series. A call series keeps it and records into it directly. */
export interface HistogramCell {
  record(value: number): void;
}

/** The series of one histogram metric, by a key that the caller builds once per attribute set. */
export interface HistogramSeries {
  /** Returns the cell of the series `key`, created with `attributes` when the series is new. */
  cell(key: string, attributes: Attributes): HistogramCell;
}

/**
 * Creates series that record through an OTel histogram instrument, for when
 * the SDK's metric producer cannot reach the readers. The instrument hashes
 * the attributes on every record.
 */
export function instrumentHistogramSeries(histogram: Histogram): HistogramSeries {
  return {
    cell: (_key, attributes) => ({ record: (value) => histogram.record(value, attributes) }),
  };
}
