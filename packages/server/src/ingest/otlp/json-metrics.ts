import { decodeJsonKeyValues, decodeJsonResource, decodeJsonScope } from './json-common.ts';
import {
  getField,
  inField,
  mapMessages,
  readArray,
  readBool,
  readEnum,
  readObject,
  readString,
  type JsonObject,
} from './json-fields.ts';
import {
  decodeJsonExponentialHistogramDataPoint,
  decodeJsonHistogramDataPoint,
  decodeJsonNumberDataPoint,
  decodeJsonSummaryDataPoint,
} from './json-metric-points.ts';
import { decodeJsonBody, parseJsonRequest } from './json-request.ts';
import { rejectInvalidDataPoints } from './metric-check.ts';
import {
  METRIC_DATA_FIELDS,
  buildMetricData,
  type AnyDataPoint,
  type MetricDataType,
} from './metric-data.ts';
import type {
  MetricsDecodeResult,
  OtlpMetric,
  OtlpMetricData,
  OtlpResourceMetrics,
  OtlpScopeMetrics,
} from './otlp-model.ts';

const MESSAGE_NAME = 'ExportMetricsServiceRequest';

const AGGREGATION_TEMPORALITY_BY_NAME: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

const POINT_DECODERS: Readonly<Record<MetricDataType, (object: JsonObject) => AnyDataPoint>> = {
  gauge: decodeJsonNumberDataPoint,
  sum: decodeJsonNumberDataPoint,
  histogram: decodeJsonHistogramDataPoint,
  exponentialHistogram: decodeJsonExponentialHistogramDataPoint,
  summary: decodeJsonSummaryDataPoint,
};

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest`, with the same leniency
 * as decodeTraceRequestJson. Data points without a time are left out and
 * counted; a body that is not such a request throws OtlpDecodeError with
 * code OTLP_INVALID_JSON.
 */
export function decodeMetricsRequestJson(text: string): MetricsDecodeResult {
  const items = parseJsonRequest(text, MESSAGE_NAME, ['resourceMetrics', 'resource_metrics']);
  const resourceMetrics = decodeJsonBody(MESSAGE_NAME, () =>
    mapMessages(items, 'resourceMetrics', decodeResourceMetrics),
  );
  return rejectInvalidDataPoints({ resourceMetrics });
}

function decodeResourceMetrics(object: JsonObject): OtlpResourceMetrics {
  const resource = inField('resource', () => decodeJsonResource(readObject(object, 'resource')));
  const scopeList = readArray(object, 'scopeMetrics', 'scope_metrics');
  let scopeMetrics = mapMessages(scopeList, 'scopeMetrics', decodeScopeMetrics);
  if (scopeMetrics.length === 0) {
    const legacy = readArray(
      object,
      'instrumentationLibraryMetrics',
      'instrumentation_library_metrics',
    );
    scopeMetrics = mapMessages(legacy, 'instrumentationLibraryMetrics', decodeScopeMetrics);
  }
  return { resource, schemaUrl: readString(object, 'schemaUrl', 'schema_url'), scopeMetrics };
}

function decodeScopeMetrics(object: JsonObject): OtlpScopeMetrics {
  const scopeObject =
    getField(object, 'scope', 'scope') === undefined
      ? readObject(object, 'instrumentationLibrary', 'instrumentation_library')
      : readObject(object, 'scope');
  return {
    scope: inField('scope', () => decodeJsonScope(scopeObject)),
    schemaUrl: readString(object, 'schemaUrl', 'schema_url'),
    metrics: mapMessages(readArray(object, 'metrics'), 'metrics', decodeMetric),
  };
}

function decodeMetric(object: JsonObject): OtlpMetric {
  const metadata = readArray(object, 'metadata');
  return {
    name: readString(object, 'name'),
    description: readString(object, 'description'),
    unit: readString(object, 'unit'),
    data: decodeMetricData(object),
    metadata: metadata.length === 0 ? {} : decodeJsonKeyValues(metadata, 'metadata', 0),
  };
}

/** Decodes whichever of the data fields is present; the last one listed in METRIC_DATA_FIELDS wins. */
function decodeMetricData(metric: JsonObject): OtlpMetricData | null {
  let data: OtlpMetricData | null = null;
  for (const { type, snakeName } of METRIC_DATA_FIELDS) {
    const object = readObject(metric, type, snakeName);
    if (object === undefined) continue;
    data = inField(type, () => decodeDataOfType(object, type));
  }
  return data;
}

function decodeDataOfType(object: JsonObject, type: MetricDataType): OtlpMetricData {
  const points = readArray(object, 'dataPoints', 'data_points');
  const dataPoints = mapMessages(points, 'dataPoints', POINT_DECODERS[type]);
  const aggregationTemporality = readEnum(
    object,
    ['aggregationTemporality', 'aggregation_temporality'],
    AGGREGATION_TEMPORALITY_BY_NAME,
  );
  const isMonotonic = readBool(object, 'isMonotonic', 'is_monotonic');
  return buildMetricData(type, dataPoints, aggregationTemporality, isMonotonic);
}
