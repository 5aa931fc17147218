import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeRpcStatus } from '../ingest/otlp-response.ts';
import type { AuthFailure } from './auth-failure.ts';
import { FAILURE_HTTP_STATUS, type AuthFailureKind } from './auth-failure.ts';

/** google.rpc.Code values per failure, for OTLP bodies and gRPC status. */
export const FAILURE_RPC_CODE: Readonly<Record<AuthFailureKind, number>> = Object.freeze({
  unauthenticated: 16,
  forbidden: 7,
  rate_limited: 8,
  too_large: 8,
});

const API_CODE: Readonly<Record<AuthFailureKind, string>> = Object.freeze({
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  rate_limited: 'RATE_LIMITED',
  too_large: 'PAYLOAD_TOO_LARGE',
});

/** MLflow's error codes; its client maps them back to HTTP statuses. */
const MLFLOW_CODE: Readonly<Record<AuthFailureKind, string>> = Object.freeze({
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  rate_limited: 'REQUEST_LIMIT_EXCEEDED',
  too_large: 'INVALID_PARAMETER_VALUE',
});

export type ReplyDialect = 'otlp' | 'mlflow' | 'api';

function prepare(failure: AuthFailure, request: FastifyRequest, reply: FastifyReply): number {
  const status = FAILURE_HTTP_STATUS[failure.kind];
  if (failure.retryAfterSeconds !== null)
    reply.header('retry-after', String(failure.retryAfterSeconds));
  request.log.warn({ url: request.url, kind: failure.kind }, failure.message);
  return status;
}

/** Sends an auth failure in the error shape the caller's protocol expects. */
export function sendAuthFailure(
  failure: AuthFailure,
  dialect: ReplyDialect,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const status = prepare(failure, request, reply);
  if (dialect === 'otlp') {
    const rpcCode = FAILURE_RPC_CODE[failure.kind];
    const json = (request.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/json');
    if (json)
      return reply
        .code(status)
        .type('application/json')
        .send({ code: rpcCode, message: failure.message });
    return reply
      .code(status)
      .type('application/x-protobuf')
      .send(encodeRpcStatus(rpcCode, failure.message));
  }
  if (dialect === 'mlflow')
    return reply
      .code(status)
      .send({ error_code: MLFLOW_CODE[failure.kind], message: failure.message });
  return reply
    .code(status)
    .send({ error: { code: API_CODE[failure.kind], message: failure.message } });
}
