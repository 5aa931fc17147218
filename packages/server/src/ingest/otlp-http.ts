import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { requestScope } from '../auth/request-scope.ts';
import { WriteQueueFullError } from '../store/write-queue-full.ts';
import {
  logPartialSuccess,
  type BodyEncoding,
  type IngestResult,
  type Ingestor,
  type Signal,
} from './ingestor.ts';
import { OtlpDecodeError } from './otlp/index.ts';
import { REJECTED_FIELD, encodeExportResponse, encodeRpcStatus } from './otlp-response.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** gRPC status codes used in OTLP error bodies. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_UNAVAILABLE = 14;

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export interface OtlpHttpOptions {
  ingestor: Ingestor;
  logger: Logger;
  /** Largest accepted body, compressed or decompressed, in bytes. */
  maxBodyBytes: number;
}

class HttpFailure extends Error {
  constructor(
    readonly httpStatus: number,
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

function encodingOf(contentType: string | undefined): BodyEncoding | null {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf')
    return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return null;
}

async function decompress(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBodyBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    throw new HttpFailure(
      415,
      RPC_INVALID_ARGUMENT,
      `unsupported Content-Encoding "${encoding}"; use gzip, deflate or none`,
    );
  }
  try {
    const options = { maxOutputLength: maxBodyBytes };
    return encoding === 'deflate'
      ? await inflateAsync(body, options)
      : await gunzipAsync(body, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpFailure(
        413,
        RPC_RESOURCE_EXHAUSTED,
        bodyLimitMessage('decompressed request body', maxBodyBytes),
      );
    }
    throw new HttpFailure(
      400,
      RPC_INVALID_ARGUMENT,
      `the ${encoding} request body is corrupt: ${(error as Error).message}`,
    );
  }
}

/** Returns the 413 message for a `what` over the body limit, with the way to raise it. */
function bodyLimitMessage(what: string, maxBodyBytes: number): string {
  return `the ${what} exceeds the limit of ${maxBodyBytes} bytes; send smaller batches or raise --max-body-bytes`;
}

function sendStatus(
  reply: FastifyReply,
  encoding: BodyEncoding,
  httpStatus: number,
  rpcCode: number,
  message: string,
): FastifyReply {
  if (encoding === 'json')
    return reply.code(httpStatus).type('application/json').send({ code: rpcCode, message });
  return reply
    .code(httpStatus)
    .type('application/x-protobuf')
    .send(encodeRpcStatus(rpcCode, message));
}

/**
 * Registers `POST /v1/traces`, `/v1/metrics` and `/v1/logs` for OTLP/HTTP in
 * protobuf or JSON, plain or gzip. Answers follow the OTLP specification: 200
 * with an export response (with `partial_success` when items were rejected),
 * 400 for malformed data, 413 above the body limit, 415 for other content
 * types, 503 with Retry-After when the write queue is full, each error with a
 * google.rpc.Status body in the request's encoding.
 */
export async function registerOtlpRoutes(
  app: FastifyInstance,
  options: OtlpHttpOptions,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );
    // Fastify rejects a body over the limit before the handler runs, with its own error body.
    // OTLP clients expect a google.rpc.Status in the request's encoding, with the limit and the fix.
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      // Fastify hands an error thrown here to the application's error handler.
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      return sendStatus(
        reply,
        encodingOf(request.headers['content-type']) ?? 'json',
        413,
        RPC_RESOURCE_EXHAUSTED,
        bodyLimitMessage('request body', options.maxBodyBytes),
      );
    });
    for (const signal of SIGNALS) {
      scope.post(`/v1/${signal}`, (request, reply) =>
        handleExport(signal, request, reply, options),
      );
    }
  });
}

async function handleExport(
  signal: Signal,
  request: FastifyRequest,
  reply: FastifyReply,
  options: OtlpHttpOptions,
): Promise<FastifyReply> {
  const contentType = request.headers['content-type'];
  const encoding = encodingOf(contentType);
  if (encoding === null) {
    return sendStatus(
      reply,
      'json',
      415,
      RPC_INVALID_ARGUMENT,
      `unsupported Content-Type "${contentType ?? ''}"; send application/x-protobuf or application/json`,
    );
  }
  try {
    const result = await ingestBody(signal, request, encoding, options);
    logPartialSuccess(options.logger, signal, result);
    if (encoding === 'json') {
      const body =
        result.rejected > 0 || result.rejectionMessage !== ''
          ? {
              partialSuccess: {
                [REJECTED_FIELD[signal]]: result.rejected,
                errorMessage: result.rejectionMessage,
              },
            }
          : {};
      return reply.code(200).type('application/json').send(body);
    }
    return reply
      .code(200)
      .type('application/x-protobuf')
      .send(encodeExportResponse(result.rejected, result.rejectionMessage));
  } catch (error) {
    if (error instanceof HttpFailure)
      return sendStatus(reply, encoding, error.httpStatus, error.rpcCode, error.message);
    if (error instanceof OtlpDecodeError)
      return sendStatus(reply, encoding, 400, RPC_INVALID_ARGUMENT, error.message);
    if (error instanceof WriteQueueFullError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return sendStatus(reply, encoding, 503, RPC_UNAVAILABLE, error.message);
    }
    options.logger.error({ err: error, signal }, `storing an OTLP ${signal} request failed`);
    reply.header('retry-after', '5');
    return sendStatus(
      reply,
      encoding,
      503,
      RPC_UNAVAILABLE,
      `storing the ${signal} failed; retry later`,
    );
  }
}

/**
 * Decompresses and ingests the request's body. The request object lives until the reply,
 * so its body is detached here and no async frame keeps it across the commit: the buffer
 * can then be freed by a young-generation collection instead of waiting for a full one.
 */
function ingestBody(
  signal: Signal,
  request: FastifyRequest,
  encoding: BodyEncoding,
  options: OtlpHttpOptions,
): Promise<IngestResult> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  request.body = undefined;
  const scope = requestScope(request);
  return decompress(raw, request.headers['content-encoding'], options.maxBodyBytes).then((body) =>
    options.ingestor.ingest(signal, body, encoding, scope.projectId, scope.keyAttribution),
  );
}
