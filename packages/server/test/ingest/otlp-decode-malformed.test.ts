import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  OtlpDecodeError,
  decodeTraceRequestJson,
  decodeTraceRequestProtobuf,
} from '../../src/ingest/otlp/index.ts';
import type { OtlpTraceRequest, TraceDecodeResult } from '../../src/ingest/otlp/otlp-model.ts';

const TRACE_ID_BYTES = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const SPAN_ID_BYTES = Buffer.from('eee19b7ec3c1b174', 'hex');

// Minimal protobuf writer for hand-built bodies: tag, varint, length-delimited, fixed64.
function varint(value: number | bigint): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return bytes;
}
const tag = (field: number, wireType: number): number[] => varint(field * 8 + wireType);
const bytesField = (field: number, value: Uint8Array | number[] | string): number[] => {
  const bytes = typeof value === 'string' ? [...Buffer.from(value, 'utf8')] : [...value];
  return [...tag(field, 2), ...varint(bytes.length), ...bytes];
};
const varintField = (field: number, value: number | bigint): number[] => [
  ...tag(field, 0),
  ...varint(value),
];
const fixed64Field = (field: number, value: bigint): number[] => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return [...tag(field, 1), ...bytes];
};

/** Builds a Span message with ids, a name and a start time, plus `extra` fields. */
function spanMessage(extra: number[] = [], traceId: Uint8Array = TRACE_ID_BYTES): number[] {
  return [
    ...bytesField(1, traceId),
    ...bytesField(2, SPAN_ID_BYTES),
    ...bytesField(5, 'chat'),
    ...fixed64Field(7, 1788775274027616123n),
    ...extra,
  ];
}

/** Wraps Span messages in ScopeSpans, ResourceSpans and the request. */
function traceRequest(...spans: number[][]): Uint8Array {
  const scopeSpans = spans.flatMap((span) => bytesField(2, span));
  return new Uint8Array(bytesField(1, bytesField(2, scopeSpans)));
}

function spanCount(request: OtlpTraceRequest): number {
  return request.resourceSpans.reduce(
    (sum, resource) =>
      sum + resource.scopeSpans.reduce((inner, scope) => inner + scope.spans.length, 0),
    0,
  );
}

