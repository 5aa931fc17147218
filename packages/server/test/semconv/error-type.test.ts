import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorEvidence } from '../../src/enrich/error-type.ts';
import type { ErrorType } from '../../src/semconv/canonical-span.ts';
import { eventAt, normalizeOne } from './normalize-one.ts';

function evidence(overrides: Partial<ErrorEvidence>): ErrorEvidence {
  return { failed: true, errorType: null, message: null, attributes: {}, events: [], ...overrides };
}

describe('error classification', () => {
  it('returns null for a call that did not fail', () => {
    expect(classifyError(evidence({ failed: false }))).toBeNull();
  });

  it.each<[string, ErrorType]>([
    // OTel `error.type`: exception class names and HTTP status codes.
    ['openai.RateLimitError', 'rate_limit'],
    ['429', 'rate_limit'],
    ['anthropic.APITimeoutError', 'timeout'],
    ['google.api_core.exceptions.DeadlineExceeded', 'timeout'],
    ['openai.AuthenticationError', 'authentication'],
    ['permission_error', 'authentication'],
    ['anthropic.InternalServerError', 'server_error'],
    ['overloaded_error', 'server_error'],
    ['503', 'server_error'],
    ['openai.BadRequestError', 'client_error'],
    ['context_length_exceeded', 'client_error'],
    ['content_policy_violation', 'content_filter'],
    ['google.api_core.exceptions.ResourceExhausted', 'rate_limit'],
  ])('classifies error.type %s', (errorType, expected) => {
    expect(classifyError(evidence({ errorType }))).toBe(expected);
  });

  it('falls back to other for _OTHER', () => {
    expect(classifyError(evidence({ errorType: '_OTHER' }))).toBe('other');
  });

  it('reads the exception event type', () => {
    const events = [eventAt('exception', 1, { 'exception.type': 'httpx.ReadTimeout' })];
    expect(classifyError(evidence({ events }))).toBe('timeout');
  });

  it('reads the GenAI exception event', () => {
    // v1.41 gen_ai.client.operation.exception; 0.1.0 gen_ai.client.inference.exception.
    const events = [
      eventAt('gen_ai.client.inference.exception', 1, {
        'exception.type': 'anthropic.APIStatusError',
        'exception.message': 'Error code: 529 - overloaded',
      }),
    ];
    expect(classifyError(evidence({ events }))).toBe('server_error');
  });

  it('reads HTTP status attributes', () => {
    expect(classifyError(evidence({ attributes: { 'http.response.status_code': 401 } }))).toBe(
      'authentication',
    );
    expect(classifyError(evidence({ attributes: { 'http.status_code': '504' } }))).toBe('timeout');
  });

  it('reads a status code inside the message', () => {
    expect(classifyError(evidence({ message: 'status code 400: invalid model' }))).toBe(
      'client_error',
    );
  });

  it('prefers error.type over the message', () => {
    const result = classifyError(
      evidence({ errorType: 'openai.RateLimitError', message: 'internal server error' }),
    );
    expect(result).toBe('rate_limit');
  });

  it('classifies from the span status message', () => {
    const span = normalizeOne(
      { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
      { statusCode: 2, statusMessage: 'Response blocked by the content filter' },
    );
    expect(span.errorType).toBe('content_filter');
  });

  it('marks a failed span without evidence as other', () => {
    const span = normalizeOne({ 'gen_ai.operation.name': 'chat' }, { statusCode: 2 });
    expect(span.errorType).toBe('other');
  });
});
