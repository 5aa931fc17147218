import { Rejections } from './id-check.ts';
import type { AnyDataPoint } from './metric-data.ts';
import { correctPointTimeUnits, describePointTimeProblem } from './metric-time-check.ts';
import {
  describeExponentialHistogramProblem,
  describeHistogramProblem,
  describeNumberValueProblem,
} from './metric-value-check.ts';
import type {
  MetricsDecodeResult,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpMetric,
  OtlpMetricData,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
} from './otlp-model.ts';
import { describeMissingTokenSum } from './metric-token-sum-check.ts';

/** `DataPointFlags.FLAG_NO_RECORDED_VALUE`: the point carries no value, so only its times are checked. */
const FLAG_NO_RECORDED_VALUE = 1;

/**
 * Returns why the aggregation temporality of a sum or histogram is invalid, or ''. The OTLP
 * metrics proto forbids AGGREGATION_TEMPORALITY_UNSPECIFIED, and without a temporality a value
 * cannot be read as an increase or a running total.
 */
function describeTemporalityProblem(data: OtlpMetricData): string {
  if (data.type === 'gauge' || data.type === 'summary') return '';
  const temporality = data.aggregationTemporality;
  if (temporality === 1 || temporality === 2) return '';
  const sent = temporality === 0 ? '0 (AGGREGATION_TEMPORALITY_UNSPECIFIED)' : String(temporality);
  return (
    `aggregationTemporality ${sent} is neither delta nor cumulative; send ` +
    'AGGREGATION_TEMPORALITY_DELTA (1) or AGGREGATION_TEMPORALITY_CUMULATIVE (2)'
  );
}

/** Returns why the values of `point`, a point of `data`, are invalid, or '' when they are valid. */
function describeValueProblem(data: OtlpMetricData, point: AnyDataPoint): string {
  if ((point.flags & FLAG_NO_RECORDED_VALUE) !== 0) return '';
  switch (data.type) {
    case 'gauge':
      return describeNumberValueProblem(point as OtlpNumberDataPoint, false);
    case 'sum':
      return describeNumberValueProblem(point as OtlpNumberDataPoint, data.isMonotonic);
    case 'histogram':
      return describeHistogramProblem(point as OtlpHistogramDataPoint);
    case 'exponentialHistogram':
      return describeExponentialHistogramProblem(point as OtlpExponentialHistogramDataPoint);
    case 'summary':
      return '';
  }
}

/** Collects the rejected points of a request and warnings about kept ones. */
class MetricProblems {
  readonly rejections = new Rejections();
  readonly warnings = new Rejections();

  /** Removes the invalid points of one metric from its data in place and records why. */
  checkMetric(metric: OtlpMetric, path: string): void {
    const data = metric.data;
    if (data === null) return;
    const points: AnyDataPoint[] = data.dataPoints;
    const temporalityProblem = describeTemporalityProblem(data);
    let keptCount = 0;
    points.forEach((point, index) => {
      const pointPath = `${path}.${data.type}.dataPoints[${index}]`;
      if (temporalityProblem !== '') {
        this.rejections.add(`${path}.${data.type}`, temporalityProblem);
        return;
      }
      const unitWarning = correctPointTimeUnits(point);
      const problem = describePointTimeProblem(point) || describeValueProblem(data, point);
      if (problem !== '') {
        this.rejections.add(pointPath, problem);
        return;
      }
      // One warning per point, so the count in the message is a count of points.
      const warning = unitWarning || describeMissingTokenSum(metric.name, point);
      if (warning !== '') this.warnings.add(pointPath, warning);
      points[keptCount++] = point;
    });
    points.length = keptCount;
  }

  /** Returns the `partial_success` message: the first rejection, else the first warning with the warning count. */
  message(): string {
    if (this.rejections.count > 0) return this.rejections.message;
    if (this.warnings.count <= 1) return this.warnings.message;
    return `${this.warnings.message} (${this.warnings.count} data points of this request)`;
  }
}

/**
 * Removes the data points that no time series can store and counts them. These are points
 * without a time or with times Foghorn cannot read as Unix nanoseconds, and points whose values
 * are not finite or contradict the metric type. Histograms whose buckets do not match their
 * bounds or count are rejected too, as is every point of a sum or histogram without a valid
 * aggregation temporality. Times sent in micro-, milli- or seconds are scaled to nanoseconds
 * with a warning.
 */
export function rejectInvalidDataPoints(request: OtlpMetricsRequest): MetricsDecodeResult {
  const problems = new MetricProblems();
  request.resourceMetrics.forEach((resourceMetrics, resourceIndex) => {
    resourceMetrics.scopeMetrics.forEach((scopeMetrics, scopeIndex) => {
      scopeMetrics.metrics.forEach((metric, metricIndex) => {
        const path = `resourceMetrics[${resourceIndex}].scopeMetrics[${scopeIndex}].metrics[${metricIndex}]`;
        problems.checkMetric(metric, path);
      });
    });
  });
  return {
    request,
    rejectedDataPoints: problems.rejections.count,
    rejectionMessage: problems.message(),
  };
}
