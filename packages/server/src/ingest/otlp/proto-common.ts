import { DecodeFailure, withSegment } from './decode-error.ts';
import { MAX_ANY_VALUE_DEPTH, setAttribute } from './attributes.ts';
import type { AttributeValue, Attributes, OtlpScope } from './otlp-model.ts';
import { fieldSegment, fieldTable, skipField } from './proto-fields.ts';
import { WireType, fieldTag, type ProtoReader } from './proto-reader.ts';

const { varint, fixed64, lengthDelimited } = WireType;

const ANY_VALUE_FIELDS = fieldTable({
  stringValue: [1, lengthDelimited],
  boolValue: [2, varint],
  intValue: [3, varint],
  doubleValue: [4, fixed64],
  arrayValue: [5, lengthDelimited],
  kvlistValue: [6, lengthDelimited],
  bytesValue: [7, lengthDelimited],
  stringValueStrindex: [8, varint],
});
const STRING_VALUE = fieldTag(1, lengthDelimited);
const BOOL_VALUE = fieldTag(2, varint);
const INT_VALUE = fieldTag(3, varint);
const DOUBLE_VALUE = fieldTag(4, fixed64);
const ARRAY_VALUE = fieldTag(5, lengthDelimited);
const KVLIST_VALUE = fieldTag(6, lengthDelimited);
const BYTES_VALUE = fieldTag(7, lengthDelimited);

/** `ArrayValue` and `KeyValueList` both keep their items in field 1. */
const LIST_FIELDS = fieldTable({ values: [1, lengthDelimited] });
const LIST_VALUES = fieldTag(1, lengthDelimited);

const KEY_VALUE_FIELDS = fieldTable({
  key: [1, lengthDelimited],
  value: [2, lengthDelimited],
  keyStrindex: [3, varint],
});
const KEY = fieldTag(1, lengthDelimited);
const VALUE = fieldTag(2, lengthDelimited);

const SCOPE_FIELDS = fieldTable({
  name: [1, lengthDelimited],
  version: [2, lengthDelimited],
  attributes: [3, lengthDelimited],
  droppedAttributesCount: [4, varint],
});
const SCOPE_NAME = fieldTag(1, lengthDelimited);
const SCOPE_VERSION = fieldTag(2, lengthDelimited);
const SCOPE_ATTRIBUTES = fieldTag(3, lengthDelimited);

const RESOURCE_FIELDS = fieldTable({
  attributes: [1, lengthDelimited],
  droppedAttributesCount: [2, varint],
  entityRefs: [3, lengthDelimited],
});
const RESOURCE_ATTRIBUTES = fieldTag(1, lengthDelimited);

/** Decodes an `AnyValue` message that ends at `end`; an empty one becomes null. */
export function decodeAnyValue(reader: ProtoReader, end: number, depth: number): AttributeValue {
  let value: AttributeValue = null;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === STRING_VALUE) value = reader.readString(end);
      else if (tag === INT_VALUE) value = reader.readInt64Value();
      else if (tag === DOUBLE_VALUE) value = reader.readDouble();
      else if (tag === BOOL_VALUE) value = reader.readBool();
      else if (tag === ARRAY_VALUE)
        value = decodeArrayValue(reader, reader.readLengthEnd(end), depth + 1);
      else if (tag === KVLIST_VALUE)
        value = decodeKeyValueList(reader, reader.readLengthEnd(end), depth + 1);
      else if (tag === BYTES_VALUE) value = reader.readBase64(end);
      else skipField(reader, tag, end, ANY_VALUE_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, fieldSegment(ANY_VALUE_FIELDS, field));
  }
  return value;
}

function checkDepth(reader: ProtoReader, depth: number): void {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new DecodeFailure(
      `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels of arrayValue and kvlistValue`,
      reader.pos,
    );
  }
}

function decodeArrayValue(reader: ProtoReader, end: number, depth: number): AttributeValue[] {
  checkDepth(reader, depth);
  const values: AttributeValue[] = [];
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === LIST_VALUES)
        values.push(decodeAnyValue(reader, reader.readLengthEnd(end), depth));
      else skipField(reader, tag, end, LIST_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, fieldSegment(LIST_FIELDS, field, values.length));
  }
  return values;
}

function decodeKeyValueList(reader: ProtoReader, end: number, depth: number): Attributes {
  checkDepth(reader, depth);
  const values: Attributes = {};
  let count = 0;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === LIST_VALUES) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), values, depth);
        count++;
      } else skipField(reader, tag, end, LIST_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, fieldSegment(LIST_FIELDS, field, count));
  }
  return values;
}

/** Decodes one `KeyValue` message and stores it in `attributes`. */
export function decodeKeyValueInto(
  reader: ProtoReader,
  end: number,
  attributes: Attributes,
  depth: number,
): void {
  let key = '';
  let value: AttributeValue = null;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === KEY) key = reader.readRepeatedString(end);
      else if (tag === VALUE) value = decodeAnyValue(reader, reader.readLengthEnd(end), depth);
      else skipField(reader, tag, end, KEY_VALUE_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, fieldSegment(KEY_VALUE_FIELDS, field));
  }
  setAttribute(attributes, key, value);
}

/** Decodes an `InstrumentationScope` message. */
export function decodeScope(reader: ProtoReader, end: number): OtlpScope {
  const scope: OtlpScope = { name: '', version: '', attributes: {} };
  let attributeCount = 0;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === SCOPE_NAME) scope.name = reader.readRepeatedString(end);
      else if (tag === SCOPE_VERSION) scope.version = reader.readRepeatedString(end);
      else if (tag === SCOPE_ATTRIBUTES) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), scope.attributes, 0);
        attributeCount++;
      } else skipField(reader, tag, end, SCOPE_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(
      error,
      fieldSegment(SCOPE_FIELDS, field, field === 3 ? attributeCount : undefined),
    );
  }
  return scope;
}

/** Decodes a `Resource` message into its attributes. */
export function decodeResource(reader: ProtoReader, end: number): Attributes {
  const attributes: Attributes = {};
  let attributeCount = 0;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === RESOURCE_ATTRIBUTES) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), attributes, 0);
        attributeCount++;
      } else skipField(reader, tag, end, RESOURCE_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(
      error,
      fieldSegment(RESOURCE_FIELDS, field, field === 1 ? attributeCount : undefined),
    );
  }
  return attributes;
}
