import type { MockOutcome } from './protocol.ts';

/** An error response in the OpenAI wire shape: `{error: {message, type, param, code}}`. */
export interface OpenAiErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

export function openAiError(
  status: number,
  type: string,
  code: string | null,
  message: string,
  param: string | null = null,
): OpenAiErrorResponse {
  return { status, headers: {}, body: { error: { message, type, param, code } } };
}

/** Builds the error response for a failing outcome; `ok` and `timeout` have none. */
export function errorForOutcome(
  outcome: MockOutcome,
  modelName: string,
): OpenAiErrorResponse | null {
  switch (outcome) {
    case 'rate_limit':
      return rateLimitError(modelName);
    case 'server_error':
      return openAiError(
        500,
        'server_error',
        null,
        'The server had an error while processing your request. Retry your request.',
      );
    case 'service_unavailable':
      return openAiError(
        503,
        'server_error',
        null,
        'The engine is currently overloaded. Retry later.',
      );
    case 'content_filter':
      return openAiError(
        400,
        'invalid_request_error',
        'content_filter',
        "The prompt was filtered by the provider's content management policy.",
        'prompt',
      );
    case 'authentication':
      return openAiError(
        401,
        'invalid_request_error',
        'invalid_api_key',
        'Invalid API key. Check the key the client sends in the Authorization header.',
      );
    case 'ok':
    case 'timeout':
      return null;
  }
}

function rateLimitError(modelName: string): OpenAiErrorResponse {
  const error = openAiError(
    429,
    'requests',
    'rate_limit_exceeded',
    `Rate limit reached for ${modelName} on requests per minute (RPM): limit 500. Retry in 1s.`,
  );
  error.headers = {
    'retry-after': '1',
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': '1s',
  };
  return error;
}
