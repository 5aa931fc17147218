/** The `error.type` values the SDK records; Foghorn's panels and alarms group by them. */
export type ErrorType =
  | 'rate_limit'
  | 'timeout'
  | 'server_error'
  | 'client_error'
  | 'content_filter'
  | 'authentication'
  | 'other';

interface ErrorShape {
  status?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  error?: { type?: unknown; code?: unknown; error?: { type?: unknown } } | null;
}

/** Error `type` and `code` strings of the OpenAI and Anthropic APIs, as in their error bodies and SSE error events. */
const PROVIDER_ERROR_TYPES: Readonly<Record<string, ErrorType>> = {
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'rate_limit',
  overloaded_error: 'server_error',
  api_error: 'server_error',
  server_error: 'server_error',
  timeout_error: 'timeout',
  authentication_error: 'authentication',
  permission_error: 'authentication',
  invalid_api_key: 'authentication',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  invalid_request_error: 'client_error',
  not_found_error: 'client_error',
  request_too_large: 'client_error',
};

const CONTENT_FILTER_MESSAGE = /content.?(management.?)?polic|content.?filter/i;

/**
 * Classifies an error thrown by the `openai` or `@anthropic-ai/sdk` client from
 * its class, its HTTP status and the error body. Timeouts come first because
 * the clients raise them without a status; a 400 whose code or message names
 * the content policy is `content_filter`.
 */
export function classifyError(error: unknown): ErrorType {
  if (error === null || typeof error !== 'object') return 'other';
  const shape = error as ErrorShape;
  const className = (error as { constructor?: { name?: string } }).constructor?.name ?? '';
  if (/Timeout/.test(className)) return 'timeout';

  const fromBody = fromProviderCodes(shape);
  if (fromBody === 'content_filter') return fromBody;
  if (typeof shape.status === 'number') return fromStatus(shape.status, shape);
  return fromBody ?? fromClassName(className);
}

function fromStatus(status: number, shape: ErrorShape): ErrorType {
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 401 || status === 403) return 'authentication';
  if (status >= 500) return 'server_error';
  if (
    status === 400 &&
    typeof shape.message === 'string' &&
    CONTENT_FILTER_MESSAGE.test(shape.message)
  ) {
    return 'content_filter';
  }
  if (status >= 400) return 'client_error';
  return 'other';
}

function fromProviderCodes(shape: ErrorShape): ErrorType | undefined {
  const candidates = [
    shape.code,
    shape.type,
    shape.error?.code,
    shape.error?.type,
    shape.error?.error?.type,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && Object.hasOwn(PROVIDER_ERROR_TYPES, candidate)) {
      return PROVIDER_ERROR_TYPES[candidate];
    }
  }
  return undefined;
}

function fromClassName(className: string): ErrorType {
  if (className === 'RateLimitError') return 'rate_limit';
  if (className === 'AuthenticationError' || className === 'PermissionDeniedError')
    return 'authentication';
  if (/InternalServer|Overloaded|ServiceUnavailable/.test(className)) return 'server_error';
  return 'other';
}
