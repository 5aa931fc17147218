import { pino } from 'pino';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';

/** Starts Foghorn on ephemeral 127.0.0.1 ports on an existing data directory, with a silent logger. */
export function startOnDataDir(dataDir: string, compactOnStart = false): Promise<FoghornHandle> {
  return startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    compactOnStart,
  });
}
