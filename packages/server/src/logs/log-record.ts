import type { AttributeValue, Attributes } from '../ingest/otlp/otlp-model.ts';

/** One stored log record; GenAI events among them are shown on their span. */
export interface StoredLogRecord {
  /** The record's time, or its observed time when the sender set none. */
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  resourceAttributes: Attributes;
  serviceName: string;
  scopeName: string;
  /** Empty when the record belongs to no trace. */
  traceId: string;
  spanId: string;
  /** `event_name`, or the `event.name` attribute older SDKs send. */
  eventName: string;
}
