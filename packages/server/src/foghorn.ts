import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { openAlerting } from './alerts/open-alerting.ts';
import type { AlertingService } from './alerts/alerting-service.ts';
import { createMainApp, createOtlpApp, type AppOptions } from './api/server.ts';
import { openExports } from './exports/open-exports.ts';
import { Ingestor } from './ingest/ingestor.ts';
import { startOtlpGrpcServer } from './ingest/otlp-grpc.ts';
import { loadPrivacy } from './privacy/load-privacy.ts';
import { compactAtStartup } from './retention/compact-command.ts';
import { loadRetentionSettings, type RetentionOverrides } from './retention/retention-config.ts';
import { RetentionJob } from './retention/retention-job.ts';
import { openPricing } from './pricing/open-pricing.ts';
import { duckDbInstanceOf, openDuckDbStore } from './store/duckdb/duckdb-store.ts';
import { openDuckDbTrackingStore } from './store/duckdb/tracking/duckdb-tracking-store.ts';
import { artifactDirOf } from './tracking/routes.ts';
import type { Store } from './store/store.ts';

export interface FoghornConfig {
  host: string;
  port: number;
  otlpPort: number;
  grpcPort: number;
  dataDir: string;
  maxQueuedSpans?: number;
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
  // Every part below keeps files in the data directory; a new one is created here.
  await mkdir(config.dataDir, { recursive: true });
  const privacy = await loadPrivacy(config.dataDir, process.env, config.logger);
  const pricing = openPricing(config.dataDir, config.logger);
  const retentionSettings = await loadRetentionSettings(config.dataDir, config.retention);
  if (config.compactOnStart === true) await compactAtStartup(config.dataDir, config.logger);
  const store = await openDuckDbStore(config.dataDir, { maxQueuedSpans: config.maxQueuedSpans });
  const now = config.now ?? Date.now;
  const duckDb = duckDbInstanceOf(store);
  const trackingStore = duckDb === null ? null : await openDuckDbTrackingStore(duckDb, now());
  const llmExports = openExports({
    logger: config.logger,
    maxLabelValues: config.metricsMaxLabelValues,
    now,
  });
  const ingestor = new Ingestor(store, now, privacy, llmExports.onSpansCommitted);
  await ingestor.start();
  const { alerting, scores } = await openAlerting({
    dataDir: config.dataDir,
    store,
    logger: config.logger,
    now,
    intervalMs: config.alertIntervalMs,
    outboxIntervalMs: config.alertOutboxIntervalMs,
  });
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
  };
  if (trackingStore !== null) {
    appOptions.tracking = { store: trackingStore, artifactDir: artifactDirOf(config.dataDir), now };
  }
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
  });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await retention.stop();
      await alerting.stop();
      await llmExports.stop();
      await grpc.close();
      await mainApp.close();
      await otlpApp.close();
      await trackingStore?.close();
      await store.close();
      pricing.close();
    })();
    return closing;
  };
  const retention = new RetentionJob(store, retentionSettings, config.logger, now);
  retention.start();
  return { url, otlpUrl, grpcAddress: grpc.address, store, alerting, retention, close };
}
