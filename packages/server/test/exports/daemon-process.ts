import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_POLL_MS = 200;

/** Returns a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

export interface DaemonOptions {
  /** Name in error messages, such as `prometheus`. */
  name: string;
  binary: string;
  /** The config file written into the daemon's temporary folder. */
  configFileName: string;
  configYaml: string;
  /** Command-line arguments, given the temporary folder and the listen port. */
  args(dir: string, port: number): string[];
  readyTimeoutMs: number;
}

export interface DaemonProcess {
  url: string;
  /** Stops the daemon with SIGTERM and removes its temporary folder. */
  stop(): Promise<void>;
}

/**
 * Starts a Prometheus-style daemon on a free 127.0.0.1 port with its config in a new
 * temporary folder, and waits until `GET /-/ready` returns 200. On failure the daemon is
 * stopped and the error carries the end of its stderr.
 */
export async function startDaemon(options: DaemonOptions): Promise<DaemonProcess> {
  const dir = mkdtempSync(join(tmpdir(), `foghorn-${options.name}-`));
  writeFileSync(join(dir, options.configFileName), options.configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(options.binary, options.args(dir, port), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(
      options,
      url,
      () => child.exitCode,
      () => stderr,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitReady(
  options: DaemonOptions,
  url: string,
  exitCode: () => number | null,
  output: () => string,
): Promise<void> {
  const attempts = Math.ceil(options.readyTimeoutMs / READY_POLL_MS);
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (exitCode() !== null)
      throw new Error(`${options.name} exited with ${exitCode()}: ${output()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  const seconds = options.readyTimeoutMs / 1000;
  throw new Error(`${options.name} at ${url} was not ready after ${seconds} s: ${output()}`);
}
