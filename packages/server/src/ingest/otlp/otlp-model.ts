/**
 * The decoded form of an OTLP trace export request, shared by the protobuf and
 * JSON decoders. Ids are lowercase hex, times are Unix nanoseconds as bigint,
 * and attribute lists become plain objects (a repeated key keeps its last value).
 */

/** One OTLP `AnyValue`: int64 values become numbers when they fit in 2^53, else decimal strings; bytes become base64 strings. */
export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** OTLP `Span.SpanKind` numbers. */
export const SpanKindNumber = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
} as const;

/** OTLP `Status.StatusCode` numbers. */
export const StatusCodeNumber = { unset: 0, ok: 1, error: 2 } as const;

export interface OtlpSpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

export interface OtlpSpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface OtlpSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** Empty string for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** SpanKindNumber value. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: OtlpSpanEvent[];
  links: OtlpSpanLink[];
  status: { code: number; message: string };
  flags: number;
  /** `dropped_events_count` as sent; the decoders always set it. */
  droppedEventsCount?: number;
  /** `dropped_links_count` as sent plus links the decoders dropped for invalid ids; always set by them. */
  droppedLinksCount?: number;
  /**
   * The start on the sender's clock, in nanoseconds, when ingest moved a start that lay in the
   * future to the receive time. Absolute times in attributes come from that clock too.
   */
  senderStartTimeUnixNano?: bigint;
  /** The time corrections ingest made, such as `start_time_in_future`; the span's first ingest issues. */
  timeIssues?: string[];
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: Attributes;
}

export interface OtlpScopeSpans {
  scope: OtlpScope;
  schemaUrl: string;
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource: Attributes;
  schemaUrl: string;
  scopeSpans: OtlpScopeSpans[];
}

export interface OtlpTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

/**
 * A decoded trace request and the spans left out of it. `rejectionMessage`
 * explains the first rejected span (empty when none was rejected) and is
 * meant for the OTLP `partial_success.error_message`.
 */
export interface TraceDecodeResult {
  request: OtlpTraceRequest;
  rejectedSpans: number;
  rejectionMessage: string;
}

/** OTLP `AggregationTemporality` numbers. */
export const AggregationTemporalityNumber = { unspecified: 0, delta: 1, cumulative: 2 } as const;

/**
 * A data point of a gauge or sum. At most one of `asDouble` and `asInt` is
 * set, and both are null when the sender sent no value (as for a point
 * flagged with no recorded value).
 */
export interface OtlpNumberDataPoint {
  attributes: Attributes;
  /** 0n when the sender left it unset. */
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  asDouble: number | null;
  asInt: bigint | null;
  flags: number;
}

/** Counts are numbers, so a count above 2^53 would lose precision. */
export interface OtlpHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number | null;
  bucketCounts: number[];
  explicitBounds: number[];
  min: number | null;
  max: number | null;
  flags: number;
}

export interface OtlpExponentialHistogramBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface OtlpExponentialHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number | null;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: OtlpExponentialHistogramBuckets;
  negative: OtlpExponentialHistogramBuckets;
  min: number | null;
  max: number | null;
  flags: number;
}

export interface OtlpSummaryDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
  flags: number;
}

/** The `data` oneof of an OTLP `Metric`, tagged by the OTLP/JSON field name. */
export type OtlpMetricData =
  | { type: 'gauge'; dataPoints: OtlpNumberDataPoint[] }
  | {
      type: 'sum';
      aggregationTemporality: number;
      isMonotonic: boolean;
      dataPoints: OtlpNumberDataPoint[];
    }
  | { type: 'histogram'; aggregationTemporality: number; dataPoints: OtlpHistogramDataPoint[] }
  | {
      type: 'exponentialHistogram';
      aggregationTemporality: number;
      dataPoints: OtlpExponentialHistogramDataPoint[];
    }
  | { type: 'summary'; dataPoints: OtlpSummaryDataPoint[] };

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  /** Null when the sender set none of the data fields. */
  data: OtlpMetricData | null;
  metadata: Attributes;
}

export interface OtlpScopeMetrics {
  scope: OtlpScope;
  schemaUrl: string;
  metrics: OtlpMetric[];
}

export interface OtlpResourceMetrics {
  resource: Attributes;
  schemaUrl: string;
  scopeMetrics: OtlpScopeMetrics[];
}

export interface OtlpMetricsRequest {
  resourceMetrics: OtlpResourceMetrics[];
}

/** A decoded metrics request; data points without a time are left out and counted. */
export interface MetricsDecodeResult {
  request: OtlpMetricsRequest;
  rejectedDataPoints: number;
  rejectionMessage: string;
}

export interface OtlpLogRecord {
  /** 0n when the sender left it unset; then `observedTimeUnixNano` is the best time. */
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** OTLP `SeverityNumber`, 0 when unset, 1 (TRACE) to 24 (FATAL4). */
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  /** 32 lowercase hex characters, or empty when the record belongs to no span. */
  traceId: string;
  /** 16 lowercase hex characters, or empty. */
  spanId: string;
  eventName: string;
}

export interface OtlpScopeLogs {
  scope: OtlpScope;
  schemaUrl: string;
  logRecords: OtlpLogRecord[];
}

export interface OtlpResourceLogs {
  resource: Attributes;
  schemaUrl: string;
  scopeLogs: OtlpScopeLogs[];
}

export interface OtlpLogsRequest {
  resourceLogs: OtlpResourceLogs[];
}

/** A decoded logs request; records with malformed trace or span ids are left out and counted. */
export interface LogsDecodeResult {
  request: OtlpLogsRequest;
  rejectedLogRecords: number;
  rejectionMessage: string;
}
