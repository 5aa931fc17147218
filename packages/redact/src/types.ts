/** An attribute value as OTLP decoders produce it: scalars, arrays and key-value lists. */
export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export interface RedactableEvent {
  name: string;
  attributes: Attributes;
}

/**
 * The span fields the redactor reads and rewrites. Foghorn's canonical span and
 * an exporter's span adapter both fit this shape; other fields are left alone.
 */
export interface RedactableSpan {
  name: string;
  serviceName: string;
  environment: string | null;
  statusMessage: string | null;
  userId: string | null;
  sessionId: string | null;
  tenant: string | null;
  feature: string | null;
  attributes: Attributes;
  resourceAttributes: Attributes;
  events: RedactableEvent[];
}

/** The log record fields the redactor reads and rewrites. */
export interface RedactableLogRecord {
  serviceName: string;
  environment: string | null;
  /** `gen_ai.user.message` and the other content events make the body content. */
  eventName: string;
  body: AttributeValue;
  attributes: Attributes;
  resourceAttributes: Attributes;
}

/** The fields of one metric data point the redactor reads and rewrites. */
export interface RedactableMetricPoint {
  serviceName: string;
  environment: string | null;
  attributes: Attributes;
  resourceAttributes: Attributes;
}

/** Counts of replaced values by detector name, such as `email` or `credential`. */
export type DetectorCounts = Record<string, number>;
