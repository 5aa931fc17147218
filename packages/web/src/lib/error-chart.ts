import { seriesColor } from './colors.ts';
import { TREND_COLOR, TREND_DASH, type ChartColumns, type ChartSeries } from './chart-series.ts';
import { computeErrorRates } from './error-rate.ts';
import { orderByLabel } from './series-keys.ts';
import { sumAcrossSeries, type AlignedSeries } from './time-grid.ts';
import { leastSquaresTrend } from './trend.ts';

/** Label of the single line drawn when the window had requests but no errors. */
export const ALL_ERRORS_LABEL = 'all errors';

export interface ErrorChart {
  /** Error types with their colors, in drawing order; the trend line comes last. */
  lines: { label: string; color: string; errors: number; ratesPercent: (number | null)[] }[];
  columns: ChartColumns;
  series: ChartSeries[];
  /** All requests in the window, the denominator of every rate. */
  requests: number;
}

/**
 * Builds the error-rate chart: one line per error type in percent of all requests, and a
 * dashed least-squares trend of all error types together.
 */
export function buildErrorChart(
  errorsByType: AlignedSeries,
  requestsByModel: AlignedSeries,
): ErrorChart {
  const requestsByTimeMs = new Map<number, number>();
  const requestTotals = sumAcrossSeries(requestsByModel, (point) => point.requests);
  requestsByModel.timesMs.forEach((timeMs, index) =>
    requestsByTimeMs.set(timeMs, requestTotals[index] ?? 0),
  );
  const requestsPerBucket = errorsByType.timesMs.map((timeMs) => requestsByTimeMs.get(timeMs) ?? 0);
  const rates = computeErrorRates(errorsByType, requestsPerBucket);

  const lines = orderByLabel(rates.errorTypes).map((index, position) => ({
    label: rates.errorTypes[index] ?? '',
    color: seriesColor(position + 4),
    errors: rates.errorCounts[index] ?? 0,
    ratesPercent: rates.ratesPercent[index] ?? [],
  }));
  if (lines.length === 0) {
    lines.push({
      label: ALL_ERRORS_LABEL,
      color: seriesColor(2),
      errors: 0,
      ratesPercent: rates.totalPercent,
    });
  }

  // A rate cannot fall below zero, even where the fitted line does.
  const trend = leastSquaresTrend(errorsByType.timesMs, rates.totalPercent).map((value) =>
    value === null ? null : Math.max(0, value),
  );
  const columns: ChartColumns = [
    errorsByType.timesMs,
    ...lines.map((line) => line.ratesPercent),
    trend,
  ];
  const series: ChartSeries[] = [
    ...lines.map((line) => ({ label: line.label, color: line.color, dash: [], widthPx: 2 })),
    { label: 'trend', color: TREND_COLOR, dash: TREND_DASH, widthPx: 1.5 },
  ];
  const requests = requestsPerBucket.reduce((total, count) => total + count, 0);
  return { lines, columns, series, requests };
}
