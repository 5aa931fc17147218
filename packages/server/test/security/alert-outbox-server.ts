import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { DuckDbEncryption } from '../../src/crypto/duckdb-encryption.ts';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';
import { MINUTE_MS } from '../alerts/helpers/alarm-fixture.ts';
import { PUBLIC_URL, type SimulatedClock } from '../alerts/helpers/alarm-server.ts';
import type { SimCall } from '../alerts/helpers/sim-traffic.ts';

/**
 * Returns an alerting.yaml with one receiver, `name`, that gets every alert at once.
 * `configsYaml` contains the receiver's integration lines, indented by four spaces.
 */
export function singleReceiverYaml(name: string, configsYaml: string): string {
  return `receivers:
  - name: ${name}
${configsYaml}route:
  receiver: ${name}
  group_by: ['...']
  group_wait: 0s
`;
}

/** Three calls of 2 s in the minute before `atMs`, so the `slow-calls` rule fires. */
export function slowCalls(atMs: number): SimCall[] {
  return [0, 1, 2].map((index) => ({
    startMs: atMs - MINUTE_MS + 5_000 + index * 10_000,
    durationMs: 2000,
    service: 'support-bot',
    provider: 'openai',
    model: 'gpt-4o',
    tenant: 'acme',
    feature: 'chat',
    inputTokens: 100,
    outputTokens: 50,
    errorType: null,
    ttftMs: null,
  }));
}

/** Creates a debug-level logger that appends each JSON line to `lines`. */
export function capturingLogger(lines: string[]): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return pino({ level: 'debug' }, stream);
}

/**
 * Starts Foghorn on ephemeral 127.0.0.1 ports with the simulated clock and alert timers
 * off, so tests evaluate and deliver with `alerting.tick()`.
 */
export function startAlertingFoghorn(
  dataDir: string,
  clock: SimulatedClock,
  options: { logger: Logger; encryption?: DuckDbEncryption },
): Promise<FoghornHandle> {
  return startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: options.logger,
    now: clock.now,
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    publicUrl: PUBLIC_URL,
    encryption: options.encryption,
  });
}
