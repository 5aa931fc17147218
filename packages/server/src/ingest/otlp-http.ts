import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import {
  decodeTraceRequestJson,
  decodeTraceRequestProtobuf,
  OtlpDecodeError,
} from './otlp/index.ts';
import { encodeRpcStatus, encodeTracePartialSuccess } from './otlp-response.ts';
import { ingestTraceRequest } from './trace-pipeline.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** gRPC status codes used in OTLP error bodies. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_INTERNAL = 13;

type Encoding = 'protobuf' | 'json';

export interface OtlpHttpOptions {
  store: Store;
  logger: Logger;
  /** Largest accepted body, compressed or decompressed, in bytes. */
  maxBodyBytes: number;
}

function encodingOf(contentType: string | undefined): Encoding | null {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf')
    return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return null;
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

async function decompress(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBodyBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  const options = { maxOutputLength: maxBodyBytes };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzipAsync(body, options);
    if (encoding === 'deflate') return await inflateAsync(body, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpFailure(
        413,
        RPC_RESOURCE_EXHAUSTED,
        `the decompressed request body exceeds the limit of ${maxBodyBytes} bytes; send smaller batches or raise --max-body-bytes`,
      );
    }
    throw new HttpFailure(
      400,
      RPC_INVALID_ARGUMENT,
      `the ${encoding} request body is corrupt: ${(error as Error).message}`,
    );
  }
  throw new HttpFailure(
    415,
    RPC_INVALID_ARGUMENT,
    `unsupported Content-Encoding "${encoding}"; use gzip, deflate or none`,
  );
}

function sendStatus(
  reply: FastifyReply,
  encoding: Encoding,
  httpStatus: number,
  rpcCode: number,
  message: string,
): FastifyReply {
  if (encoding === 'json') {
    return reply.code(httpStatus).type('application/json').send({ code: rpcCode, message });
  }
  return reply
    .code(httpStatus)
    .type('application/x-protobuf')
    .send(encodeRpcStatus(rpcCode, message));
}

/**
 * Registers `POST /v1/traces` for OTLP/HTTP in protobuf or JSON, plain or gzip.
 * The answer follows the OTLP specification: 200 with an export response (with
 * `partial_success` when spans were rejected), 400 for malformed data, 413 above
 * the body limit, 415 for other content types, each with a google.rpc.Status body.
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
      (_req, body, done) => {
        done(null, body);
      },
    );
    scope.post('/v1/traces', (request, reply) => handleTraces(request, reply, options));
  });
}

async function handleTraces(
  request: FastifyRequest,
  reply: FastifyReply,
  options: OtlpHttpOptions,
): Promise<FastifyReply> {
  const encoding = encodingOf(request.headers['content-type']);
  if (encoding === null) {
    return sendStatus(
      reply,
      'json',
      415,
      RPC_INVALID_ARGUMENT,
      `unsupported Content-Type "${request.headers['content-type'] ?? ''}"; send application/x-protobuf or application/json`,
    );
  }
  try {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const body = await decompress(
      raw,
      request.headers['content-encoding'] as string | undefined,
      options.maxBodyBytes,
    );
    const decoded =
      encoding === 'protobuf'
        ? decodeTraceRequestProtobuf(body)
        : decodeTraceRequestJson(body.toString('utf8'));
    await ingestTraceRequest(options.store, decoded.request);
    if (decoded.rejectedSpans > 0) {
      options.logger.warn(
        { rejectedSpans: decoded.rejectedSpans },
        `rejected spans: ${decoded.rejectionMessage}`,
      );
    }
    if (encoding === 'json') {
      const partialSuccess =
        decoded.rejectedSpans > 0
          ? {
              partialSuccess: {
                rejectedSpans: decoded.rejectedSpans,
                errorMessage: decoded.rejectionMessage,
              },
            }
          : {};
      return reply.code(200).type('application/json').send(partialSuccess);
    }
    return reply
      .code(200)
      .type('application/x-protobuf')
      .send(encodeTracePartialSuccess(decoded.rejectedSpans, decoded.rejectionMessage));
  } catch (error) {
    if (error instanceof HttpFailure)
      return sendStatus(reply, encoding, error.httpStatus, error.rpcCode, error.message);
    if (error instanceof OtlpDecodeError)
      return sendStatus(reply, encoding, 400, RPC_INVALID_ARGUMENT, error.message);
    options.logger.error({ err: error }, 'storing an OTLP trace request failed');
    return sendStatus(reply, encoding, 503, RPC_INTERNAL, 'storing the spans failed; retry later');
  }
}
