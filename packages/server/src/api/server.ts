import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import type { Logger } from 'pino';
import { registerAlarmRoutes, type AlarmRouteOptions } from '../alerts/alarm-routes.ts';
import { FoghornError } from '../errors.ts';
import type { LlmMetrics } from '../exports/llm-metrics.ts';
import { registerMetricsRoute } from '../exports/metrics-route.ts';
import { registerOtlpRoutes } from '../ingest/otlp-http.ts';
import type { Ingestor } from '../ingest/ingestor.ts';
import { registerPrivacyRoutes } from '../privacy/privacy-routes.ts';
import { registerIngestLogRoutes } from '../ingest/ingest-log-routes.ts';
import { registerCostProjectionRoutes } from '../pricing/cost-projection-routes.ts';
import { registerPriceRoutes, type PriceRouteOptions } from '../pricing/price-routes.ts';
import type { SpanPrivacy } from '../privacy/span-privacy.ts';
import type { Store } from '../store/store.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { registerStaticFiles } from './static-files.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerTrackingRoutes, type TrackingRoutesOptions } from '../tracking/routes.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import type { RouteEntry } from '../auth/http-auth-hooks.ts';
import { registerMainAuth, registerOtlpAuth } from '../auth/register-auth.ts';
import { firstLine, isOutOfMemoryError } from '../store/duckdb/invalidation.ts';

/** Rendered content is untrusted, so the dashboard runs under a strict policy. */
export interface AppOptions {
  store: Store;
  ingestor: Ingestor;
  logger: Logger;
  maxBodyBytes: number;
  webRoot: string;
  otlpHttpEndpoint: string;
  now: () => number;
  /** Panels, alerts, budgets and scores; left out by callers that serve no alarms. */
  alarms?: AlarmRouteOptions;
  privacy: SpanPrivacy;
  /** Price overrides, Azure deployments and re-pricing; left out by callers that serve no price API. */
  pricing?: PriceRouteOptions;
  /** MLflow tracking and model registry; absent when the store has no tracking backend. */
  tracking?: TrackingRoutesOptions;
  /** Span-derived metrics served at `/metrics`; absent when not exported. */
  metrics?: LlmMetrics;
  /** Authentication, roles and the audit log; absent in tests that build a bare app. */
  auth?: AuthContext;
  /** Receives every route of the main app, as registered. */
  mainRoutes?: RouteEntry[];
  /** Receives every route of the OTLP app, as registered. */
  otlpRoutes?: RouteEntry[];
}

function createFastify(logger: Logger, maxBodyBytes: number): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: maxBodyBytes,
  }) as unknown as FastifyInstance;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof FoghornError) {
      let level: 'error' | 'info' | 'warn' = 'warn';
      if (error.httpStatus >= 500) level = 'error';
      else if (error.httpStatus === 404) level = 'info';
      request.log[level]({ code: error.code, url: request.url }, error.message);
      if (error.retryAfterSeconds !== undefined) {
        reply.header('retry-after', String(error.retryAfterSeconds));
      }
      return reply
        .code(error.httpStatus)
        .send({ error: { code: error.code, message: error.message } });
    }
    if (isOutOfMemoryError(error)) {
      request.log.warn({ err: error, url: request.url }, 'DuckDB reached its memory limit');
      const cause = firstLine(error);
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({
          error: {
            code: 'OUT_OF_MEMORY',
            message: `the store reached its memory limit while answering (${cause}); retry in a few seconds, narrow the time range, or start Foghorn with a larger --memory-limit`,
          },
        });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    const message = status >= 500 ? 'internal error; see the server log' : error.message;
    return reply.code(status).send({ error: { code: error.code ?? 'INTERNAL', message } });
  });
  return app;
}

/** Builds the main application: OTLP, query API, health and the dashboard. */
export async function createMainApp(options: AppOptions): Promise<FastifyInstance> {
  const app = createFastify(options.logger, options.maxBodyBytes);
  if (options.auth) registerMainAuth(app, options.auth, options.mainRoutes ?? []);
  registerSecurityHeaders(app);
  app.get('/healthz', async (_request, reply) => {
    const blocker = options.store.writeBlocker?.() ?? null;
    if (blocker !== null) return reply.code(503).send({ status: 'unavailable', reason: blocker });
    // Writes still succeed and are kept, so the server is not reported down.
    const stall = options.store.loadStall?.() ?? null;
    if (stall !== null) return { status: 'degraded', reason: stall };
    return { status: 'ok' };
  });
  app.get('/api/v1/info', async () => ({
    name: 'foghorn',
    otlpHttpEndpoint: options.otlpHttpEndpoint,
  }));
  await registerOtlpRoutes(app, options);
  registerQueryRoutes(app, options.store, options.now, options.tracking?.store ?? null);
  registerPrivacyRoutes(app, {
    privacy: options.privacy,
    store: options.store,
    logger: options.logger,
    now: options.now,
  });
  registerIngestLogRoutes(app, { store: options.store, logger: options.logger });
  if (options.alarms) registerAlarmRoutes(app, options.alarms);
  if (options.pricing) registerPriceRoutes(app, options.pricing);
  registerCostProjectionRoutes(app, {
    store: options.store,
    now: options.now,
    budgetOf: (projectId, tenant) =>
      options.alarms?.alerting.budgets.get(projectId, tenant) ?? null,
  });
  if (options.tracking) await registerTrackingRoutes(app, options.tracking);
  if (options.metrics) registerMetricsRoute(app, options.metrics);
  registerStaticFiles(app, options.webRoot);
  return app;
}

/** Builds the OTLP/HTTP-only application for the dedicated OTLP port. */
export async function createOtlpApp(options: AppOptions): Promise<FastifyInstance> {
  const app = createFastify(options.logger, options.maxBodyBytes);
  if (options.auth) registerOtlpAuth(app, options.auth, options.otlpRoutes ?? []);
  await registerOtlpRoutes(app, options);
  return app;
}
