import type { AttributeValue, Attributes } from '../ingest/otlp/otlp-model.ts';
import type { ProtoWriter } from './proto-writer.ts';

/**
 * Field numbers of the OTLP common messages (`AnyValue`, `KeyValue`,
 * `InstrumentationScope`, `Resource`), the same ones the decoder in ingest/otlp reads.
 */
const ANY_VALUE = { string: 1, bool: 2, int: 3, double: 4, array: 5, kvlist: 6 } as const;
const KEY_VALUE = { key: 1, value: 2 } as const;
const SCOPE = { name: 1, version: 2, attributes: 3 } as const;
const RESOURCE = { attributes: 1 } as const;
/** `ArrayValue.values` and `KeyValueList.values` are both field 1. */
const LIST_VALUES = 1;

/**
 * Writes an attribute value as an `AnyValue`. The decoded model keeps no type
 * tag, so integral numbers go out as `int_value`, other numbers as
 * `double_value`, and int64 values beyond 2^53 (kept as decimal strings) and
 * bytes values (kept as base64) go out as strings.
 */
export function writeAnyValue(writer: ProtoWriter, value: AttributeValue): void {
  if (value === null) return;
  if (typeof value === 'string') writer.stringField(ANY_VALUE.string, value);
  else if (typeof value === 'boolean') writer.boolField(ANY_VALUE.bool, value);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) writer.varintField(ANY_VALUE.int, value);
    else writer.doubleField(ANY_VALUE.double, value);
  } else if (Array.isArray(value)) {
    writer.message(ANY_VALUE.array, (list) => {
      for (const item of value) list.message(LIST_VALUES, (child) => writeAnyValue(child, item));
    });
  } else {
    writer.message(ANY_VALUE.kvlist, (list) => writeKeyValues(list, LIST_VALUES, value));
  }
}

/** Writes each attribute as a `KeyValue` in the repeated field `field`. */
export function writeKeyValues(writer: ProtoWriter, field: number, attributes: Attributes): void {
  for (const [key, value] of Object.entries(attributes)) {
    writer.message(field, (pair) => {
      pair.stringField(KEY_VALUE.key, key);
      pair.message(KEY_VALUE.value, (child) => writeAnyValue(child, value));
    });
  }
}

export function writeResource(writer: ProtoWriter, field: number, attributes: Attributes): void {
  writer.message(field, (resource) => writeKeyValues(resource, RESOURCE.attributes, attributes));
}

export function writeScope(
  writer: ProtoWriter,
  field: number,
  scope: { name: string; version?: string; attributes?: Attributes },
): void {
  writer.message(field, (child) => {
    if (scope.name !== '') child.stringField(SCOPE.name, scope.name);
    if (scope.version !== undefined && scope.version !== '')
      child.stringField(SCOPE.version, scope.version);
    if (scope.attributes !== undefined) writeKeyValues(child, SCOPE.attributes, scope.attributes);
  });
}

/** Converts lowercase hex ids into the bytes OTLP/protobuf carries; an empty id stays empty. */
export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * Groups items by resource and scope, in first-seen order, because OTLP nests
 * items under one entry per resource and one per scope.
 */
export function groupByResourceAndScope<T>(
  items: readonly T[],
  resourceOf: (item: T) => Attributes,
  scopeOf: (item: T) => string,
): { resource: Attributes; scopes: { scopeName: string; items: T[] }[] }[] {
  const resources = new Map<
    string,
    { resource: Attributes; scopes: Map<string, { scopeName: string; items: T[] }> }
  >();
  for (const item of items) {
    const resource = resourceOf(item);
    const resourceKey = JSON.stringify(resource);
    let entry = resources.get(resourceKey);
    if (entry === undefined) {
      entry = { resource, scopes: new Map() };
      resources.set(resourceKey, entry);
    }
    const scopeName = scopeOf(item);
    let scope = entry.scopes.get(scopeName);
    if (scope === undefined) {
      scope = { scopeName, items: [] };
      entry.scopes.set(scopeName, scope);
    }
    scope.items.push(item);
  }
  return [...resources.values()].map((entry) => ({
    resource: entry.resource,
    scopes: [...entry.scopes.values()],
  }));
}