function decodeError(decode: () => unknown): OtlpDecodeError {
  try {
    decode();
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an OtlpDecodeError, but decoding succeeded');
}

/**
 * Builds an AnyValue that contains `depth` nested arrayValues around a string. Every
 * level is only a prefix, so the prefixes are built from the inside out.
 */
function nestedArrayValue(depth: number): number[] {
  const leaf = bytesField(1, 'leaf');
  const prefixes: number[][] = [];
  let innerLength = leaf.length;
  for (let level = 0; level < depth; level++) {
    const arrayPrefix = [...tag(1, 2), ...varint(innerLength)];
    const arrayLength = arrayPrefix.length + innerLength;
    const anyValuePrefix = [...tag(5, 2), ...varint(arrayLength)];
    prefixes.push(arrayPrefix, anyValuePrefix);
    innerLength = anyValuePrefix.length + arrayLength;
  }
  return [...prefixes.reverse().flat(), ...leaf];
}

function realProtobufBody(): { body: Uint8Array; spans: number } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'truncation' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('truncation', '1.0.0');
  for (let i = 0; i < 6; i++) {
    const span = tracer.startSpan(`chat ${i}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 100 + i,
        list: ['a', 'b'],
      },
    });
    span.addEvent('event', { score: 0.5 });
    span.end();
  }
  const body = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  if (body === undefined) throw new Error('serializer returned no body');
  return { body, spans: 6 };
}

describe('protobuf trace decoder on malformed bodies', () => {
  it('truncation at every prefix length', () => {
    const { body, spans } = realProtobufBody();
    expect(spanCount(decodeTraceRequestProtobuf(body).request)).toBe(spans);
    let failures = 0;
    for (let length = 0; length < body.length; length++) {
      try {
        const result = decodeTraceRequestProtobuf(body.subarray(0, length));
        expect(spanCount(result.request)).toBeLessThan(spans);
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(body.length / 2);
  });

  it('garbage bytes', () => {
    let seed = 12345;
    const nextByte = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let round = 0; round < 2000; round++) {
      const garbage = Uint8Array.from({ length: 1 + (round % 64) }, nextByte);
      try {
        decodeTraceRequestProtobuf(garbage);
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
      }
    }
    const error = decodeError(() => decodeTraceRequestProtobuf(new Uint8Array([0xff, 0xff, 0xff])));
    expect(error.code).toBe('OTLP_INVALID_PROTOBUF');
    expect(error.httpStatus).toBe(400);
  });

  it('wrong wire type names the field', () => {
    const body = traceRequest(spanMessage(), [
      ...bytesField(1, TRACE_ID_BYTES),
      ...varintField(5, 7),
    ]);
    const error = decodeError(() => decodeTraceRequestProtobuf(body));
    expect(error.path).toBe('resourceSpans[0].scopeSpans[0].spans[1].name');
    expect(error.message).toBe(
      'Invalid protobuf ExportTraceServiceRequest: field 5 (name) has wire type 0 (varint), ' +
        `expected 2 (length-delimited) at byte ${error.byteOffset} in resourceSpans[0].scopeSpans[0].spans[1].name. ` +
        'Send a protobuf-encoded ExportTraceServiceRequest, and label a compressed body with its Content-Encoding.',
    );
  });

  it('truncated body message names truncation', () => {
    const body = traceRequest(spanMessage());
    const error = decodeError(() => decodeTraceRequestProtobuf(body.subarray(0, body.length - 5)));
    expect(error.path).toBe('resourceSpans[0]');
    expect(error.byteOffset).toBe(1);
    expect(error.message).toBe(
      `Invalid protobuf ExportTraceServiceRequest: length-delimited field of ${body.length - 2} bytes ` +
        `is longer than the ${body.length - 7} bytes left in its message, as in a truncated body, ` +
        'at byte 1 in resourceSpans[0]. ' +
        'Send a protobuf-encoded ExportTraceServiceRequest, and label a compressed body with its Content-Encoding.',
    );
  });

  it('invalid UTF-8 in names, keys and long values', () => {
    const invalid = [0xc3, 0x28];
    const longInvalid = [...Buffer.from('x'.repeat(200)), 0xff];
    const keyValue = (key: number[], value: number[]): number[] =>
      bytesField(9, [...bytesField(1, key), ...bytesField(2, bytesField(1, value))]);
    const cases: [number[], string][] = [
      [bytesField(5, invalid), 'resourceSpans[0].scopeSpans[0].spans[0].name'],
      [keyValue(invalid, [0x61]), 'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].key'],
      [
        keyValue([0x61], longInvalid),
        'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.stringValue',
      ],
    ];
    for (const [field, path] of cases) {
      const error = decodeError(() => decodeTraceRequestProtobuf(traceRequest(spanMessage(field))));
      expect(error.path).toBe(path);
      expect(error.message).toContain('string is not valid UTF-8');
    }
  });

  it('skips unknown fields and groups', () => {
    const group = [
      ...tag(54, 3),
      ...varintField(1, 5),
      ...tag(55, 3),
      ...bytesField(2, 'x'),
      ...tag(55, 4),
      ...tag(54, 4),
    ];
    const unknown = [
      ...varintField(50, 300),
      ...tag(51, 5),
      1,
      2,
      3,
      4,
      ...fixed64Field(52, 9n),
      ...bytesField(53, 'y'),
      ...group,
    ];
    const result = decodeTraceRequestProtobuf(traceRequest(spanMessage(unknown)));
    const span = result.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.name).toBe('chat');
    expect(span.startTimeUnixNano).toBe(1788775274027616123n);
  });

  it('rejects a group without its end tag', () => {
    const body = traceRequest(spanMessage([...tag(54, 3), ...varintField(1, 5), ...tag(56, 4)]));
    const error = decodeError(() => decodeTraceRequestProtobuf(body));
    expect(error.message).toContain('end-group tag of field 56 does not match its start');
  });

  it('rejects AnyValue nested 10,000 levels deep', () => {
    const value = nestedArrayValue(10_000);
    const body = traceRequest(
      spanMessage(bytesField(9, [...bytesField(1, 'deep'), ...bytesField(2, value)])),
    );
    const error = decodeError(() => decodeTraceRequestProtobuf(body));
    expect(error.message).toContain(
      'AnyValue nested deeper than 64 levels of arrayValue and kvlistValue',
    );
  });

  it('counts spans with bad ids and keeps the rest', () => {
    const shortTraceId = Buffer.from('0102030405060708', 'hex');
    const body = traceRequest(
      spanMessage(),
      spanMessage([], shortTraceId),
      spanMessage([], new Uint8Array(16)),
    );
    const result = decodeTraceRequestProtobuf(body);
    expect(spanCount(result.request)).toBe(1);
    expect(result.rejectedSpans).toBe(2);
    expect(result.rejectionMessage).toBe(
      'resourceSpans[0].scopeSpans[0].spans[1].traceId "0102030405060708" is 8 bytes, ' +
        'expected 16 bytes (32 hex characters); send the full W3C id',
    );
  });

  it('reads deprecated instrumentation_library_spans', () => {
    const legacy = new Uint8Array(bytesField(1, bytesField(1000, bytesField(2, spanMessage()))));
    expect(spanCount(decodeTraceRequestProtobuf(legacy).request)).toBe(1);
    const both = new Uint8Array(
      bytesField(1, [...bytesField(1000, bytesField(2, spanMessage())), ...bytesField(2, [])]),
    );
    expect(spanCount(decodeTraceRequestProtobuf(both).request)).toBe(0);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const attribute = bytesField(9, [
      ...bytesField(1, '__proto__'),
      ...bytesField(2, bytesField(1, 'x')),
    ]);
    const span = decodeTraceRequestProtobuf(traceRequest(spanMessage(attribute))).request
      .resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
    expect(Object.keys(span.attributes)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).toBe('x');
  });
});

/** Builds an OTLP/JSON trace body around the given spans. */
function jsonRequest(spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ scope: { name: 'json-test' }, spans }] }],
  });
}

const VALID_JSON_SPAN = {
  traceId: '5B8EFFF798038103D269B633813FC60C',
  spanId: 'eee19b7ec3c1b174',
  name: 'chat',
  startTimeUnixNano: '1788775274027616123',
};

function firstJsonSpan(
  text: string,
): TraceDecodeResult['request']['resourceSpans'][0]['scopeSpans'][0]['spans'][0] {
  const span = decodeTraceRequestJson(text).request.resourceSpans[0]?.scopeSpans[0]?.spans[0];
  if (span === undefined) throw new Error('no span decoded');
  return span;
}

describe('JSON trace decoder on malformed and unusual bodies', () => {
  it('syntax error', () => {
    const error = decodeError(() => decodeTraceRequestJson('{"resourceSpans": [}'));
    expect(error.code).toBe('OTLP_INVALID_JSON');
    expect(error.message).toMatch(
      /^Invalid OTLP\/JSON ExportTraceServiceRequest: body is not valid JSON \(/,
    );
  });

  it('top level without resourceSpans', () => {
    expect(decodeError(() => decodeTraceRequestJson('[]')).message).toBe(
      'Invalid OTLP/JSON ExportTraceServiceRequest: expected a JSON object with a "resourceSpans" array ' +
        'at the top level, got an array.',
    );
    expect(decodeError(() => decodeTraceRequestJson('{"spans": []}')).message).toBe(
      'Invalid OTLP/JSON ExportTraceServiceRequest at resourceSpans: expected an array, got no such field.',
    );
  });

  it('wrong type names the field path', () => {
    const error = decodeError(() =>
      decodeTraceRequestJson(jsonRequest([VALID_JSON_SPAN, { ...VALID_JSON_SPAN, traceId: 5 }])),
    );
    expect(error.path).toBe('resourceSpans[0].scopeSpans[0].spans[1].traceId');
    expect(error.message).toBe(
      'Invalid OTLP/JSON ExportTraceServiceRequest at resourceSpans[0].scopeSpans[0].spans[1].traceId: ' +
        'expected a string, got the number 5.',
    );
  });

  it('nesting 10,000 levels deep', () => {
    const deepValue = `${'{"arrayValue":{"values":['.repeat(10_000)}{"stringValue":"leaf"}${']}}'.repeat(10_000)}`;
    const deepSpan = { ...VALID_JSON_SPAN, attributes: [{ key: 'deep', value: 'DEEP' }] };
    const text = jsonRequest([deepSpan]).replace('"DEEP"', deepValue);
    const error = decodeError(() => decodeTraceRequestJson(text));
    expect(error.message).toContain(
      'AnyValue nested deeper than 64 levels of arrayValue and kvlistValue',
    );
    expect(error.path).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value(.arrayValue.values[0] ×64).arrayValue',
    );

    const deepUnknown = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const withUnknown = jsonRequest([VALID_JSON_SPAN]).replace(
      '"name":"chat"',
      `"name":"chat","extra":${deepUnknown}`,
    );
    expect(firstJsonSpan(withUnknown).name).toBe('chat');
    const topLevelArrays = decodeError(() => decodeTraceRequestJson(deepUnknown));
    expect(topLevelArrays.code).toBe('OTLP_INVALID_JSON');
  });

  it('ids of the wrong length are counted', () => {
    const text = jsonRequest([
      { ...VALID_JSON_SPAN, traceId: 'abcd' },
      VALID_JSON_SPAN,
      { ...VALID_JSON_SPAN, spanId: 'zzzzzzzzzzzzzzzz' },
      { ...VALID_JSON_SPAN, traceId: '00000000000000000000000000000000' },
      { ...VALID_JSON_SPAN, startTimeUnixNano: undefined },
      { ...VALID_JSON_SPAN, parentSpanId: '0000000000000000' },
    ]);
    const result = decodeTraceRequestJson(text);
    // A span without a start time is kept: ingest corrects and flags it.
    expect(result.rejectedSpans).toBe(3);
    expect(result.rejectionMessage).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].traceId "abcd" is 2 bytes, ' +
        'expected 16 bytes (32 hex characters); send the full W3C id',
    );
    const kept = result.request.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(kept.map((span) => span.traceId)).toEqual([
      '5b8efff798038103d269b633813fc60c',
      '5b8efff798038103d269b633813fc60c',
      '5b8efff798038103d269b633813fc60c',
    ]);
    expect(kept[1]!.startTimeUnixNano).toBe(0n);
    expect(kept[2]!.parentSpanId).toBe('');
  });

  it('rejection messages for each id problem', () => {
    const problems: [Record<string, unknown>, string][] = [
      [
        { spanId: 'zzzzzzzzzzzzzzzz' },
        'spanId "zzzzzzzzzzzzzzzz" is not hex; send the 8 bytes (16 hex characters) W3C id as hex',
      ],
      [
        { traceId: '0'.repeat(32) },
        'traceId is all zeros, which OTLP defines as invalid; send a random nonzero id',
      ],
      [{ spanId: undefined }, 'spanId is missing; send the 8 bytes (16 hex characters) W3C id'],
    ];
    for (const [change, problem] of problems) {
      const result = decodeTraceRequestJson(jsonRequest([{ ...VALID_JSON_SPAN, ...change }]));
      expect(result.rejectionMessage).toBe(`resourceSpans[0].scopeSpans[0].spans[0].${problem}`);
    }
  });

  it('keeps a span without a start time for ingest to correct', () => {
    const result = decodeTraceRequestJson(
      jsonRequest([{ ...VALID_JSON_SPAN, startTimeUnixNano: '0' }]),
    );
    expect(result.rejectedSpans).toBe(0);
    expect(
      firstJsonSpan(jsonRequest([{ ...VALID_JSON_SPAN, startTimeUnixNano: '0' }]))
        .startTimeUnixNano,
    ).toBe(0n);
  });

  it('timestamps as strings and numbers', () => {
    expect(firstJsonSpan(jsonRequest([VALID_JSON_SPAN])).startTimeUnixNano).toBe(
      1788775274027616123n,
    );
    const asNumber = firstJsonSpan(
      jsonRequest([
        {
          ...VALID_JSON_SPAN,
          startTimeUnixNano: 1788775274027616000,
          endTimeUnixNano: '1788775275000000000',
        },
      ]),
    );
    expect(asNumber.startTimeUnixNano).toBe(1788775274027616000n);
    expect(asNumber.endTimeUnixNano).toBe(1788775275000000000n);
    const fractional = decodeError(() =>
      decodeTraceRequestJson(jsonRequest([{ ...VALID_JSON_SPAN, startTimeUnixNano: 1.5 }])),
    );
    expect(fractional.message).toBe(
      'Invalid OTLP/JSON ExportTraceServiceRequest at resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: ' +
        'expected an integer from 0 to 18446744073709551615, got the number 1.5.',
    );
  });

  it('enum names and numbers', () => {
    const span = firstJsonSpan(
      jsonRequest([
        {
          ...VALID_JSON_SPAN,
          kind: 'SPAN_KIND_SERVER',
          status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
        },
      ]),
    );
    expect(span.kind).toBe(2);
    expect(span.status).toEqual({ code: 2, message: 'boom' });
    expect(
      firstJsonSpan(jsonRequest([{ ...VALID_JSON_SPAN, kind: 4, status: { code: 1 } }])).kind,
    ).toBe(4);
    const unknown = decodeError(() =>
      decodeTraceRequestJson(jsonRequest([{ ...VALID_JSON_SPAN, kind: 'CLIENT' }])),
    );
    expect(unknown.message).toContain(
      'spans[0].kind: unknown enum name "CLIENT"; send a number or one of SPAN_KIND_UNSPECIFIED, SPAN_KIND_INTERNAL,',
    );
  });

  it('snake_case keys decode like lowerCamelCase', () => {
    const camel = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.37.0',
          scopeSpans: [
            {
              scope: { name: 's', version: '1' },
              spans: [
                {
                  ...VALID_JSON_SPAN,
                  parentSpanId: '0123456789abcdef',
                  traceState: 'k=v',
                  endTimeUnixNano: '1788775275000000000',
                  droppedAttributesCount: 2,
                  attributes: [
                    { key: 'n', value: { intValue: '9223372036854775807' } },
                    { key: 'd', value: { doubleValue: 'NaN' } },
                    { key: 'b', value: { boolValue: true } },
                    { key: 'raw', value: { bytesValue: 'AQID' } },
                    {
                      key: 'kv',
                      value: {
                        kvlistValue: {
                          values: [
                            { key: 'x', value: { arrayValue: { values: [{ intValue: 1 }] } } },
                          ],
                        },
                      },
                    },
                    { key: 'empty', value: {} },
                  ],
                  events: [{ timeUnixNano: '1788775274100000000', name: 'e' }],
                  links: [
                    { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const snakeText = JSON.stringify(camel).replace(
      /"([a-z]+(?:[A-Z][a-z]+)+)":/g,
      (_, key: string) => `"${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}":`,
    );
    expect(snakeText).toContain('"resource_spans"');
    expect(snakeText).toContain('"start_time_unix_nano"');
    const fromCamel = decodeTraceRequestJson(JSON.stringify(camel));
    const fromSnake = decodeTraceRequestJson(snakeText);
    expect(fromSnake).toEqual(fromCamel);
    const span = fromCamel.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.attributes).toEqual({
      n: '9223372036854775807',
      d: Number.NaN,
      b: true,
      raw: 'AQID',
      kv: { x: [1] },
      empty: null,
    });
    expect(span.droppedAttributesCount).toBe(2);
    expect(span.events).toEqual([
      { timeUnixNano: 1788775274100000000n, name: 'e', attributes: {} },
    ]);
    expect(fromCamel.request.resourceSpans[0]!.resource).toEqual({ 'service.name': 'svc' });
  });

  it('base64 ids from generic protobuf JSON encoders', () => {
    const span = firstJsonSpan(
      jsonRequest([
        {
          ...VALID_JSON_SPAN,
          traceId: TRACE_ID_BYTES.toString('base64'),
          spanId: SPAN_ID_BYTES.toString('base64'),
        },
      ]),
    );
    expect(span.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(span.spanId).toBe('eee19b7ec3c1b174');
  });

  it('missing optional fields take defaults', () => {
    const span = firstJsonSpan(jsonRequest([VALID_JSON_SPAN]));
    expect(span).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      traceState: '',
      name: 'chat',
      kind: 0,
      startTimeUnixNano: 1788775274027616123n,
      endTimeUnixNano: 0n,
      attributes: {},
      droppedAttributesCount: 0,
      events: [],
      links: [],
      status: { code: 0, message: '' },
      flags: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  });

  it('drops links with bad ids and counts them', () => {
    const span = firstJsonSpan(
      jsonRequest([
        {
          ...VALID_JSON_SPAN,
          links: [
            { traceId: 'ab', spanId: 'cd' },
            { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
          ],
        },
      ]),
    );
    expect(span.links.map((link) => link.spanId)).toEqual(['b7ad6b7169203331']);
    expect(span.droppedLinksCount).toBe(1);
  });

  it('reads deprecated instrumentationLibrarySpans', () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          instrumentationLibrarySpans: [
            { instrumentationLibrary: { name: 'old', version: '0.1' }, spans: [VALID_JSON_SPAN] },
          ],
        },
      ],
    });
    const scopeSpans = decodeTraceRequestJson(text).request.resourceSpans[0]!.scopeSpans[0]!;
    expect(scopeSpans.scope).toEqual({ name: 'old', version: '0.1', attributes: {} });
    expect(scopeSpans.spans).toHaveLength(1);
  });
});
