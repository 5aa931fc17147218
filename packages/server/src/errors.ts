/** Errors with a stable code and the HTTP status the API edge answers with. */
export class FoghornError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Seconds the client should wait before retrying, sent as Retry-After; absent when waiting does not help. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, httpStatus: number, retryAfterSeconds?: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = httpStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A request the client must fix: bad parameters, malformed bodies. */
export class InvalidRequestError extends FoghornError {
  constructor(message: string, code = 'INVALID_REQUEST') {
    super(code, message, 400);
  }
}

export class NotFoundError extends FoghornError {
  constructor(message: string) {
    super('NOT_FOUND', message, 404);
  }
}

/** An invalid setting passed on the command line or in code. */
export class ConfigError extends FoghornError {
  constructor(message: string) {
    super('INVALID_CONFIG', message, 500);
  }
}
