import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createMainApp, createOtlpApp, type AppOptions } from './api/server.ts';
import { openDuckDbStore } from './store/duckdb/duckdb-store.ts';
import type { Store } from './store/store.ts';

export interface FoghornConfig {
  host: string;
  port: number;
  otlpPort: number;
  dataDir: string;
  maxBodyBytes: number;
  logger: Logger;
  /** Folder of the built dashboard; defaults to packages/web/dist. */
  webRoot?: string;
  now?: () => number;
}

export interface FoghornHandle {
  /** Base URL of the UI and API, such as http://127.0.0.1:4000. */
  url: string;
  /** Base URL of the dedicated OTLP/HTTP receiver. */
  otlpUrl: string;
  store: Store;
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
  const store = await openDuckDbStore(config.dataDir);
  const appOptions: AppOptions = {
    store,
    logger: config.logger,
    maxBodyBytes: config.maxBodyBytes,
    webRoot: config.webRoot ?? DEFAULT_WEB_ROOT,
    otlpHttpEndpoint: '',
    now: config.now ?? Date.now,
  };
  const otlpApp = await createOtlpApp(appOptions);
  await otlpApp.listen({ host: config.host, port: config.otlpPort });
  const otlpUrl = baseUrl(otlpApp);
  appOptions.otlpHttpEndpoint = `${otlpUrl}/v1/traces`;
  const mainApp = await createMainApp(appOptions);
  await mainApp.listen({ host: config.host, port: config.port });
  const url = baseUrl(mainApp);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await mainApp.close();
      await otlpApp.close();
      await store.close();
    })();
    return closing;
  };
  return { url, otlpUrl, store, close };
}
