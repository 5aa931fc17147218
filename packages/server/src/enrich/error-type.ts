import type { Attributes, OtlpSpanEvent } from '../ingest/otlp/otlp-model.ts';
import { readNumber, readString } from '../semconv/attributes.ts';
import type { ErrorType } from '../semconv/canonical-span.ts';

/**
 * Substrings of error names and messages, checked in order; the first match wins.
 * They cover provider SDK exception classes (`RateLimitError`, `APITimeoutError`,
 * `ResourceExhausted`), provider error codes (`rate_limit_error`,
 * `overloaded_error`, `content_policy_violation`) and common message text.
 */
const NAME_PATTERNS: ReadonlyArray<[RegExp, ErrorType]> = [
  [/rate.?limit|too.?many.?requests|resource.?exhausted|throttl|quota/i, 'rate_limit'],
  [/time.?out|timed.?out|deadline.?exceeded/i, 'timeout'],
  [/content.?filter|content.?polic|safety|moderation|guardrail|responsible.?ai/i, 'content_filter'],
  [/auth|permission|forbidden|invalid.?api.?key|unauthorized/i, 'authentication'],
  [/server.?error|internal|unavailable|overloaded|bad.?gateway|service.?error/i, 'server_error'],
  [
    /bad.?request|invalid|not.?found|unprocessable|conflict|client.?error|context.?length|too.?large/i,
    'client_error',
  ],
];

/** An HTTP status inside a message, as SDKs write it: `Error code: 429`, `status code 503`, `429 Too Many Requests`. */
const STATUS_IN_MESSAGE = /(?:error code|status(?: code)?)[:\s]+([1-5]\d\d)\b|^\s*([45]\d\d)\b/i;

/** Span events that record an exception: the OTel `exception` event and the GenAI exception events (v1.41, 0.1.0). */
const EXCEPTION_EVENTS: ReadonlySet<string> = new Set([
  'exception',
  'gen_ai.client.operation.exception',
  'gen_ai.client.inference.exception',
]);

/** Evidence of a failure, from the span status and from each dialect. */
export interface ErrorEvidence {
  /** Status ERROR, or a dialect's own failure mark such as Langfuse level ERROR. */
  failed: boolean;
  /** `error.type` or the dialect's equivalent. */
  errorType: string | null;
  /** The status message, or a dialect's own error message. */
  message: string | null;
  attributes: Attributes;
  events: readonly OtlpSpanEvent[];
}

/** Classifies an HTTP status code returned by a provider. */
export function errorTypeFromHttpStatus(status: number): ErrorType | null {
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 401 || status === 403) return 'authentication';
  if (status >= 500 && status <= 599) return 'server_error';
  if (status >= 400 && status <= 499) return 'client_error';
  return null;
}

/**
 * Classifies a failed call. Evidence is tried from the most to the least specific:
 * `error.type`, the exception type of an exception event, HTTP status attributes,
 * then the exception and status messages. Returns null for a call that did not
 * fail and `other` for a failure that none of them explains.
 */
export function classifyError(evidence: ErrorEvidence): ErrorType | null {
  if (!evidence.failed && evidence.errorType === null) return null;
  const exception = findException(evidence.events);

  return (
    fromName(evidence.errorType) ??
    fromName(exception === null ? null : readString(exception, ['exception.type'])) ??
    fromHttpStatus(evidence.attributes) ??
    fromMessage(exception === null ? null : readString(exception, ['exception.message'])) ??
    fromMessage(evidence.message) ??
    'other'
  );
}

function findException(events: readonly OtlpSpanEvent[]): Attributes | null {
  for (const event of events) {
    if (EXCEPTION_EVENTS.has(event.name)) return event.attributes;
  }
  return null;
}

function fromHttpStatus(attributes: Attributes): ErrorType | null {
  const status = readNumber(attributes, ['http.response.status_code', 'http.status_code']);
  return status === null ? null : errorTypeFromHttpStatus(status);
}

function fromMessage(message: string | null): ErrorType | null {
  if (message === null) return null;
  const match = STATUS_IN_MESSAGE.exec(message);
  const status = match === null ? null : Number(match[1] ?? match[2]);
  return (status === null ? null : errorTypeFromHttpStatus(status)) ?? fromName(message);
}

/** Classifies an error name such as `RateLimitError`, `429` or `timeout`; unknown names are `other`. */
export function errorTypeFromName(name: string): ErrorType {
  return fromName(name) ?? 'other';
}

function fromName(name: string | null): ErrorType | null {
  if (name === null) return null;
  const normalized = name.trim();
  if (/^\d{3}$/.test(normalized)) return errorTypeFromHttpStatus(Number(normalized));
  for (const [pattern, errorType] of NAME_PATTERNS) {
    if (pattern.test(normalized)) return errorType;
  }
  return null;
}
