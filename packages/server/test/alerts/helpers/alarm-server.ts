import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startFoghorn, type FoghornHandle } from '../../../src/foghorn.ts';

/** A clock the test moves by hand. */
export class SimulatedClock {
  constructor(public nowMs: number) {}
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** The dashboard URL in notification links; a string only, nothing connects to it. */
export const PUBLIC_URL = 'https://foghorn.example.test';

export interface AlarmServerOptions {
  dataDir?: string;
  /** Rule files to write under `<dataDir>/alerts/` before start; without them the default pack is written. */
  ruleFiles?: Record<string, string>;
  alertingYaml?: string;
  budgetsYaml?: string;
}

export interface AlarmServer extends FoghornHandle {
  dataDir: string;
  json(path: string, init?: RequestInit): Promise<{ status: number; body: any }>;
}

/** Makes a data directory holding the given rule, alerting and budget files. */
export function prepareDataDir(options: AlarmServerOptions): string {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'foghorn-alerts-'));
  if (options.ruleFiles) {
    mkdirSync(join(dataDir, 'alerts'), { recursive: true });
    for (const [name, text] of Object.entries(options.ruleFiles))
      writeFileSync(join(dataDir, 'alerts', name), text);
  }
  if (options.alertingYaml !== undefined)
    writeFileSync(join(dataDir, 'alerting.yaml'), options.alertingYaml);
  if (options.budgetsYaml !== undefined)
    writeFileSync(join(dataDir, 'budgets.yaml'), options.budgetsYaml);
  return dataDir;
}

/** Starts Foghorn on ephemeral 127.0.0.1 ports with a simulated clock; timers are off, so tests call `alerting.tick()`. */
export async function startAlarmServer(
  clock: SimulatedClock,
  options: AlarmServerOptions = {},
): Promise<AlarmServer> {
  const dataDir = prepareDataDir(options);
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 32 * 1024 * 1024,
    logger: pino({ level: process.env.FOGHORN_TEST_LOG_LEVEL ?? 'silent' }),
    now: clock.now,
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    publicUrl: PUBLIC_URL,
  });
  const json = async (path: string, init?: RequestInit): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${handle.url}${path}`, init);
    return { status: response.status, body: await response.json() };
  };
  return { ...handle, dataDir, json };
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
