import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DuckDBInstance } from '@duckdb/node-api';
import { openAlerting } from './alerts/open-alerting.ts';
import type { AlertingService } from './alerts/alerting-service.ts';
import { createMainApp, createOtlpApp, type AppOptions } from './api/server.ts';
import { openExports, type ExportsConfig } from './exports/open-exports.ts';
import { collectRedactionFamilies } from './exports/redaction-metrics.ts';
import { Ingestor } from './ingest/ingestor.ts';
import { startOtlpGrpcServer } from './ingest/otlp-grpc.ts';
import { loadPrivacy } from './privacy/load-privacy.ts';
import { compactAtStartup } from './retention/compact-command.ts';
import { loadRetentionSettings, type RetentionOverrides } from './retention/retention-config.ts';
import { RetentionJob } from './retention/retention-job.ts';
import { openPricing } from './pricing/open-pricing.ts';
import { openStorage } from './store/clickhouse/open-storage.ts';
import { createLeaseElector } from './leader/lease-elector.ts';
import { alwaysLeader } from './leader/leader.ts';
import { startLeaderTimer, type LeaderTimer } from './leader/leader-timer.ts';
import { hasRetention } from './retention/retention-config.ts';
import { ALERTING_DEFAULTS } from './alerts/open-alerting.ts';
import { openDuckDbTrackingStore } from './store/duckdb/tracking/duckdb-tracking-store.ts';
import { artifactDirOf } from './tracking/routes.ts';
import type { Store } from './store/store.ts';
import type { DuckDbEncryption } from './crypto/duckdb-encryption.ts';
import type { AuthContext } from './auth/auth-context.ts';
import { assertSafeBinding, authModeMessage } from './auth/bind-guard.ts';
import { grpcCallAuthenticator } from './auth/grpc-auth.ts';
import type { RouteEntry } from './auth/http-auth-hooks.ts';
import { openAuth, type AuthOptions } from './auth/open-auth.ts';

export interface FoghornConfig {
  host: string;
  port: number;
  otlpPort: number;
  grpcPort: number;
  dataDir: string;
  maxQueuedSpans?: number;
  /** DuckDB's `memory_limit` in bytes; null or absent keeps DuckDB's default, 80 % of the machine's memory. */
  memoryLimitBytes?: number | null;
  maxBodyBytes: number;
  logger: Logger;
  /** Folder of the built dashboard; defaults to packages/web/dist. */
  webRoot?: string;
  now?: () => number;
  /** Alert evaluation interval in milliseconds; 0 evaluates only on `alerting.tick()`. Default 15000. */
  alertIntervalMs?: number;
  /** Outbox delivery interval in milliseconds; 0 delivers only on `alerting.tick()`. Default 2000. */
  alertOutboxIntervalMs?: number;
  /** Dashboard base URL in notification links; defaults to the main URL. */
  publicUrl?: string;
  /** Tenants and features with their own label value on `/metrics`; the rest are `other`. Default 20. */
  metricsMaxLabelValues?: number;
  /** Time to live per signal and job interval; wins over `<dataDir>/retention.yaml`. */
  retention?: RetentionOverrides;
  /** Copies the live data of the DuckDB file into a new file before opening it, so the file shrinks. */
  compactOnStart?: boolean;
  /** `--store`: null or `duckdb` for the DuckDB file, or a clickhouse:// or chdb:// URL for the span store. */
  store?: string | null;
  /** OTLP/HTTP endpoints that receive the redacted telemetry, with extra headers. */
  forwardOtlp?: ExportsConfig['forwardOtlp'];
  /** Prometheus remote-write URLs and interval for the `/metrics` series. */
  remoteWrite?: ExportsConfig['remoteWrite'];
  /** Encrypts the DuckDB file; null or absent keeps it plain. */
  encryption?: DuckDbEncryption | null;
  /** Credentials, roles and the audit log; auth is off when absent. */
  auth?: AuthOptions;
}

