import type {
  Attributes,
  OtlpResourceSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpTraceRequest,
} from '../../../src/ingest/otlp/otlp-model.ts';

/** The parts of a span that a fixture format can carry; the rest gets OTLP defaults. */
export interface SpanParts {
  name: string;
  attributes: Attributes;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  kind?: number;
  startTimeUnixNano?: bigint;
  endTimeUnixNano?: bigint;
  events?: OtlpSpanEvent[];
  status?: { code: number; message: string };
}

export function buildSpan(parts: SpanParts): OtlpSpan {
  return {
    traceId: parts.traceId ?? '0'.repeat(31) + '1',
    spanId: parts.spanId ?? '0'.repeat(15) + '1',
    parentSpanId: parts.parentSpanId ?? '',
    traceState: '',
    name: parts.name,
    kind: parts.kind ?? 0,
    startTimeUnixNano: parts.startTimeUnixNano ?? 0n,
    endTimeUnixNano: parts.endTimeUnixNano ?? 0n,
    attributes: parts.attributes,
    droppedAttributesCount: 0,
    events: parts.events ?? [],
    links: [],
    status: parts.status ?? { code: 0, message: '' },
    flags: 0,
  };
}

/** Builds one resource block with one scope that contains the given spans. */
export function buildResourceSpans(
  resource: Attributes,
  scopeName: string,
  spans: OtlpSpan[],
): OtlpResourceSpans {
  return {
    resource,
    schemaUrl: '',
    scopeSpans: [{ scope: { name: scopeName, version: '', attributes: {} }, schemaUrl: '', spans }],
  };
}

export function buildRequest(resourceSpans: OtlpResourceSpans[]): OtlpTraceRequest {
  return { resourceSpans };
}

/** Makes a 16-hex-digit span id from a running number, for formats that carry no ids. */
export function syntheticSpanId(index: number): string {
  return (index + 1).toString(16).padStart(16, '0');
}

/** Makes a 32-hex-digit trace id from a running number. */
export function syntheticTraceId(index: number): string {
  return (index + 1).toString(16).padStart(32, '0');
}

/** Converts the OTel JS SDK's `HrTime`, `[seconds, nanoseconds]`, to Unix nanoseconds. */
export function hrTimeToUnixNano(time: unknown): bigint {
  if (!Array.isArray(time) || time.length !== 2) return 0n;
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

/** Converts an ISO 8601 time with millisecond precision to Unix nanoseconds. */
export function isoToUnixNano(time: unknown): bigint {
  if (typeof time !== 'string') return 0n;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0n : BigInt(ms) * 1_000_000n;
}
