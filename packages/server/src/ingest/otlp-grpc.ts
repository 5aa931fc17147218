import {
  Metadata,
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type ServiceDefinition,
  type handleUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { GrpcCallAuthenticator } from '../auth/grpc-auth.ts';
import { requestScope } from '../auth/request-scope.ts';
import { WriteQueueFullError } from '../store/write-queue-full.ts';
import { logPartialSuccess, type Ingestor, type Signal } from './ingestor.ts';
import { OtlpDecodeError } from './otlp/index.ts';
import {
  RETRY_INFO_TYPE_URL,
  encodeExportResponse,
  encodeRetryInfo,
  encodeRpcStatus,
} from './otlp-response.ts';

export interface OtlpGrpcOptions {
  host: string;
  port: number;
  ingestor: Ingestor;
  logger: Logger;
  /** Largest accepted message, in bytes. */
  maxBodyBytes: number;
  /** Checks each call's ingest key; absent when auth is not set up. */
  authenticate?: GrpcCallAuthenticator;
}

export interface OtlpGrpcServer {
  /** `host:port` the server listens on. */
  address: string;
  close(): Promise<void>;
}

const SERVICES: ReadonlyArray<[Signal, string]> = [
  ['traces', '/opentelemetry.proto.collector.trace.v1.TraceService/Export'],
  ['metrics', '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'],
  ['logs', '/opentelemetry.proto.collector.logs.v1.LogsService/Export'],
];

const identity = (value: Buffer): Buffer => value;

/** A unary OTLP export method that hands raw bytes to Foghorn's own decoder. */
function exportService(path: string): ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/**
 * Ends a call with `code`. With `retryAfterSeconds`, the trailers carry the delay as a
 * `google.rpc.RetryInfo` twice: under `google.rpc.retryinfo-bin`, which the OTel Python
 * exporter reads, and in the status details (`grpc-status-details-bin`), which the OTel Go
 * exporter reads. The Go exporter retries RESOURCE_EXHAUSTED only when RetryInfo is present.
 */
function fail(
  callback: sendUnaryData<Buffer>,
  code: GrpcStatus,
  details: string,
  retryAfterSeconds: number | null = null,
): void {
  const metadata = new Metadata();
  if (retryAfterSeconds !== null) {
    const retryInfo = encodeRetryInfo(retryAfterSeconds);
    metadata.set('google.rpc.retryinfo-bin', retryInfo);
    metadata.set(
      'grpc-status-details-bin',
      encodeRpcStatus(code, details, [{ typeUrl: RETRY_INFO_TYPE_URL, value: retryInfo }]),
    );
  }
  callback({ code, details, metadata, name: 'OtlpError', message: details });
}

function exportHandler(signal: Signal, options: OtlpGrpcOptions): handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const authenticated =
      options.authenticate?.(call, call.metadata, call.request.length) ?? Promise.resolve(null);
    authenticated
      .then((rejection) => {
        if (rejection === null) return ingestCall(signal, options, call.request, call, callback);
        fail(callback, rejection.code, rejection.details, rejection.retryAfterSeconds);
      })
      .catch((error: unknown) => {
        options.logger.error(
          { err: error, signal },
          'checking the ingest key of an OTLP/gRPC call failed',
        );
        fail(callback, GrpcStatus.UNAVAILABLE, 'checking the ingest key failed; retry later');
      });
  };
}

function ingestCall(
  signal: Signal,
  options: OtlpGrpcOptions,
  request: Buffer,
  call: object,
  callback: sendUnaryData<Buffer>,
): void {
  const scope = requestScope(call);
  const ingested = options.ingestor.ingest(
    signal,
    request,
    'protobuf',
    scope.projectId,
    scope.keyAttribution,
  );
  // The call object lives until the callback, so it lets go of the request here: the buffer
  // can then be freed by a young-generation collection before the commit.
  (call as { request?: Buffer }).request = undefined;
  ingested.then(
    (result) => {
      logPartialSuccess(options.logger, signal, result);
      callback(null, encodeExportResponse(result.rejected, result.rejectionMessage));
    },
    (error: unknown) => {
      if (error instanceof OtlpDecodeError)
        return fail(callback, GrpcStatus.INVALID_ARGUMENT, error.message);
      if (error instanceof WriteQueueFullError)
        return fail(callback, GrpcStatus.UNAVAILABLE, error.message, error.retryAfterSeconds);
      options.logger.error({ err: error, signal }, `storing an OTLP/gRPC ${signal} request failed`);
      fail(callback, GrpcStatus.UNAVAILABLE, `storing the ${signal} failed; retry later`);
    },
  );
}

/**
 * Starts the OTLP/gRPC receiver for traces, metrics and logs. Status codes follow
 * the OTLP specification: INVALID_ARGUMENT for malformed data (not retried by
 * exporters), UNAVAILABLE when the write queue is full or storing failed (retried).
 */
export async function startOtlpGrpcServer(options: OtlpGrpcOptions): Promise<OtlpGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': options.maxBodyBytes });
  for (const [signal, path] of SERVICES) {
    server.addService(exportService(path), { Export: exportHandler(signal, options) });
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
    );
  });
  let closing: Promise<void> | null = null;
  return {
    address: `${options.host}:${port}`,
    close: () => {
      closing ??= new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      return closing;
    },
  };
}
