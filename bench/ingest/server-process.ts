import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/server/bin/foghorn.mjs', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  otlpUrl: string;
  grpcAddress: string;
  /** Peak resident memory so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/** Starts `foghorn up` on ephemeral loopback ports in its own process. */
export async function startServerProcess(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'up',
      '--port',
      '0',
      '--otlp-port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FOGHORN_LOG_LEVEL: 'info' } },
  );
  let stderr = '';
  const urls = await new Promise<[string, string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`foghorn did not start:\n${stderr}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /"url":"([^"]+)","otlpHttp":"([^"]+)","otlpGrpc":"([^"]+)"/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve([match[1]!, match[2]!, match[3]!]);
      }
    });
    child.once('exit', (code) => reject(new Error(`foghorn exited with ${code}:\n${stderr}`)));
  });
  return {
    child,
    url: urls[0],
    otlpUrl: urls[1],
    grpcAddress: urls[2],
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) / 1024 : NaN;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
