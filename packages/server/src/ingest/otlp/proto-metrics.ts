import { toProtobufDecodeError } from './decode-error.ts';
import { rejectInvalidDataPoints } from './metric-check.ts';
import {
  METRIC_DATA_FIELDS,
  buildMetricData,
  type AnyDataPoint,
  type MetricDataType,
} from './metric-data.ts';
import type {
  Attributes,
  MetricsDecodeResult,
  OtlpMetric,
  OtlpMetricData,
  OtlpResourceMetrics,
  OtlpScope,
  OtlpScopeMetrics,
} from './otlp-model.ts';
import { decodeKeyValueInto, decodeResource, decodeScope } from './proto-common.ts';
import {
  decodeExponentialHistogramDataPoint,
  decodeHistogramDataPoint,
  decodeNumberDataPoint,
  decodeSummaryDataPoint,
} from './proto-metric-points.ts';
import { messageFields, readMessage, repeatedIndex } from './proto-fields.ts';
import { ProtoReader, WireType, fieldTag } from './proto-reader.ts';

const { varint, lengthDelimited } = WireType;
const MESSAGE_NAME = 'ExportMetricsServiceRequest';

const REQUEST = messageFields({ resourceMetrics: [1, lengthDelimited] });
const RESOURCE_METRICS = messageFields({
  resource: [1, lengthDelimited],
  scopeMetrics: [2, lengthDelimited],
  schemaUrl: [3, lengthDelimited],
  /** Deprecated field laid out like ScopeMetrics; read only when scope_metrics is absent. */
  instrumentationLibraryMetrics: [1000, lengthDelimited],
});
const SCOPE_METRICS = messageFields({
  scope: [1, lengthDelimited],
  metrics: [2, lengthDelimited],
  schemaUrl: [3, lengthDelimited],
});
const METRIC = messageFields({
  name: [1, lengthDelimited],
  description: [2, lengthDelimited],
  unit: [3, lengthDelimited],
  gauge: [5, lengthDelimited],
  sum: [7, lengthDelimited],
  histogram: [9, lengthDelimited],
  exponentialHistogram: [10, lengthDelimited],
  summary: [11, lengthDelimited],
  metadata: [12, lengthDelimited],
});
/** Gauge, Sum, Histogram, ExponentialHistogram and Summary share these field numbers. */
const METRIC_DATA = messageFields({
  dataPoints: [1, lengthDelimited],
  aggregationTemporality: [2, varint],
  isMonotonic: [3, varint],
});

/**
 * Decodes an OTLP `ExportMetricsServiceRequest` in the protobuf binary
 * encoding. Data points without a time are left out and counted; a body that
 * is not such a message throws OtlpDecodeError with code OTLP_INVALID_PROTOBUF.
 */
export function decodeMetricsRequestProtobuf(body: Uint8Array): MetricsDecodeResult {
  const reader = new ProtoReader(body);
  const resourceMetrics: OtlpResourceMetrics[] = [];
  try {
    readMessage(
      reader,
      reader.length,
      REQUEST.table,
      (tag) => {
        if (tag !== REQUEST.tags.resourceMetrics) return false;
        resourceMetrics.push(decodeResourceMetrics(reader, reader.readLengthEnd(reader.length)));
        return true;
      },
      () => resourceMetrics.length,
    );
  } catch (error) {
    throw toProtobufDecodeError(error, MESSAGE_NAME);
  }
  return rejectInvalidDataPoints({ resourceMetrics });
}

function decodeResourceMetrics(reader: ProtoReader, end: number): OtlpResourceMetrics {
  let resource: Attributes = {};
  let schemaUrl = '';
  const scopeMetrics: OtlpScopeMetrics[] = [];
  const legacyScopeMetrics: OtlpScopeMetrics[] = [];
  const { tags } = RESOURCE_METRICS;
  readMessage(
    reader,
    end,
    RESOURCE_METRICS.table,
    (tag) => {
      if (tag === tags.scopeMetrics)
        scopeMetrics.push(decodeScopeMetrics(reader, reader.readLengthEnd(end)));
      else if (tag === tags.resource) resource = decodeResource(reader, reader.readLengthEnd(end));
      else if (tag === tags.schemaUrl) schemaUrl = reader.readRepeatedString(end);
      else if (tag === tags.instrumentationLibraryMetrics) {
        legacyScopeMetrics.push(decodeScopeMetrics(reader, reader.readLengthEnd(end)));
      } else return false;
      return true;
    },
    (field) => repeatedIndex({ 2: scopeMetrics.length, 1000: legacyScopeMetrics.length }, field),
  );
  return {
    resource,
    schemaUrl,
    scopeMetrics: scopeMetrics.length > 0 ? scopeMetrics : legacyScopeMetrics,
  };
}

