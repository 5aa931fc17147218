import type { ChartColumns, ChartSeries } from './chart-series.ts';
import { perHour, sumAcrossSeries, type AlignedSeries } from './time-grid.ts';

export const COST_COLOR = '#e3b341';

export interface CostChart {
  columns: ChartColumns;
  series: ChartSeries[];
  requests: number;
}

/**
 * Builds the cost rate in USD per hour of all models together; buckets without calls cost zero.
 * NOTE: the newest bucket of a range ending now is still filling, so its rate reads low.
 */
export function buildCostChart(aligned: AlignedSeries): CostChart {
  const costPerBucketUsd = sumAcrossSeries(aligned, (point) => point.costUsd ?? 0);
  const requestsPerBucket = sumAcrossSeries(aligned, (point) => point.requests);
  return {
    columns: [aligned.timesMs, costPerBucketUsd.map((costUsd) => perHour(costUsd, aligned.stepMs))],
    series: [{ label: 'cost per hour', color: COST_COLOR, dash: [], widthPx: 2, fill: true }],
    requests: requestsPerBucket.reduce((total, count) => total + count, 0),
  };
}
