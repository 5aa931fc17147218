import type {
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
  OtlpSummaryDataPoint,
} from '../ingest/otlp/otlp-model.ts';
import { writeKeyValues, writeResource, writeScope } from './otlp-encode-common.ts';
import { ProtoWriter } from './proto-writer.ts';

/** Field numbers of `ExportMetricsServiceRequest` and the messages inside it. */
const REQUEST = { resourceMetrics: 1 } as const;
const RESOURCE_METRICS = { resource: 1, scopeMetrics: 2, schemaUrl: 3 } as const;
const SCOPE_METRICS = { scope: 1, metrics: 2, schemaUrl: 3 } as const;
const METRIC = {
  name: 1,
  description: 2,
  unit: 3,
  gauge: 5,
  sum: 7,
  histogram: 9,
  exponentialHistogram: 10,
  summary: 11,
  metadata: 12,
} as const;
/** Gauge, Sum, Histogram, ExponentialHistogram and Summary keep their points in field 1. */
const DATA = { dataPoints: 1, aggregationTemporality: 2, isMonotonic: 3 } as const;
const NUMBER_POINT = { startTime: 2, time: 3, asDouble: 4, asInt: 6, attributes: 7, flags: 8 };
const HISTOGRAM_POINT = {
  startTime: 2,
  time: 3,
  count: 4,
  sum: 5,
  bucketCounts: 6,
  explicitBounds: 7,
  attributes: 9,
  flags: 10,
  min: 11,
  max: 12,
} as const;
const EXPONENTIAL_POINT = {
  attributes: 1,
  startTime: 2,
  time: 3,
  count: 4,
  sum: 5,
  scale: 6,
  zeroCount: 7,
  positive: 8,
  negative: 9,
  flags: 10,
  min: 12,
  max: 13,
  zeroThreshold: 14,
} as const;
const BUCKETS = { offset: 1, bucketCounts: 2 } as const;
const SUMMARY_POINT = {
  startTime: 2,
  time: 3,
  count: 4,
  sum: 5,
  quantiles: 6,
  attributes: 7,
  flags: 8,
};
const QUANTILE = { quantile: 1, value: 2 } as const;

/**
 * Encodes a decoded, redacted metrics request as OTLP/protobuf, as received:
 * cumulative series stay cumulative, so the receiver converts them itself.
 */
export function encodeMetricsRequest(request: OtlpMetricsRequest): Uint8Array {
  const writer = new ProtoWriter();
  for (const resourceMetrics of request.resourceMetrics) {
    writer.message(REQUEST.resourceMetrics, (resourceWriter) => {
      writeResource(resourceWriter, RESOURCE_METRICS.resource, resourceMetrics.resource);
      for (const scopeMetrics of resourceMetrics.scopeMetrics) {
        resourceWriter.message(RESOURCE_METRICS.scopeMetrics, (scopeWriter) => {
          writeScope(scopeWriter, SCOPE_METRICS.scope, scopeMetrics.scope);
          for (const metric of scopeMetrics.metrics)
            scopeWriter.message(SCOPE_METRICS.metrics, (child) => writeMetric(child, metric));
          if (scopeMetrics.schemaUrl !== '')
            scopeWriter.stringField(SCOPE_METRICS.schemaUrl, scopeMetrics.schemaUrl);
        });
      }
      if (resourceMetrics.schemaUrl !== '')
        resourceWriter.stringField(RESOURCE_METRICS.schemaUrl, resourceMetrics.schemaUrl);
    });
  }
  return writer.finish();
}

function writeMetric(writer: ProtoWriter, metric: OtlpMetric): void {
  writer.stringField(METRIC.name, metric.name);
  if (metric.description !== '') writer.stringField(METRIC.description, metric.description);
  if (metric.unit !== '') writer.stringField(METRIC.unit, metric.unit);
  writeMetricData(writer, metric);
  writeKeyValues(writer, METRIC.metadata, metric.metadata);
}

function writeMetricData(writer: ProtoWriter, metric: OtlpMetric): void {
  const data = metric.data;
  if (data === null) return;
  switch (data.type) {
    case 'gauge':
      writer.message(METRIC.gauge, (child) => writeNumberPoints(child, data.dataPoints));
      return;
    case 'sum':
      writer.message(METRIC.sum, (child) => {
        writeNumberPoints(child, data.dataPoints);
        child.varintField(DATA.aggregationTemporality, data.aggregationTemporality);
        child.boolField(DATA.isMonotonic, data.isMonotonic);
      });
      return;
    case 'histogram':
      writer.message(METRIC.histogram, (child) => {
        for (const point of data.dataPoints)
          child.message(DATA.dataPoints, (pointWriter) => writeHistogramPoint(pointWriter, point));
        child.varintField(DATA.aggregationTemporality, data.aggregationTemporality);
      });
      return;
    case 'exponentialHistogram':
      writer.message(METRIC.exponentialHistogram, (child) => {
        for (const point of data.dataPoints)
          child.message(DATA.dataPoints, (pointWriter) =>
            writeExponentialPoint(pointWriter, point),
          );
        child.varintField(DATA.aggregationTemporality, data.aggregationTemporality);
      });
      return;
    case 'summary':
      writer.message(METRIC.summary, (child) => {
        for (const point of data.dataPoints)
          child.message(DATA.dataPoints, (pointWriter) => writeSummaryPoint(pointWriter, point));
      });
      return;
  }
}