export interface FoghornHandle {
  /** Base URL of the UI and API, such as http://127.0.0.1:4000. */
  url: string;
  /** Base URL of the dedicated OTLP/HTTP receiver. */
  otlpUrl: string;
  /** `host:port` of the OTLP/gRPC receiver. */
  grpcAddress: string;
  store: Store;
  /** The retention job; `runOnce()` applies retention now. */
  retention: RetentionJob;
  alerting: AlertingService;
  /** Auth state, kept in the DuckDB file whatever the span store. */
  auth: AuthContext;
  /** Every route of the main and OTLP/HTTP apps, as Fastify registered them. */
  routes: { main: RouteEntry[]; otlp: RouteEntry[] };
  close(): Promise<void>;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

function baseUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the server has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Opens the store and starts the main and OTLP servers. */
export async function startFoghorn(config: FoghornConfig): Promise<FoghornHandle> {
  const authOptions = config.auth ?? {};
  assertSafeBinding(
    config.host,
    authOptions.enabled === true,
    authOptions.allowUnauthenticatedNetwork === true,
  );
  // Every part below keeps files in the data directory; a new one is created here.
  await mkdir(config.dataDir, { recursive: true });
  const privacy = await loadPrivacy(config.dataDir, process.env, config.logger);
  const pricing = openPricing(config.dataDir, config.logger);
  const retentionSettings = await loadRetentionSettings(config.dataDir, config.retention);
  const encryption = config.encryption ?? null;
  if (config.compactOnStart === true)
    await compactAtStartup(config.dataDir, config.logger, encryption);
  const storage = await openStorage(config.store, config.dataDir, {
    maxQueuedSpans: config.maxQueuedSpans,
    memoryLimitBytes: config.memoryLimitBytes ?? null,
    encryption,
    onLoadError: (error, what) => config.logger.warn({ err: error }, what),
    onRejectedRecord: (seq, path, error) =>
      config.logger.error(
        { seq, path, err: error },
        `DuckDB rejected batch ${seq} of the ingest log three times in a row, so it is kept in ${path}. The batches after it load as usual. After fixing the cause, POST /api/v1/ingest-log/set-aside/retry loads it again.`,
      ),
    onSetAsideDeleted: (what) => config.logger.warn(what),
  });
  const store = storage.store;
  const now = config.now ?? Date.now;
  const duckDb = storage.stateDb;
  // With ClickHouse, several nodes may share the span store: the alarm evaluator and the
  // retention job run on the node holding the lease. The DuckDB store has one node.
  const leader =
    storage.leases === null
      ? alwaysLeader()
      : createLeaseElector({ table: storage.leases, name: 'jobs', logger: config.logger });
  await logMemoryLimit(duckDb, config.memoryLimitBytes ?? null, config.logger);
  const trackingStore = await openDuckDbTrackingStore(duckDb, now());
  const auth = await openAuth(duckDb, authOptions, config.publicUrl, config.logger, now);
  const routes = { main: [] as RouteEntry[], otlp: [] as RouteEntry[] };
  const llmExports = openExports({
    logger: config.logger,
    maxLabelValues: config.metricsMaxLabelValues,
    now,
    forwardOtlp: config.forwardOtlp,
    remoteWrite: config.remoteWrite,
  });
  llmExports.metrics.registerProjectSource((projectId) =>
    collectRedactionFamilies(privacy, projectId),
  );
  const ingestor = new Ingestor(store, now, privacy, llmExports.onSpansCommitted, {
    metrics: llmExports.onMetricsCommitted,
    logs: llmExports.onLogsCommitted,
  });
  await ingestor.start();
  const alertIntervalMs = config.alertIntervalMs ?? ALERTING_DEFAULTS.intervalMs;
  const { alerting, scores } = await openAlerting({
    dataDir: config.dataDir,
    store,
    duckDb,
    encryption,
    logger: config.logger,
    now,
    // Under a lease, the leader timer below drives evaluation and delivery through tick().
    intervalMs: storage.leases === null ? alertIntervalMs : 0,
    outboxIntervalMs: storage.leases === null ? config.alertOutboxIntervalMs : 0,
  });
  ingestor.recordScoresWith((records) => scores.upsert(records));
  let publicUrl = config.publicUrl ?? '';
  const appOptions: AppOptions = {
    store,
    ingestor,
    logger: config.logger,
    maxBodyBytes: config.maxBodyBytes,
    webRoot: config.webRoot ?? DEFAULT_WEB_ROOT,
    otlpHttpEndpoint: '',
    now,
    privacy,
    metrics: llmExports.metrics,
    alarms: { alerting, scores, now, publicUrl: () => publicUrl },
    pricing: { book: pricing.book, dataDir: config.dataDir, store, now },
    auth,
    mainRoutes: routes.main,
    otlpRoutes: routes.otlp,
  };
  appOptions.tracking = {
    store: trackingStore,
    artifactDir: artifactDirOf(config.dataDir),
    artifactKey: encryption?.key.derive('artifacts') ?? null,
    now,
  };
  const otlpApp = await createOtlpApp(appOptions);
  await otlpApp.listen({ host: config.host, port: config.otlpPort });
  const otlpUrl = baseUrl(otlpApp);
  appOptions.otlpHttpEndpoint = `${otlpUrl}/v1/traces`;
  const mainApp = await createMainApp(appOptions);
  await mainApp.listen({ host: config.host, port: config.port });
  const url = baseUrl(mainApp);
  publicUrl = config.publicUrl ?? url;
  await alerting.start(publicUrl);
  llmExports.start();
  const grpc = await startOtlpGrpcServer({
    host: config.host,
    port: config.grpcPort,
    ingestor,
    logger: config.logger,
    maxBodyBytes: config.maxBodyBytes,
    authenticate: grpcCallAuthenticator(auth),
  });
  config.logger.info(
    { host: config.host, auth: auth.settings.enabled === true },
    authModeMessage(config.host, auth.settings.enabled === true),
  );

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const timer of leaderTimers) await timer.stop();
      await leader.stop();
      await retention.stop();
      await alerting.stop();
      await llmExports.stop();
      await grpc.close();
      await mainApp.close();
      await otlpApp.close();
      await trackingStore.close();
      await auth.store.close();
      await storage.close();
      pricing.close();
    })();
    return closing;
  };
  const retention = new RetentionJob(store, retentionSettings, config.logger, now);
  const leaderTimers: LeaderTimer[] = [];
  if (storage.leases === null) {
    retention.start();
  } else {
    await leader.start();
    if (alertIntervalMs > 0) {
      leaderTimers.push(
        startLeaderTimer({
          leader,
          intervalMs: alertIntervalMs,
          name: 'alerts',
          logger: config.logger,
          run: () => alerting.tick(),
        }),
      );
    }
    if (hasRetention(retentionSettings)) {
      leaderTimers.push(
        startLeaderTimer({
          leader,
          intervalMs: retentionSettings.intervalMs,
          name: 'retention',
          logger: config.logger,
          run: () => retention.runOnce(),
        }),
      );
    }
  }
  return {
    url,
    otlpUrl,
    grpcAddress: grpc.address,
    store,
    alerting,
    retention,
    auth,
    routes,
    close,
  };
}

/** Logs the memory DuckDB may use, as DuckDB reports it, and where the value came from. */
async function logMemoryLimit(
  instance: DuckDBInstance,
  configuredBytes: number | null,
  logger: Logger,
): Promise<void> {
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit')");
    const limit = String(reader.getRows()[0]?.[0]);
    const source =
      configuredBytes === null
        ? "DuckDB's default, 80 % of the machine's memory; --memory-limit sets another"
        : '--memory-limit';
    logger.info({ memoryLimit: limit }, `DuckDB may use up to ${limit} of memory (${source})`);
  } finally {
    connection.closeSync();
  }
}
