import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readNumber } from '../semconv/attributes.ts';
import type { ErrorType } from '../semconv/canonical-span.ts';

/** Substrings of error names and messages, checked in order; the first match wins. */
const NAME_PATTERNS: ReadonlyArray<[RegExp, ErrorType]> = [
  [/rate.?limit|too.?many.?requests|resource.?exhausted|throttl|quota/i, 'rate_limit'],
  [/time.?out|timed.?out|deadline.?exceeded/i, 'timeout'],
  [/content.?filter|safety|moderation|guardrail|responsible.?ai/i, 'content_filter'],
  [/auth|permission.?denied|forbidden|invalid.?api.?key|unauthorized/i, 'authentication'],
  [/server.?error|internal|unavailable|overloaded|bad.?gateway|service.?error/i, 'server_error'],
  [/bad.?request|invalid|not.?found|unprocessable|conflict|client.?error/i, 'client_error'],
];

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
 * Classifies a failed call from `error.type`, the HTTP status attributes and the
 * status message. Returns null for a call that did not fail.
 */
export function classifyError(
  failed: boolean,
  rawErrorType: string | null,
  statusMessage: string | null,
  attributes: Attributes,
): ErrorType | null {
  if (!failed && rawErrorType === null) return null;

  if (rawErrorType !== null) {
    const direct = fromName(rawErrorType);
    if (direct !== null) return direct;
  }

  const status = readNumber(attributes, ['http.response.status_code', 'http.status_code']);
  const fromStatus = status === null ? null : errorTypeFromHttpStatus(status);
  if (fromStatus !== null) return fromStatus;

  if (statusMessage !== null) {
    const fromMessage = fromName(statusMessage);
    if (fromMessage !== null) return fromMessage;
  }
  return 'other';
}

function fromName(name: string): ErrorType | null {
  const normalized = name.trim();
  if (/^\d{3}$/.test(normalized)) return errorTypeFromHttpStatus(Number(normalized));
  for (const [pattern, errorType] of NAME_PATTERNS) {
    if (pattern.test(normalized)) return errorType;
  }
  return null;
}
