import { readJsonAttributes } from './json-common.ts';
import {
  describeJson,
  failAt,
  getField,
  inField,
  mapMessages,
  parseJsonDouble,
  readArray,
  readCount,
  readDouble,
  readInt32,
  readInt64,
  readObject,
  readUint32,
  readUint64,
  type JsonObject,
} from './json-fields.ts';
import type {
  OtlpExponentialHistogramBuckets,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpNumberDataPoint,
  OtlpSummaryDataPoint,
} from './otlp-model.ts';

/** Reads a repeated numeric field such as `bucketCounts`, whose items may be numbers or strings. */
function readNumberList(
  object: JsonObject,
  names: readonly [string, string],
  parse: (item: unknown) => number | null,
): number[] {
  return readArray(object, names[0], names[1]).map((item, index) => {
    const number = parse(item);
    if (number === null)
      failAt(`${names[0]}[${index}]`, `expected a number, got ${describeJson(item)}`);
    return number;
  });
}

function parseCount(item: unknown): number | null {
  if (typeof item === 'number') return Number.isInteger(item) && item >= 0 ? item : null;
  return typeof item === 'string' && /^\d{1,20}$/.test(item) ? Number(item) : null;
}

function readTimes(object: JsonObject): { startTimeUnixNano: bigint; timeUnixNano: bigint } {
  return {
    startTimeUnixNano: readUint64(object, 'startTimeUnixNano', 'start_time_unix_nano'),
    timeUnixNano: readUint64(object, 'timeUnixNano', 'time_unix_nano'),
  };
}

/** Decodes a `NumberDataPoint`; exemplars are skipped. */
export function decodeJsonNumberDataPoint(object: JsonObject): OtlpNumberDataPoint {
  const hasInt = getField(object, 'asInt', 'as_int') !== undefined;
  return {
    attributes: readJsonAttributes(object),
    ...readTimes(object),
    asDouble: hasInt ? null : readDouble(object, 'asDouble', 'as_double'),
    asInt: hasInt ? readInt64(object, 'asInt', 'as_int') : null,
    flags: readUint32(object, 'flags'),
  };
}

/** Decodes a `HistogramDataPoint`; exemplars are skipped. */
export function decodeJsonHistogramDataPoint(object: JsonObject): OtlpHistogramDataPoint {
  return {
    attributes: readJsonAttributes(object),
    ...readTimes(object),
    count: readCount(object, 'count'),
    sum: readDouble(object, 'sum'),
    bucketCounts: readNumberList(object, ['bucketCounts', 'bucket_counts'], parseCount),
    explicitBounds: readNumberList(object, ['explicitBounds', 'explicit_bounds'], parseJsonDouble),
    min: readDouble(object, 'min'),
    max: readDouble(object, 'max'),
    flags: readUint32(object, 'flags'),
  };
}

function decodeBuckets(object: JsonObject | undefined): OtlpExponentialHistogramBuckets {
  if (object === undefined) return { offset: 0, bucketCounts: [] };
  return {
    offset: readInt32(object, 'offset'),
    bucketCounts: readNumberList(object, ['bucketCounts', 'bucket_counts'], parseCount),
  };
}

/** Decodes an `ExponentialHistogramDataPoint`; exemplars are skipped. */
export function decodeJsonExponentialHistogramDataPoint(
  object: JsonObject,
): OtlpExponentialHistogramDataPoint {
  return {
    attributes: readJsonAttributes(object),
    ...readTimes(object),
    count: readCount(object, 'count'),
    sum: readDouble(object, 'sum'),
    scale: readInt32(object, 'scale'),
    zeroCount: readCount(object, 'zeroCount', 'zero_count'),
    zeroThreshold: readDouble(object, 'zeroThreshold', 'zero_threshold') ?? 0,
    positive: inField('positive', () => decodeBuckets(readObject(object, 'positive'))),
    negative: inField('negative', () => decodeBuckets(readObject(object, 'negative'))),
    min: readDouble(object, 'min'),
    max: readDouble(object, 'max'),
    flags: readUint32(object, 'flags'),
  };
}

function decodeQuantile(object: JsonObject): { quantile: number; value: number } {
  return { quantile: readDouble(object, 'quantile') ?? 0, value: readDouble(object, 'value') ?? 0 };
}

/** Decodes a `SummaryDataPoint`. */
export function decodeJsonSummaryDataPoint(object: JsonObject): OtlpSummaryDataPoint {
  const quantiles = readArray(object, 'quantileValues', 'quantile_values');
  return {
    attributes: readJsonAttributes(object),
    ...readTimes(object),
    count: readCount(object, 'count'),
    sum: readDouble(object, 'sum') ?? 0,
    quantileValues: mapMessages(quantiles, 'quantileValues', decodeQuantile),
    flags: readUint32(object, 'flags'),
  };
}
