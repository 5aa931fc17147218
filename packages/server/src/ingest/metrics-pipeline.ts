import { ATTRIBUTION_KEYS } from '../enrich/attribution.ts';
import {
  fullValue,
  settleSeriesStates,
  type CumulativeToDelta,
  type DeltaResult,
  type SeriesState,
} from '../metrics/cumulative-to-delta.ts';
import type {
  ExponentialBuckets,
  MetricKind,
  MetricPoint,
  Temporality,
} from '../metrics/metric-point.ts';
import { readString } from '../semconv/attributes.ts';
import { normalizeProvider } from '../semconv/otel-genai.ts';
import type {
  Attributes,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpMetric,
  OtlpMetricData,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
} from './otlp/otlp-model.ts';
import { metricSeriesKey, toJsonKey, toScopeKey, type SeriesKeyParts } from './series-key.ts';

const TEMPORALITIES: readonly Temporality[] = ['unspecified', 'delta', 'cumulative'];
/** `DataPointFlags.FLAG_NO_RECORDED_VALUE`: the point marks a series with no value at its time. */
const FLAG_NO_RECORDED_VALUE = 1;

const MODEL_KEYS = [
  'gen_ai.request.model',
  'gen_ai.response.model',
  'model',
  'llm.model',
  'model_name',
];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'provider', 'llm.provider'];
const TOKEN_TYPE_KEYS = ['gen_ai.token.type', 'token_type', 'token.type', 'type'];
const ERROR_TYPE_KEYS = ['error.type', 'error_type', 'error'];

interface Dimensions {
  model: string | null;
  provider: string | null;
  tenant: string | null;
  feature: string | null;
  tokenType: string | null;
  errorType: string | null;
}

function readDimensions(attributes: Attributes, resource: Attributes): Dimensions {
  const both = (keys: readonly string[]): string | null =>
    readString(attributes, keys) ?? readString(resource, keys);
  return {
    model: both(MODEL_KEYS),
    provider: normalizeProvider(both(PROVIDER_KEYS)),
    tenant: both(ATTRIBUTION_KEYS.tenant),
    feature: both(ATTRIBUTION_KEYS.feature),
    tokenType: readString(attributes, TOKEN_TYPE_KEYS),
    errorType: readString(attributes, ERROR_TYPE_KEYS),
  };
}

interface Context {
  metric: OtlpMetric;
  resource: Attributes;
  serviceName: string;
  scopeName: string;
  keyParts: SeriesKeyParts;
  converter: CumulativeToDelta;
}

/**
 * Builds the point of `dataPoint` with its dimensions and without its value or increase, which
 * the caller sets. Spreading partial points into one literal took about 15 µs more per point.
 */
function newPoint(
  context: Context,
  kind: MetricKind,
  temporality: Temporality,
  isMonotonic: boolean,
  dataPoint: { attributes: Attributes; startTimeUnixNano: bigint; timeUnixNano: bigint },
): MetricPoint {
  const dimensions = readDimensions(dataPoint.attributes, context.resource);
  return {
    metricName: context.metric.name,
    unit: context.metric.unit,
    kind,
    temporality,
    isMonotonic,
    serviceName: context.serviceName,
    scopeName: context.scopeName,
    startTimeUnixNano: dataPoint.startTimeUnixNano,
    timeUnixNano: dataPoint.timeUnixNano,
    attributes: dataPoint.attributes,
    resourceAttributes: context.resource,
    model: dimensions.model,
    provider: dimensions.provider,
    tenant: dimensions.tenant,
    feature: dimensions.feature,
    tokenType: dimensions.tokenType,
    errorType: dimensions.errorType,
    value: null,
    deltaValue: null,
    deltaCount: null,
    deltaSum: null,
    min: null,
    max: null,
    explicitBounds: [],
    deltaBucketCounts: [],
    exponential: null,
    quantiles: [],
    reset: false,
  };
}

/**
 * Builds the point of a histogram data point with its count and sum increases. Its min and
 * max are kept only when the increase contains every call since the series started, because a
 * cumulative point's extremes may come from calls counted at an earlier point.
 */
function histogramPoint(
  context: Context,
  kind: 'histogram' | 'exponential_histogram',
  temporality: Temporality,
  dataPoint: {
    attributes: Attributes;
    startTimeUnixNano: bigint;
    timeUnixNano: bigint;
    count: number;
    sum: number | null;
    min: number | null;
    max: number | null;
  },
  delta: DeltaResult,
): MetricPoint {
  const point = newPoint(context, kind, temporality, true, dataPoint);
  point.deltaCount = delta.count;
  point.deltaSum = dataPoint.sum === null ? null : delta.sum;
  const containsEveryCall = delta.count === dataPoint.count;
  point.min = containsEveryCall ? dataPoint.min : null;
  point.max = containsEveryCall ? dataPoint.max : null;
  point.reset = delta.reset;
  return point;
}

/**
 * Flattens a metrics request into stored points, converting cumulative sums and
 * histograms into increases with the shared converter. Points flagged with no recorded
 * value and resent delta points are left out. When conversion throws, the converter's
 * changes are undone.
 */
export function toMetricPoints(
  request: OtlpMetricsRequest,
  converter: CumulativeToDelta,
): MetricPoint[] {
  try {
    return collectPoints(request, converter);
  } catch (error) {
    settleSeriesStates(converter.drainTouched(), false);
    throw error;
  }
}

