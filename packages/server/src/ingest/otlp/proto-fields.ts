import { DecodeFailure, withSegment } from './decode-error.ts';
import { describeWireType, type ProtoReader } from './proto-reader.ts';

/** A message's fields by field number: the OTLP/JSON name and the wire type the proto definition gives. */
export type FieldTable = ReadonlyMap<number, { readonly name: string; readonly wireType: number }>;

/** Builds a FieldTable from `name: [fieldNumber, wireType]` entries. */
export function fieldTable(fields: Record<string, readonly [number, number]>): FieldTable {
  const table = new Map<number, { name: string; wireType: number }>();
  for (const [name, [fieldNumber, wireType]] of Object.entries(fields)) {
    table.set(fieldNumber, { name, wireType });
  }
  return table;
}

/**
 * Skips a field the decoder does not keep. A field listed in the table
 * must still carry its declared wire type, so a body of another message type
 * fails here instead of decoding into nonsense.
 */
export function skipField(
  reader: ProtoReader,
  tag: number,
  limit: number,
  table: FieldTable,
): void {
  const field = table.get(tag >>> 3);
  if (field !== undefined && field.wireType !== (tag & 7)) {
    throw new DecodeFailure(
      `field ${tag >>> 3} (${field.name}) has wire type ${describeWireType(tag & 7)}, expected ${describeWireType(field.wireType)}`,
      reader.pos,
    );
  }
  reader.skipField(tag, limit);
}

/** Returns the path segment of a field for error messages; `index` is given for repeated fields. */
export function fieldSegment(table: FieldTable, fieldNumber: number, index?: number): string {
  if (fieldNumber === 0) return '';
  const name = table.get(fieldNumber)?.name ?? `(field ${fieldNumber})`;
  return index === undefined ? name : `${name}[${index}]`;
}

/** Returns the index for the path of a repeated field, given the item counts decoded so far by field number. */
export function repeatedIndex(
  counts: Readonly<Record<number, number>>,
  fieldNumber: number,
): number | undefined {
  return counts[fieldNumber];
}

/**
 * Builds the FieldTable of a message together with the tag of each field, so
 * a decoder compares `tag === tags.name` instead of repeating field numbers.
 */
export function messageFields<const Fields extends Record<string, readonly [number, number]>>(
  fields: Fields,
): { table: FieldTable; tags: { readonly [Name in keyof Fields]: number } } {
  const tags: Record<string, number> = {};
  for (const [name, [fieldNumber, wireType]] of Object.entries(fields)) {
    tags[name] = fieldNumber * 8 + wireType;
  }
  return { table: fieldTable(fields), tags: tags as { readonly [Name in keyof Fields]: number } };
}

/**
 * Reads the fields of one message up to `end`. `readField` consumes the
 * value of a field it handles and returns true; other fields are skipped.
 * `indexOf` gives the position of a repeated field for error paths.
 */
export function readMessage(
  reader: ProtoReader,
  end: number,
  table: FieldTable,
  readField: (tag: number) => boolean,
  indexOf?: (fieldNumber: number) => number | undefined,
): void {
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (!readField(tag)) skipField(reader, tag, end, table);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, fieldSegment(table, field, indexOf?.(field)));
  }
}
