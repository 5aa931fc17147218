import { CumulativeToDelta } from '../metrics/cumulative-to-delta.ts';
import type { SpanPrivacy } from '../privacy/span-privacy.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import type { Store } from '../store/store.ts';
import { toLogRecords } from './logs-pipeline.ts';
import { toMetricPoints } from './metrics-pipeline.ts';
import {
  decodeLogsRequestJson,
  decodeLogsRequestProtobuf,
  decodeMetricsRequestJson,
  decodeMetricsRequestProtobuf,
  decodeTraceRequestJson,
  decodeTraceRequestProtobuf,
} from './otlp/index.ts';
import { unixNanoFromMs } from './timestamps.ts';
import { ingestTraceRequest } from './trace-pipeline.ts';

export type Signal = 'traces' | 'metrics' | 'logs';
export type BodyEncoding = 'protobuf' | 'json';

/** How many items of a request were left out, and why, for OTLP `partial_success`. */
export interface IngestResult {
  accepted: number;
  rejected: number;
  rejectionMessage: string;
}

function decodeText(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/**
 * Takes decoded OTLP bodies of every signal into the store. Each method resolves
 * once the data is committed, so the caller may acknowledge the request.
 */
export class Ingestor {
  private readonly converter: CumulativeToDelta;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly privacy: SpanPrivacy,
    /** Called with the redacted spans of each trace request after their commit. */
    private readonly onSpansCommitted?: (spans: readonly CanonicalSpan[]) => void,
  ) {
    this.converter = new CumulativeToDelta(unixNanoFromMs(now()));
  }

  /** Restores the cumulative state of metric series saved before a restart. */
  async start(): Promise<void> {
    for (const [key, state] of await this.store.loadSeriesStates())
      this.converter.restore(key, state);
  }

  ingest(signal: Signal, body: Uint8Array, encoding: BodyEncoding): Promise<IngestResult> {
    if (signal === 'traces') return this.traces(body, encoding);
    if (signal === 'metrics') return this.metrics(body, encoding);
    return this.logs(body, encoding);
  }

  private async traces(body: Uint8Array, encoding: BodyEncoding): Promise<IngestResult> {
    const decoded =
      encoding === 'protobuf'
        ? decodeTraceRequestProtobuf(body)
        : decodeTraceRequestJson(decodeText(body));
    const accepted = await ingestTraceRequest(
      this.store,
      decoded.request,
      this.now(),
      this.privacy,
      this.onSpansCommitted,
    );
    return {
      accepted,
      rejected: decoded.rejectedSpans,
      rejectionMessage: decoded.rejectionMessage,
    };
  }

  private async metrics(body: Uint8Array, encoding: BodyEncoding): Promise<IngestResult> {
    const decoded =
      encoding === 'protobuf'
        ? decodeMetricsRequestProtobuf(body)
        : decodeMetricsRequestJson(decodeText(body));
    this.privacy.redactMetricsRequest(decoded.request);
    const points = toMetricPoints(decoded.request, this.converter);
    await this.store.writeMetricPoints(points, this.converter.drainTouched());
    return {
      accepted: points.length,
      rejected: decoded.rejectedDataPoints,
      rejectionMessage: decoded.rejectionMessage,
    };
  }

  private async logs(body: Uint8Array, encoding: BodyEncoding): Promise<IngestResult> {
    const decoded =
      encoding === 'protobuf'
        ? decodeLogsRequestProtobuf(body)
        : decodeLogsRequestJson(decodeText(body));
    const records = toLogRecords(decoded.request, unixNanoFromMs(this.now()));
    this.privacy.redactLogRecords(records);
    await this.store.writeLogRecords(records);
    return {
      accepted: records.length,
      rejected: decoded.rejectedLogRecords,
      rejectionMessage: decoded.rejectionMessage,
    };
  }
}
