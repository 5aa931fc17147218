/** An attribute value as OTLP decoders produce it: scalars, arrays and key-value lists. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

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

/** Counts of replaced values by detector name, such as `email` or `credential`. */
export type DetectorCounts = Record<string, number>;
