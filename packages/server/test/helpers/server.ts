import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';

export interface TestServer extends FoghornHandle {
  dataDir: string;
  /** GETs a path of the main port and parses the JSON body. */
  getJson(path: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** An existing data directory, for example one holding a privacy policy file; default a fresh one. */
  dataDir?: string;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Largest OTLP body, in bytes; 8 MiB by default. */
  maxBodyBytes?: number;
}

/** Starts a real Foghorn on ephemeral 127.0.0.1 ports with a fresh data directory. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'foghorn-test-'));
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  const getJson = async (path: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${handle.url}${path}`);
    return { status: response.status, body: await response.json() };
  };
  const stop = async (): Promise<void> => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...handle, dataDir, getJson, stop };
}
