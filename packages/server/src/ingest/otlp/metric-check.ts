import { Rejections, describeTimeProblem } from './id-check.ts';
import type { AnyDataPoint } from './metric-data.ts';
import type { MetricsDecodeResult, OtlpMetricsRequest } from './otlp-model.ts';

const UNTIMED_PROBLEM =
  'timeUnixNano is missing or 0; set the time of the data point in Unix nanoseconds';

function describePointProblem(point: AnyDataPoint): string {
  if (point.timeUnixNano === 0n) return UNTIMED_PROBLEM;
  return (
    describeTimeProblem('timeUnixNano', point.timeUnixNano) ||
    describeTimeProblem('startTimeUnixNano', point.startTimeUnixNano)
  );
}

/** Records the invalid points of one metric and removes them from `points` in place. */
function removeInvalidPoints(points: AnyDataPoint[], path: string, rejections: Rejections): void {
  let keptCount = 0;
  points.forEach((point, index) => {
    const problem = describePointProblem(point);
    if (problem === '') points[keptCount++] = point;
    else rejections.add(`${path}[${index}]`, problem);
  });
  points.length = keptCount;
}

/**
 * Removes data points whose `timeUnixNano` is 0 (unset), which no time
 * series can place, or whose times are past the latest time the store can
 * represent, and counts them.
 */
export function rejectInvalidDataPoints(request: OtlpMetricsRequest): MetricsDecodeResult {
  const rejections = new Rejections();
  request.resourceMetrics.forEach((resourceMetrics, resourceIndex) => {
    resourceMetrics.scopeMetrics.forEach((scopeMetrics, scopeIndex) => {
      scopeMetrics.metrics.forEach((metric, metricIndex) => {
        if (metric.data === null) return;
        const path =
          `resourceMetrics[${resourceIndex}].scopeMetrics[${scopeIndex}].metrics[${metricIndex}]` +
          `.${metric.data.type}.dataPoints`;
        removeInvalidPoints(metric.data.dataPoints, path, rejections);
      });
    });
  });
  return { request, rejectedDataPoints: rejections.count, rejectionMessage: rejections.message };
}
