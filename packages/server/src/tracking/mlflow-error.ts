/** Error codes of MLflow's REST API (`databricks.proto` ErrorCode) that Foghorn returns. */
export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'BAD_REQUEST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'ENDPOINT_NOT_FOUND'
  | 'INVALID_STATE'
  | 'INTERNAL_ERROR'
  | 'NOT_IMPLEMENTED';

/** HTTP status per code, as the MLflow server maps them (`mlflow/exceptions.py`, 3.x). */
const HTTP_STATUS: Readonly<Record<MlflowErrorCode, number>> = Object.freeze({
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  INVALID_STATE: 500,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
});

/** An error answered as MLflow's `{error_code, message}` body. */
export class MlflowError extends Error {
  readonly errorCode: MlflowErrorCode;
  readonly httpStatus: number;

  constructor(errorCode: MlflowErrorCode, message: string) {
    super(message);
    this.name = 'MlflowError';
    this.errorCode = errorCode;
    this.httpStatus = HTTP_STATUS[errorCode];
  }
}

export function invalidParameter(message: string): MlflowError {
  return new MlflowError('INVALID_PARAMETER_VALUE', message);
}

export function notFound(message: string): MlflowError {
  return new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
}

export function alreadyExists(message: string): MlflowError {
  return new MlflowError('RESOURCE_ALREADY_EXISTS', message);
}
