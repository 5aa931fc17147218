import { join } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerArtifactProxy } from './artifact-routes.ts';
import { ArtifactStore } from './artifact-store.ts';
import { EXPERIMENT_ROUTES } from './experiment-handlers.ts';
import { parseMlflowBody } from './json-body.ts';
import { LOGGED_MODEL_ROUTES } from './logged-model-handlers.ts';
import { MlflowError } from './mlflow-error.ts';
import { MODEL_VERSION_ROUTES } from './model-version-handlers.ts';
import { projectContext } from './project-context.ts';
import { REGISTERED_MODEL_ROUTES } from './registered-model-handlers.ts';
import { RUN_LOGGING_ROUTES } from './run-logging-handlers.ts';
import { registerRegistryPolicyRoutes } from './registry-policy-routes.ts';
import { RUN_ROUTES } from './run-handlers.ts';
import type { MlflowRoute, TrackingContext } from './tracking-context.ts';
import type { TrackingStore } from './tracking-store.ts';

export interface TrackingRoutesOptions {
  store: TrackingStore;
  /** Folder containing the files behind `mlflow-artifacts:` URIs. */
  artifactDir: string;
  /** Encrypts artifact files with this 32-byte key; null keeps them plain. */
  artifactKey?: Buffer | null;
  now: () => number;
}

const TRACKING_ROUTES: readonly MlflowRoute[] = [
  ...EXPERIMENT_ROUTES,
  ...RUN_ROUTES,
  ...RUN_LOGGING_ROUTES,
  ...LOGGED_MODEL_ROUTES,
  ...REGISTERED_MODEL_ROUTES,
  ...MODEL_VERSION_ROUTES,
];

/** Every path prefix MLflow serves: the REST API and the UI's `ajax-api` copy. */
const API_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'];
const V3_PREFIXES = ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow'];
const ARTIFACT_PREFIXES = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'];

/** Not-found is routine for clients probing names, so it logs at info; other client errors at warn. */
function logLevelFor(httpStatus: number): 'error' | 'warn' | 'info' {
  if (httpStatus >= 500) return 'error';
  if (httpStatus === 404) return 'info';
  return 'warn';
}

function sendMlflowError(
  error: FastifyError | MlflowError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof MlflowError) {
    request.log[logLevelFor(error.httpStatus)](
      { errorCode: error.errorCode, url: request.url },
      error.message,
    );
    return reply
      .code(error.httpStatus)
      .send({ error_code: error.errorCode, message: error.message });
  }
  const status = error.statusCode ?? 500;
  if (status < 500) {
    request.log.warn({ code: error.code, url: request.url }, error.message);
    return reply
      .code(status)
      .send({ error_code: 'INVALID_PARAMETER_VALUE', message: error.message });
  }
  request.log.error({ err: error, url: request.url }, 'MLflow request failed');
  return reply
    .code(500)
    .send({ error_code: 'INTERNAL_ERROR', message: 'Internal error; see the Foghorn server log.' });
}

/** Returns 404 ENDPOINT_NOT_FOUND for unknown MLflow paths; clients choose fallbacks by that code. */
function registerNotFound(scope: FastifyInstance): void {
  scope.setErrorHandler(sendMlflowError);
  scope.all('/*', async (request, reply) =>
    reply.code(404).send({
      error_code: 'ENDPOINT_NOT_FOUND',
      message: `No MLflow endpoint ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

/** Returns the user name of a `Basic` authorization header, or null. */
function basicAuthUserName(header: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = colon < 0 ? decoded : decoded.slice(0, colon);
  return name === '' ? null : name.slice(0, 100);
}

function registerApi(scope: FastifyInstance, context: TrackingContext): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseMlflowBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  for (const route of TRACKING_ROUTES) {
    scope.route({
      method: route.method,
      url: route.path,
      handler: async (request) => {
        const query = (request.query ?? {}) as Record<string, unknown>;
        const body = (request.body ?? {}) as Record<string, unknown>;
        const fields = route.method === 'GET' ? query : { ...query, ...body };
        return route.handler(projectContext(context, request), {
          fields,
          pathParams: request.params as Record<string, string>,
          userName: basicAuthUserName(request.headers.authorization),
        });
      },
    });
  }
}

/** Serves `/api/3.0/mlflow/server-info`, which newer clients probe: no multipart uploads, no workspaces. */
function registerV3(scope: FastifyInstance): void {
  scope.get('/server-info', async () => ({
    store_type: 'SqlStore',
    workspaces_enabled: false,
    trace_archival_enabled: false,
    multipart_uploads_enabled: false,
    multipart_downloads_enabled: false,
  }));
}

/**
 * Registers MLflow's tracking, model registry and artifact proxy APIs, each
 * prefix in its own scope with MLflow's error shape `{error_code, message}`.
 */
export async function registerTrackingRoutes(
  app: FastifyInstance,
  options: TrackingRoutesOptions,
): Promise<void> {
  const context: TrackingContext = {
    store: options.store,
    artifacts: new ArtifactStore(options.artifactDir, options.artifactKey ?? null),
    now: options.now,
    logger: app.log,
  };
  registerRegistryPolicyRoutes(app, context);
  const scopes: [string[], (scope: FastifyInstance) => void][] = [
    [API_PREFIXES, (scope) => registerApi(scope, context)],
    [V3_PREFIXES, registerV3],
    [ARTIFACT_PREFIXES, (scope) => registerArtifactProxy(scope, context)],
  ];
  for (const [prefixes, register] of scopes) {
    for (const prefix of prefixes) {
      await app.register(
        async (scope) => {
          register(scope);
          registerNotFound(scope);
        },
        { prefix },
      );
    }
  }
}

/** Returns the artifact folder inside a data directory. */
export function artifactDirOf(dataDir: string): string {
  return join(dataDir, 'artifacts');
}
