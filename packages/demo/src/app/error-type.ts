import {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';

/** The `error.type` values the demo records; `cancelled` calls are never exported. */
export type CallErrorType =
  | 'rate_limit'
  | 'timeout'
  | 'server_error'
  | 'client_error'
  | 'content_filter'
  | 'authentication'
  | 'other'
  | 'cancelled';

/** Classifies an error raised by the `openai` client by its error class. */
export function classifyError(error: unknown): CallErrorType {
  if (error instanceof APIUserAbortError) return 'cancelled';
  if (error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof RateLimitError) return 'rate_limit';
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return 'authentication';
  }
  if (error instanceof BadRequestError && error.code === 'content_filter') return 'content_filter';
  if (error instanceof InternalServerError) return 'server_error';
  if (
    error instanceof APIError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500
  ) {
    return 'client_error';
  }
  return 'other';
}