function collectPoints(request: OtlpMetricsRequest, converter: CumulativeToDelta): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const resourceMetrics of request.resourceMetrics) {
    const resource = resourceMetrics.resource;
    const serviceName = readString(resource, ['service.name']) ?? 'unknown_service';
    const resourceKey = toJsonKey(resource);
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const scopeKey = toScopeKey(scopeMetrics.scope);
      for (const metric of scopeMetrics.metrics) {
        const context: Context = {
          metric,
          resource,
          serviceName,
          scopeName: scopeMetrics.scope.name,
          keyParts: { metricName: metric.name, scopeKey, resourceKey },
          converter,
        };
        convertMetric(context, points);
      }
    }
  }
  return points;
}

function hasRecordedValue(point: { flags: number }): boolean {
  return (point.flags & FLAG_NO_RECORDED_VALUE) === 0;
}

/**
 * Returns the increase of one sum or histogram point: its own value when sent as a delta,
 * else the increase since the series' previous point.
 */
function increaseOf(
  context: Context,
  temporality: Temporality,
  attributes: Attributes,
  state: SeriesState,
): DeltaResult {
  if (temporality !== 'cumulative') return fullValue(state, false);
  const key = metricSeriesKey(context.keyParts, toJsonKey(attributes));
  return context.converter.convert(key, state);
}

function convertMetric(context: Context, points: MetricPoint[]): void {
  const data = context.metric.data;
  if (data === null) return;
  switch (data.type) {
    case 'gauge':
      for (const point of data.dataPoints.filter(hasRecordedValue)) {
        const value = point.asDouble ?? (point.asInt === null ? null : Number(point.asInt));
        const gauge = newPoint(context, 'gauge', 'unspecified', false, point);
        gauge.value = value;
        points.push(gauge);
      }
      return;
    case 'sum':
      convertSum(context, data, points);
      return;
    case 'histogram':
      convertHistogram(context, data, points);
      return;
    case 'exponentialHistogram':
      convertExponentialHistogram(context, data, points);
      return;
    case 'summary':
      for (const point of data.dataPoints.filter(hasRecordedValue)) {
        const summary = newPoint(context, 'summary', 'cumulative', true, point);
        // Summaries are cumulative quantile snapshots, so they are kept as sent.
        summary.quantiles = point.quantileValues;
        points.push(summary);
      }
      return;
  }
}

type DataOf<Type extends OtlpMetricData['type']> = Extract<OtlpMetricData, { type: Type }>;

function sumState(point: OtlpNumberDataPoint, value: number): SeriesState {
  return {
    startTimeUnixNano: point.startTimeUnixNano,
    timeUnixNano: point.timeUnixNano,
    value,
    count: 0,
    sum: 0,
    bucketCounts: [],
    exponential: null,
  };
}

function convertSum(context: Context, data: DataOf<'sum'>, points: MetricPoint[]): void {
  const temporality = TEMPORALITIES[data.aggregationTemporality] ?? 'unspecified';
  for (const point of data.dataPoints.filter(hasRecordedValue)) {
    const value = point.asDouble ?? (point.asInt === null ? 0 : Number(point.asInt));
    // A non-monotonic cumulative sum (an up-down counter) is a level, not a total to add up.
    const delta =
      temporality === 'cumulative' && !data.isMonotonic
        ? fullValue(sumState(point, value), false)
        : increaseOf(context, temporality, point.attributes, sumState(point, value));
    const sum = newPoint(context, 'sum', temporality, data.isMonotonic, point);
    sum.value = value;
    sum.deltaValue = delta.value;
    sum.reset = delta.reset;
    points.push(sum);
  }
}

function histogramState(
  point: OtlpHistogramDataPoint | OtlpExponentialHistogramDataPoint,
  bucketCounts: number[],
  exponential: ExponentialBuckets | null,
): SeriesState {
  return {
    startTimeUnixNano: point.startTimeUnixNano,
    timeUnixNano: point.timeUnixNano,
    value: 0,
    count: point.count,
    sum: point.sum ?? 0,
    bucketCounts,
    exponential,
  };
}

function convertHistogram(
  context: Context,
  data: DataOf<'histogram'>,
  points: MetricPoint[],
): void {
  const temporality = TEMPORALITIES[data.aggregationTemporality] ?? 'unspecified';
  for (const point of data.dataPoints.filter(hasRecordedValue)) {
    const state = histogramState(point, point.bucketCounts, null);
    const delta = increaseOf(context, temporality, point.attributes, state);
    const histogram = histogramPoint(context, 'histogram', temporality, point, delta);
    histogram.explicitBounds = point.explicitBounds;
    histogram.deltaBucketCounts = delta.bucketCounts;
    points.push(histogram);
  }
}

function convertExponentialHistogram(
  context: Context,
  data: DataOf<'exponentialHistogram'>,
  points: MetricPoint[],
): void {
  const temporality = TEMPORALITIES[data.aggregationTemporality] ?? 'unspecified';
  for (const point of data.dataPoints.filter(hasRecordedValue)) {
    const exponential: ExponentialBuckets = {
      scale: point.scale,
      zeroCount: point.zeroCount,
      positiveOffset: point.positive.offset,
      positiveCounts: point.positive.bucketCounts,
      negativeOffset: point.negative.offset,
      negativeCounts: point.negative.bucketCounts,
    };
    const delta = increaseOf(
      context,
      temporality,
      point.attributes,
      histogramState(point, [], exponential),
    );
    const histogram = histogramPoint(context, 'exponential_histogram', temporality, point, delta);
    histogram.exponential = delta.exponential ?? {
      ...exponential,
      zeroCount: 0,
      positiveCounts: [],
      negativeCounts: [],
    };
    points.push(histogram);
  }
}
