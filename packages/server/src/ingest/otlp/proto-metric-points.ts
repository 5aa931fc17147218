import type {
  OtlpExponentialHistogramBuckets,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpNumberDataPoint,
  OtlpSummaryDataPoint,
} from './otlp-model.ts';
import { decodeKeyValueInto } from './proto-common.ts';
import { messageFields, readMessage, repeatedIndex } from './proto-fields.ts';
import { WireType, fieldTag, type ProtoReader } from './proto-reader.ts';

const { varint, fixed64, lengthDelimited } = WireType;

const readFixed64Count = (reader: ProtoReader): number => reader.readFixed64AsNumber();
const readDouble = (reader: ProtoReader): number => reader.readDouble();
const readUint64Count = (reader: ProtoReader): number => reader.readUint64AsNumber();

const NUMBER_POINT = messageFields({
  attributes: [7, lengthDelimited],
  startTimeUnixNano: [2, fixed64],
  timeUnixNano: [3, fixed64],
  asDouble: [4, fixed64],
  asInt: [6, fixed64],
  exemplars: [5, lengthDelimited],
  flags: [8, varint],
});

/** Decodes a `NumberDataPoint`; exemplars are skipped. */
export function decodeNumberDataPoint(reader: ProtoReader, end: number): OtlpNumberDataPoint {
  const point: OtlpNumberDataPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    asDouble: null,
    asInt: null,
    flags: 0,
  };
  let attributeCount = 0;
  const { tags } = NUMBER_POINT;
  readMessage(
    reader,
    end,
    NUMBER_POINT.table,
    (tag) => {
      if (tag === tags.attributes) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), point.attributes, 0);
        attributeCount++;
      } else if (tag === tags.startTimeUnixNano) point.startTimeUnixNano = reader.readFixed64();
      else if (tag === tags.timeUnixNano) point.timeUnixNano = reader.readFixed64();
      else if (tag === tags.asDouble) {
        point.asDouble = reader.readDouble();
        point.asInt = null;
      } else if (tag === tags.asInt) {
        point.asInt = reader.readSfixed64();
        point.asDouble = null;
      } else if (tag === tags.flags) point.flags = reader.readVarint32();
      else return false;
      return true;
    },
    (field) => (field === 7 ? attributeCount : undefined),
  );
  return point;
}

const HISTOGRAM_POINT = messageFields({
  attributes: [9, lengthDelimited],
  startTimeUnixNano: [2, fixed64],
  timeUnixNano: [3, fixed64],
  count: [4, fixed64],
  sum: [5, fixed64],
  bucketCounts: [6, lengthDelimited],
  explicitBounds: [7, lengthDelimited],
  exemplars: [8, lengthDelimited],
  flags: [10, varint],
  min: [11, fixed64],
  max: [12, fixed64],
});
/** Repeated scalars may also arrive unpacked, one tag per value. */
const UNPACKED_BUCKET_COUNT = fieldTag(6, fixed64);
const UNPACKED_EXPLICIT_BOUND = fieldTag(7, fixed64);

/** Decodes a `HistogramDataPoint`; exemplars are skipped. */
export function decodeHistogramDataPoint(reader: ProtoReader, end: number): OtlpHistogramDataPoint {
  const point: OtlpHistogramDataPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0,
    sum: null,
    bucketCounts: [],
    explicitBounds: [],
    min: null,
    max: null,
    flags: 0,
  };
  let attributeCount = 0;
  const { tags } = HISTOGRAM_POINT;
  readMessage(
    reader,
    end,
    HISTOGRAM_POINT.table,
    (tag) => {
      if (tag === tags.attributes) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), point.attributes, 0);
        attributeCount++;
      } else if (tag === tags.startTimeUnixNano) point.startTimeUnixNano = reader.readFixed64();
      else if (tag === tags.timeUnixNano) point.timeUnixNano = reader.readFixed64();
      else if (tag === tags.count) point.count = reader.readFixed64AsNumber();
      else if (tag === tags.sum) point.sum = reader.readDouble();
      else if (tag === tags.bucketCounts)
        reader.readPacked(end, point.bucketCounts, readFixed64Count);
      else if (tag === UNPACKED_BUCKET_COUNT) point.bucketCounts.push(reader.readFixed64AsNumber());
      else if (tag === tags.explicitBounds)
        reader.readPacked(end, point.explicitBounds, readDouble);
      else if (tag === UNPACKED_EXPLICIT_BOUND) point.explicitBounds.push(reader.readDouble());
      else if (tag === tags.flags) point.flags = reader.readVarint32();
      else if (tag === tags.min) point.min = reader.readDouble();
      else if (tag === tags.max) point.max = reader.readDouble();
      else return false;
      return true;
    },
    (field) => (field === 9 ? attributeCount : undefined),
  );
  return point;
}

const EXPONENTIAL_POINT = messageFields({
  attributes: [1, lengthDelimited],
  startTimeUnixNano: [2, fixed64],
  timeUnixNano: [3, fixed64],
  count: [4, fixed64],
  sum: [5, fixed64],
  scale: [6, varint],
  zeroCount: [7, fixed64],
  positive: [8, lengthDelimited],
  negative: [9, lengthDelimited],
  flags: [10, varint],
  exemplars: [11, lengthDelimited],
  min: [12, fixed64],
  max: [13, fixed64],
  zeroThreshold: [14, fixed64],
});