function writeNumberPoints(writer: ProtoWriter, points: readonly OtlpNumberDataPoint[]): void {
  for (const point of points) {
    writer.message(DATA.dataPoints, (child) => {
      child.fixed64Field(NUMBER_POINT.startTime, point.startTimeUnixNano);
      child.fixed64Field(NUMBER_POINT.time, point.timeUnixNano);
      if (point.asDouble !== null) child.doubleField(NUMBER_POINT.asDouble, point.asDouble);
      else if (point.asInt !== null) child.fixed64Field(NUMBER_POINT.asInt, point.asInt);
      writeKeyValues(child, NUMBER_POINT.attributes, point.attributes);
      if (point.flags !== 0) child.varintField(NUMBER_POINT.flags, point.flags);
    });
  }
}

function writeHistogramPoint(writer: ProtoWriter, point: OtlpHistogramDataPoint): void {
  writer.fixed64Field(HISTOGRAM_POINT.startTime, point.startTimeUnixNano);
  writer.fixed64Field(HISTOGRAM_POINT.time, point.timeUnixNano);
  writer.fixed64Field(HISTOGRAM_POINT.count, point.count);
  if (point.sum !== null) writer.doubleField(HISTOGRAM_POINT.sum, point.sum);
  writer.packedFixed64(HISTOGRAM_POINT.bucketCounts, point.bucketCounts);
  writer.packedDoubles(HISTOGRAM_POINT.explicitBounds, point.explicitBounds);
  writeKeyValues(writer, HISTOGRAM_POINT.attributes, point.attributes);
  if (point.flags !== 0) writer.varintField(HISTOGRAM_POINT.flags, point.flags);
  if (point.min !== null) writer.doubleField(HISTOGRAM_POINT.min, point.min);
  if (point.max !== null) writer.doubleField(HISTOGRAM_POINT.max, point.max);
}

function writeExponentialPoint(
  writer: ProtoWriter,
  point: OtlpExponentialHistogramDataPoint,
): void {
  writeKeyValues(writer, EXPONENTIAL_POINT.attributes, point.attributes);
  writer.fixed64Field(EXPONENTIAL_POINT.startTime, point.startTimeUnixNano);
  writer.fixed64Field(EXPONENTIAL_POINT.time, point.timeUnixNano);
  writer.fixed64Field(EXPONENTIAL_POINT.count, point.count);
  if (point.sum !== null) writer.doubleField(EXPONENTIAL_POINT.sum, point.sum);
  // `scale` is a sint32, so it is zigzag encoded.
  writer.varintField(EXPONENTIAL_POINT.scale, ((point.scale << 1) ^ (point.scale >> 31)) >>> 0);
  writer.fixed64Field(EXPONENTIAL_POINT.zeroCount, point.zeroCount);
  for (const [field, buckets] of [
    [EXPONENTIAL_POINT.positive, point.positive],
    [EXPONENTIAL_POINT.negative, point.negative],
  ] as const) {
    writer.message(field, (child) => {
      child.varintField(BUCKETS.offset, ((buckets.offset << 1) ^ (buckets.offset >> 31)) >>> 0);
      child.packedVarints(BUCKETS.bucketCounts, buckets.bucketCounts);
    });
  }
  if (point.flags !== 0) writer.varintField(EXPONENTIAL_POINT.flags, point.flags);
  if (point.min !== null) writer.doubleField(EXPONENTIAL_POINT.min, point.min);
  if (point.max !== null) writer.doubleField(EXPONENTIAL_POINT.max, point.max);
  if (point.zeroThreshold !== 0)
    writer.doubleField(EXPONENTIAL_POINT.zeroThreshold, point.zeroThreshold);
}

function writeSummaryPoint(writer: ProtoWriter, point: OtlpSummaryDataPoint): void {
  writer.fixed64Field(SUMMARY_POINT.startTime, point.startTimeUnixNano);
  writer.fixed64Field(SUMMARY_POINT.time, point.timeUnixNano);
  writer.fixed64Field(SUMMARY_POINT.count, point.count);
  writer.doubleField(SUMMARY_POINT.sum, point.sum);
  for (const quantile of point.quantileValues) {
    writer.message(SUMMARY_POINT.quantiles, (child) => {
      child.doubleField(QUANTILE.quantile, quantile.quantile);
      child.doubleField(QUANTILE.value, quantile.value);
    });
  }
  writeKeyValues(writer, SUMMARY_POINT.attributes, point.attributes);
  if (point.flags !== 0) writer.varintField(SUMMARY_POINT.flags, point.flags);
}
