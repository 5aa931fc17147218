/** A failed API call, carrying the server's error code and message when it sent one. */
export class ApiError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, message: string, httpStatus: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/** Builds an ApiError from a non-2xx response, preferring the `{error: {code, message}}` body. */
export async function apiErrorFromResponse(response: Response, path: string): Promise<ApiError> {
  const fallback = `${path} returned HTTP ${response.status} ${response.statusText}`.trim();
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    return new ApiError(`HTTP_${response.status}`, fallback, response.status);
  }
  const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP_${response.status}`;
  const message = typeof body?.error?.message === 'string' ? body.error.message : fallback;
  return new ApiError(code, message, response.status);
}