/** Decodes an `ExponentialHistogramDataPoint`; exemplars are skipped. */
export function decodeExponentialHistogramDataPoint(
  reader: ProtoReader,
  end: number,
): OtlpExponentialHistogramDataPoint {
  const point: OtlpExponentialHistogramDataPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0,
    sum: null,
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    min: null,
    max: null,
    flags: 0,
  };
  let attributeCount = 0;
  const { tags } = EXPONENTIAL_POINT;
  readMessage(
    reader,
    end,
    EXPONENTIAL_POINT.table,
    (tag) => {
      if (tag === tags.attributes) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), point.attributes, 0);
        attributeCount++;
      } else if (tag === tags.startTimeUnixNano) point.startTimeUnixNano = reader.readFixed64();
      else if (tag === tags.timeUnixNano) point.timeUnixNano = reader.readFixed64();
      else if (tag === tags.count) point.count = reader.readFixed64AsNumber();
      else if (tag === tags.sum) point.sum = reader.readDouble();
      else if (tag === tags.scale) point.scale = reader.readSint32();
      else if (tag === tags.zeroCount) point.zeroCount = reader.readFixed64AsNumber();
      else if (tag === tags.positive)
        point.positive = decodeBuckets(reader, reader.readLengthEnd(end));
      else if (tag === tags.negative)
        point.negative = decodeBuckets(reader, reader.readLengthEnd(end));
      else if (tag === tags.flags) point.flags = reader.readVarint32();
      else if (tag === tags.min) point.min = reader.readDouble();
      else if (tag === tags.max) point.max = reader.readDouble();
      else if (tag === tags.zeroThreshold) point.zeroThreshold = reader.readDouble();
      else return false;
      return true;
    },
    (field) => (field === 1 ? attributeCount : undefined),
  );
  return point;
}

const BUCKETS = messageFields({ offset: [1, varint], bucketCounts: [2, lengthDelimited] });
const UNPACKED_EXPONENTIAL_BUCKET_COUNT = fieldTag(2, varint);

function decodeBuckets(reader: ProtoReader, end: number): OtlpExponentialHistogramBuckets {
  const buckets: OtlpExponentialHistogramBuckets = { offset: 0, bucketCounts: [] };
  readMessage(reader, end, BUCKETS.table, (tag) => {
    if (tag === BUCKETS.tags.offset) buckets.offset = reader.readSint32();
    else if (tag === BUCKETS.tags.bucketCounts)
      reader.readPacked(end, buckets.bucketCounts, readUint64Count);
    else if (tag === UNPACKED_EXPONENTIAL_BUCKET_COUNT)
      buckets.bucketCounts.push(reader.readUint64AsNumber());
    else return false;
    return true;
  });
  return buckets;
}

const SUMMARY_POINT = messageFields({
  attributes: [7, lengthDelimited],
  startTimeUnixNano: [2, fixed64],
  timeUnixNano: [3, fixed64],
  count: [4, fixed64],
  sum: [5, fixed64],
  quantileValues: [6, lengthDelimited],
  flags: [8, varint],
});

/** Decodes a `SummaryDataPoint`. */
export function decodeSummaryDataPoint(reader: ProtoReader, end: number): OtlpSummaryDataPoint {
  const point: OtlpSummaryDataPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0,
    sum: 0,
    quantileValues: [],
    flags: 0,
  };
  let attributeCount = 0;
  const { tags } = SUMMARY_POINT;
  readMessage(
    reader,
    end,
    SUMMARY_POINT.table,
    (tag) => {
      if (tag === tags.attributes) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), point.attributes, 0);
        attributeCount++;
      } else if (tag === tags.startTimeUnixNano) point.startTimeUnixNano = reader.readFixed64();
      else if (tag === tags.timeUnixNano) point.timeUnixNano = reader.readFixed64();
      else if (tag === tags.count) point.count = reader.readFixed64AsNumber();
      else if (tag === tags.sum) point.sum = reader.readDouble();
      else if (tag === tags.quantileValues)
        point.quantileValues.push(decodeQuantile(reader, reader.readLengthEnd(end)));
      else if (tag === tags.flags) point.flags = reader.readVarint32();
      else return false;
      return true;
    },
    (field) => repeatedIndex({ 7: attributeCount, 6: point.quantileValues.length }, field),
  );
  return point;
}

const QUANTILE = messageFields({ quantile: [1, fixed64], value: [2, fixed64] });

function decodeQuantile(reader: ProtoReader, end: number): { quantile: number; value: number } {
  const quantile = { quantile: 0, value: 0 };
  readMessage(reader, end, QUANTILE.table, (tag) => {
    if (tag === QUANTILE.tags.quantile) quantile.quantile = reader.readDouble();
    else if (tag === QUANTILE.tags.value) quantile.value = reader.readDouble();
    else return false;
    return true;
  });
  return quantile;
}
