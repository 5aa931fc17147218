import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';

export interface TestServer extends FoghornHandle {
  dataDir: string;
  /** GETs a path of the main port and parses the JSON body. */
  getJson(path: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Starts a real Foghorn on ephemeral 127.0.0.1 ports with a fresh data directory. */
export async function startTestServer(): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-test-'));
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
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
