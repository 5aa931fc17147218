import { isUtf8 } from 'node:buffer';
import type { Logger } from 'pino';
import type { KeyAttribution } from '../enrich/key-attribution.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import { CumulativeToDelta } from '../metrics/cumulative-to-delta.ts';
import type { SpanPrivacy } from '../privacy/span-privacy.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import type { ScoreRecord } from '../scores/score-store.ts';
import { scoresFromLogRecords, scoresFromSpans } from '../scores/evaluation-events.ts';
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
  OtlpDecodeError,
} from './otlp/index.ts';
import type { OtlpMetricsRequest } from './otlp/otlp-model.ts';
import { unixNanoFromMs } from './timestamps.ts';
import { prepareTraceSpans } from './trace-pipeline.ts';
import { WrappedCalls } from '../enrich/nested-calls.ts';
import { usageWarning } from './span-limits.ts';

export type Signal = 'traces' | 'metrics' | 'logs';

/** Receives redacted metrics and logs after their commit, such as the OTLP forwarder. */
export interface TelemetryCommitListener {
  metrics(request: OtlpMetricsRequest): void;
  logs(records: readonly StoredLogRecord[]): void;
}
export type BodyEncoding = 'protobuf' | 'json';

/**
 * How many items of a request were left out, and why, for OTLP `partial_success`. With
 * nothing rejected, a non-empty message is a warning about items that were kept.
 */
export interface IngestResult {
  accepted: number;
  rejected: number;
  rejectionMessage: string;
}

/** Logs the `partial_success` of a request: rejected items, or a warning about kept ones. */
export function logPartialSuccess(logger: Logger, signal: Signal, result: IngestResult): void {
  if (result.rejected > 0) {
    logger.warn(
      { signal, rejected: result.rejected },
      `rejected ${signal} items: ${result.rejectionMessage}`,
    );
  } else if (result.rejectionMessage !== '') {
    logger.warn({ signal }, `${signal} request kept with a warning: ${result.rejectionMessage}`);
  }
}

/** Returns the offset of the first byte of `bytes` that is not valid UTF-8, or -1. */
function findInvalidUtf8(bytes: Buffer): number {
  // Decoding replaces each invalid sequence with U+FFFD. The first U+FFFD whose bytes are
  // not its own encoding (EF BF BD) marks the first invalid sequence.
  const text = bytes.toString('utf8');
  let offset = 0;
  let previous = 0;
  for (let index = text.indexOf('\uFFFD'); index >= 0; index = text.indexOf('\uFFFD', index + 1)) {
    offset += Buffer.byteLength(text.slice(previous, index));
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd)
      return offset;
    previous = index;
  }
  return -1;
}

/** Decodes an OTLP/JSON body, rejecting invalid UTF-8 as the protobuf decoder does for strings. */
function decodeText(body: Uint8Array): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (!isUtf8(bytes)) {
    throw new OtlpDecodeError(
      'OTLP_INVALID_JSON',
      `Invalid OTLP/JSON body: the byte at offset ${findInvalidUtf8(bytes)} is not valid UTF-8. Encode the JSON text as UTF-8.`,
      '',
      null,
    );
  }
  return bytes.toString('utf8');
}

/**
 * Takes decoded OTLP bodies of every signal into the store. Each method resolves
 * once the data is committed, so the caller may acknowledge the request.
 */
export class Ingestor {
  /** One converter per project, so equal series of two projects never share a state. */
  private readonly converters = new Map<string, CumulativeToDelta>();
  /** Recent model call spans, to recognize a wrapper whose child came in an earlier request. */
  private readonly wrappedCalls = new WrappedCalls();
  private readonly startedAtUnixNano: bigint;
  private storeScores: ((scores: readonly ScoreRecord[]) => Promise<void>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly privacy: SpanPrivacy,
    /** Called with the redacted spans of each trace request after their commit. */
    private readonly onSpansCommitted?: (spans: readonly CanonicalSpan[]) => void,
    /** Called with the redacted metrics request or log records of each request after their commit. */
    private readonly onTelemetryCommitted?: TelemetryCommitListener,
  ) {
    this.startedAtUnixNano = unixNanoFromMs(now());
  }

  /**
   * Stores the scores that evaluation events and annotations carry, before the
   * request that brought them is acknowledged. Until this is called they stay on
   * their spans and log records only.
   */
  recordScoresWith(storeScores: (scores: readonly ScoreRecord[]) => Promise<void>): void {
    this.storeScores = storeScores;
  }

  /** Restores the cumulative state of metric series saved before a restart. */
  async start(): Promise<void> {
    for (const { projectId, seriesKey, state } of await this.store.loadSeriesStates())
      this.converterOf(projectId).restore(seriesKey, state);
  }

