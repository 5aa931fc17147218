import type { SummaryGroup } from '../api/types.ts';
import { sumAcrossSeries, type AlignedSeries } from './time-grid.ts';

/** Error rate per error type and bucket, in percent of all requests of that bucket. */
export interface ErrorRateSeries {
  errorTypes: string[];
  /** Errors of each type over the whole window. */
  errorCounts: number[];
  /** `ratesPercent[s][i]`; null where the bucket had no requests. */
  ratesPercent: (number | null)[][];
  /** All error types together, per bucket. */
  totalPercent: (number | null)[];
}

/** Label for errors whose span carries no error type. */
export const UNTYPED_ERROR_LABEL = 'untyped';

/**
 * Divides the errors of each type by the requests of the same bucket. `requestsPerBucket`
 * must be on the grid of `errorsByType` and count every request, failed or not.
 */
export function computeErrorRates(
  errorsByType: AlignedSeries,
  requestsPerBucket: number[],
): ErrorRateSeries {
  const typedRows = errorsByType.keys
    .map((key, index) => ({ key, row: errorsByType.points[index] ?? [] }))
    .filter(({ row }) => row.some((point) => point !== undefined && point.errors > 0));

  const ratesPercent = typedRows.map(({ row }) =>
    requestsPerBucket.map((requests, index) => ratePercent(row[index]?.errors ?? 0, requests)),
  );
  const errorsPerBucket = sumAcrossSeries(errorsByType, (point) => point.errors);
  return {
    errorTypes: typedRows.map(({ key }) => key ?? UNTYPED_ERROR_LABEL),
    errorCounts: typedRows.map(({ row }) =>
      row.reduce((total, point) => total + (point?.errors ?? 0), 0),
    ),
    ratesPercent,
    totalPercent: requestsPerBucket.map((requests, index) =>
      ratePercent(errorsPerBucket[index] ?? 0, requests),
    ),
  };
}

/** Returns `errors / requests` in percent, or null when there were no requests. */
export function ratePercent(errors: number, requests: number): number | null {
  return requests > 0 ? (errors / requests) * 100 : null;
}

/** Error rate over a whole window from summary groups, in percent. */
export function windowErrorRatePercent(groups: SummaryGroup[]): number | null {
  const requests = groups.reduce((total, group) => total + group.requests, 0);
  const errors = groups.reduce((total, group) => total + group.errors, 0);
  return ratePercent(errors, requests);
}
