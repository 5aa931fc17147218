import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { AuthFailure, type AuthFailureKind } from './auth-failure.ts';
import type { AuthContext } from './auth-context.ts';
import { metadataHeaders, readCredentials } from './credentials.ts';
import { setRequestScope } from './request-scope.ts';

const GRPC_STATUS: Readonly<Record<AuthFailureKind, GrpcStatus>> = Object.freeze({
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
  forbidden: GrpcStatus.PERMISSION_DENIED,
  rate_limited: GrpcStatus.RESOURCE_EXHAUSTED,
  too_large: GrpcStatus.RESOURCE_EXHAUSTED,
});

export interface GrpcAuthRejection {
  code: GrpcStatus;
  details: string;
  /** Seconds until a retry can succeed; set when the key's rate limit was reached. */
  retryAfterSeconds: number | null;
}

/** Checks the ingest key in a call's metadata and records its scope on the call. */
export type GrpcCallAuthenticator = (
  call: object,
  metadata: Metadata,
  messageBytes: number,
) => Promise<GrpcAuthRejection | null>;

/** Authenticates OTLP/gRPC calls with the same ingest keys, limits and messages as OTLP/HTTP. */
export function grpcCallAuthenticator(context: AuthContext): GrpcCallAuthenticator {
  return async (call, metadata, messageBytes) => {
    if (!context.settings.enabled) return null;
    try {
      const credentials = readCredentials(
        metadataHeaders(metadata.getMap()),
        context.settings.ingestKeyHeaders,
      );
      const identity = await context.authenticator.ingest(credentials);
      if (identity.maxBodyBytes !== null && messageBytes > identity.maxBodyBytes) {
        throw new AuthFailure(
          'too_large',
          `the message of ${messageBytes} bytes exceeds this ingest key's limit of ${identity.maxBodyBytes} bytes; send smaller batches`,
        );
      }
      setRequestScope(call, identity.scope);
      return null;
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      context.logger.warn({ kind: error.kind }, `OTLP/gRPC call rejected: ${error.message}`);
      return {
        code: GRPC_STATUS[error.kind],
        details: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    }
  };
}