  /**
   * Stores the body as data of `projectId`, the project the request was scoped to.
   * Spans without a tenant, feature or environment take those of `keyAttribution`.
   */
  ingest(
    signal: Signal,
    body: Uint8Array,
    encoding: BodyEncoding,
    projectId: string,
    keyAttribution: KeyAttribution = {},
  ): Promise<IngestResult> {
    // Decoding and enrichment run in functions that are not async, so the body and a decoded
    // trace or logs request are garbage before the commit, and young-generation collections free
    // them. A decoded metrics request waits for the commit, because the commit listener gets it.
    try {
      if (signal === 'traces') return this.traces(body, encoding, projectId, keyAttribution);
      if (signal === 'metrics') return this.metrics(body, encoding, projectId);
      return this.logs(body, encoding, projectId);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private converterOf(projectId: string): CumulativeToDelta {
    let converter = this.converters.get(projectId);
    if (converter === undefined) {
      converter = new CumulativeToDelta(this.startedAtUnixNano);
      this.converters.set(projectId, converter);
    }
    return converter;
  }

  private traces(
    body: Uint8Array,
    encoding: BodyEncoding,
    projectId: string,
    keyAttribution: KeyAttribution,
  ): Promise<IngestResult> {
    const decoded =
      encoding === 'protobuf'
        ? decodeTraceRequestProtobuf(body)
        : decodeTraceRequestJson(decodeText(body));
    const spans = prepareTraceSpans(
      decoded.request,
      this.now(),
      this.privacy,
      projectId,
      keyAttribution,
      this.wrappedCalls,
    );
    return this.storeSpans(spans, {
      accepted: spans.length,
      rejected: decoded.rejectedSpans,
      // With nothing rejected, partial_success may carry a warning instead.
      rejectionMessage: decoded.rejectedSpans > 0 ? decoded.rejectionMessage : usageWarning(spans),
    });
  }

  private async storeSpans(spans: CanonicalSpan[], result: IngestResult): Promise<IngestResult> {
    await this.store.writeSpans(spans);
    this.onSpansCommitted?.(spans);
    if (this.storeScores !== null) await this.saveScores(scoresFromSpans(spans));
    return result;
  }

  private metrics(
    body: Uint8Array,
    encoding: BodyEncoding,
    projectId: string,
  ): Promise<IngestResult> {
    const decoded =
      encoding === 'protobuf'
        ? decodeMetricsRequestProtobuf(body)
        : decodeMetricsRequestJson(decodeText(body));
    this.privacy.redactMetricsRequest(decoded.request, projectId);
    const converter = this.converterOf(projectId);
    const points = toMetricPoints(decoded.request, converter);
    return this.storeMetricPoints(projectId, points, converter.drainTouched(), decoded.request, {
      accepted: points.length,
      rejected: decoded.rejectedDataPoints,
      rejectionMessage: decoded.rejectionMessage,
    });
  }

  /** Writes the points, then passes the redacted request to the commit listener. */
  private async storeMetricPoints(
    projectId: string,
    points: ReturnType<typeof toMetricPoints>,
    states: ReturnType<CumulativeToDelta['drainTouched']>,
    request: OtlpMetricsRequest,
    result: IngestResult,
  ): Promise<IngestResult> {
    await this.store.writeMetricPoints(projectId, points, states);
    this.onTelemetryCommitted?.metrics(request);
    return result;
  }

  private logs(body: Uint8Array, encoding: BodyEncoding, projectId: string): Promise<IngestResult> {
    const decoded =
      encoding === 'protobuf'
        ? decodeLogsRequestProtobuf(body)
        : decodeLogsRequestJson(decodeText(body));
    const records = toLogRecords(decoded.request, unixNanoFromMs(this.now()));
    this.privacy.redactLogRecords(records, projectId);
    return this.storeLogRecords(projectId, records, {
      accepted: records.length,
      rejected: decoded.rejectedLogRecords,
      rejectionMessage: decoded.rejectionMessage,
    });
  }

  private async storeLogRecords(
    projectId: string,
    records: StoredLogRecord[],
    result: IngestResult,
  ): Promise<IngestResult> {
    await this.store.writeLogRecords(projectId, records);
    this.onTelemetryCommitted?.logs(records);
    await this.saveScores(scoresFromLogRecords(records, projectId));
    return result;
  }

  private async saveScores(scores: readonly ScoreRecord[]): Promise<void> {
    if (scores.length === 0 || this.storeScores === null) return;
    await this.storeScores(scores);
  }
}
