import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FOGHORN_BIN = fileURLToPath(new URL('../../bin/foghorn.mjs', import.meta.url));

export interface SpawnedFoghorn {
  process: ChildProcess;
  url: string;
  otlpUrl: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `foghorn up` as a child process on ephemeral ports and waits for the
 * startup log line that carries both URLs.
 */
export async function spawnFoghornUp(
  dataDir: string,
  options: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<SpawnedFoghorn> {
  const env = { ...process.env, ...options.env };
  const portArgs = env.FOGHORN_PORT === undefined ? ['--port', '0'] : [];
  const child = spawn(
    process.execPath,
    [
      FOGHORN_BIN,
      'up',
      ...portArgs,
      '--otlp-port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      dataDir,
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let stderr = '';
  const started = new Promise<{ url: string; otlpUrl: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`foghorn up did not start in 30 s:\n${stderr}`)),
      30_000,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /"url":"([^"]+)","otlpHttp":"([^"]+)"/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, otlpUrl: match[2]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`foghorn up exited with ${code}:\n${stderr}`));
    });
  });
  const { url, otlpUrl } = await started;
  const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  return { process: child, url, otlpUrl, stderr: () => stderr, stop };
}
