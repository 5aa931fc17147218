/// <reference types="node" />
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FOGHORN_BIN = path.join(REPO_ROOT, 'packages/server/bin/foghorn.mjs');

/** Asks the OS for a free loopback port; the port is released before it is returned. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') {
    throw new Error(`expected a TCP address from the probe server, got ${String(address)}`);
  }
  return address.port;
}

/** A child process whose output is kept, so a failing test can print it. */
export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
}

export function startFoghorn(args: string[]): RunningProcess {
  const child = spawn(process.execPath, [FOGHORN_BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Waits for the process to exit and returns its exit code; kills it after `timeoutMs`. */
export async function waitForExit(
  running: RunningProcess,
  timeoutMs: number,
): Promise<number | null> {
  const { child } = running;
  if (child.exitCode !== null || child.signalCode !== null) {
    return child.exitCode;
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  } finally {
    clearTimeout(timer);
  }
}

/** Stops the process with SIGTERM, then SIGKILL if it is still running after `graceMs`. */
export async function stopProcess(
  running: RunningProcess | undefined,
  graceMs = 10_000,
): Promise<void> {
  if (
    running === undefined ||
    running.child.exitCode !== null ||
    running.child.signalCode !== null
  ) {
    return;
  }
  running.child.kill('SIGTERM');
  await waitForExit(running, graceMs);
}

/** Polls `GET url` until it returns HTTP 200, for at most `timeoutMs`. */
export async function waitForHttpOk(
  url: string,
  running: RunningProcess,
  timeoutMs: number,
): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 600 && Date.now() < deadlineMs; attempt += 1) {
    if (running.child.exitCode !== null) {
      throw new Error(
        `foghorn exited with code ${running.child.exitCode} before ${url} answered:\n${running.output()}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // The server is not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${running.output()}`);
}

/** A `foghorn up` child process that serves HTTP on its main port. */
export interface FoghornUp {
  running: RunningProcess;
  baseUrl: string;
  /** The OTLP/HTTP port, or 0 when the server was started without one. */
  otlpPort: number;
}

/**
 * Starts `foghorn up` on free loopback ports with gRPC off and waits up to 30 s for
 * `/healthz`. With `otlp: false` the OTLP/HTTP port is off too. The process is stopped
 * when it does not become healthy.
 */
export async function startFoghornUp(
  dataDir: string,
  options: { otlp?: boolean } = {},
): Promise<FoghornUp> {
  const port = await freePort();
  const otlpPort = options.otlp === false ? 0 : await freePort();
  const running = startFoghorn([
    'up',
    '--port',
    String(port),
    '--otlp-port',
    String(otlpPort),
    '--grpc-port',
    '0',
    '--data-dir',
    dataDir,
  ]);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(`${baseUrl}/healthz`, running, 30_000);
  } catch (error) {
    await stopProcess(running);
    throw error;
  }
  return { running, baseUrl, otlpPort };
}

/**
 * Runs `foghorn demo` against the OTLP port for `durationMs` of live traffic after
 * `backfillHours` of history, and returns the process with its exit code.
 */
export async function runDemo(
  otlpPort: number,
  demo: { durationMs: number; backfillHours: number; timeoutMs: number },
): Promise<{ demo: RunningProcess; exitCode: number | null }> {
  const running = startFoghorn([
    'demo',
    '--otlp-endpoint',
    `http://127.0.0.1:${otlpPort}`,
    '--duration-ms',
    String(demo.durationMs),
    '--backfill-hours',
    String(demo.backfillHours),
  ]);
  const exitCode = await waitForExit(running, demo.timeoutMs);
  return { demo: running, exitCode };
}
