import { Rejections } from './id-check.ts';
import type { AnyDataPoint } from './metric-data.ts';
import type { MetricsDecodeResult, OtlpMetricsRequest } from './otlp-model.ts';

const UNTIMED_PROBLEM =
  'timeUnixNano is missing or 0; set the time of the data point in Unix nanoseconds';

/** Records the untimed points of one metric and removes them from `points` in place. */
function removeUntimedPoints(points: AnyDataPoint[], path: string, rejections: Rejections): void {
  let keptCount = 0;
  points.forEach((point, index) => {
    if (point.timeUnixNano === 0n) rejections.add(`${path}[${index}]`, UNTIMED_PROBLEM);
    else points[keptCount++] = point;
  });
  points.length = keptCount;
}

/**
 * Removes data points whose `timeUnixNano` is 0 (unset), which no time
 * series can place, and counts them.
 */
export function rejectUntimedDataPoints(request: OtlpMetricsRequest): MetricsDecodeResult {
  const rejections = new Rejections();
  request.resourceMetrics.forEach((resourceMetrics, resourceIndex) => {
    resourceMetrics.scopeMetrics.forEach((scopeMetrics, scopeIndex) => {
      scopeMetrics.metrics.forEach((metric, metricIndex) => {
        if (metric.data === null) return;
        const path =
          `resourceMetrics[${resourceIndex}].scopeMetrics[${scopeIndex}].metrics[${metricIndex}]` +
          `.${metric.data.type}.dataPoints`;
        removeUntimedPoints(metric.data.dataPoints, path, rejections);
      });
    });
  });
  return { request, rejectedDataPoints: rejections.count, rejectionMessage: rejections.message };
}