function decodeScopeMetrics(reader: ProtoReader, end: number): OtlpScopeMetrics {
  let scope: OtlpScope = { name: '', version: '', attributes: {} };
  let schemaUrl = '';
  const metrics: OtlpMetric[] = [];
  const { tags } = SCOPE_METRICS;
  readMessage(
    reader,
    end,
    SCOPE_METRICS.table,
    (tag) => {
      if (tag === tags.metrics) metrics.push(decodeMetric(reader, reader.readLengthEnd(end)));
      else if (tag === tags.scope) scope = decodeScope(reader, reader.readLengthEnd(end));
      else if (tag === tags.schemaUrl) schemaUrl = reader.readRepeatedString(end);
      else return false;
      return true;
    },
    (field) => (field === 2 ? metrics.length : undefined),
  );
  return { scope, schemaUrl, metrics };
}

function decodeMetric(reader: ProtoReader, end: number): OtlpMetric {
  const metric: OtlpMetric = { name: '', description: '', unit: '', data: null, metadata: {} };
  let metadataCount = 0;
  const { tags } = METRIC;
  readMessage(
    reader,
    end,
    METRIC.table,
    (tag) => {
      if (tag === tags.name) metric.name = reader.readRepeatedString(end);
      else if (tag === tags.description) metric.description = reader.readRepeatedString(end);
      else if (tag === tags.unit) metric.unit = reader.readRepeatedString(end);
      else if (tag === tags.metadata) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), metric.metadata, 0);
        metadataCount++;
      } else {
        const type = METRIC_DATA_TYPES.get(tag);
        if (type === undefined) return false;
        metric.data = decodeMetricData(reader, reader.readLengthEnd(end), type);
      }
      return true;
    },
    (field) => (field === 12 ? metadataCount : undefined),
  );
  return metric;
}

const METRIC_DATA_TYPES: ReadonlyMap<number, MetricDataType> = new Map(
  METRIC_DATA_FIELDS.map(({ type, fieldNumber }) => [fieldTag(fieldNumber, lengthDelimited), type]),
);

const POINT_DECODERS = {
  gauge: decodeNumberDataPoint,
  sum: decodeNumberDataPoint,
  histogram: decodeHistogramDataPoint,
  exponentialHistogram: decodeExponentialHistogramDataPoint,
  summary: decodeSummaryDataPoint,
} as const;

/** Decodes the Gauge, Sum, Histogram, ExponentialHistogram or Summary message of a metric. */
function decodeMetricData(reader: ProtoReader, end: number, type: MetricDataType): OtlpMetricData {
  const decodePoint: (reader: ProtoReader, end: number) => AnyDataPoint = POINT_DECODERS[type];
  const dataPoints: AnyDataPoint[] = [];
  let aggregationTemporality = 0;
  let isMonotonic = false;
  const { tags } = METRIC_DATA;
  readMessage(
    reader,
    end,
    METRIC_DATA.table,
    (tag) => {
      if (tag === tags.dataPoints) dataPoints.push(decodePoint(reader, reader.readLengthEnd(end)));
      else if (tag === tags.aggregationTemporality && type !== 'gauge' && type !== 'summary') {
        aggregationTemporality = reader.readInt32();
      } else if (tag === tags.isMonotonic && type === 'sum') isMonotonic = reader.readBool();
      else return false;
      return true;
    },
    (field) => (field === 1 ? dataPoints.length : undefined),
  );
  return buildMetricData(type, dataPoints, aggregationTemporality, isMonotonic);
}
