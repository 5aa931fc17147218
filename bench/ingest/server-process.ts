import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/server/bin/foghorn.mjs', import.meta.url));

/** Returns the `foghorn` executable script of the checkout at `root`, such as an older commit's worktree. */
export function foghornBinOf(root: string): string {
  return `${root}/packages/server/bin/foghorn.mjs`;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  otlpUrl: string;
  grpcAddress: string;
  /** Peak resident memory so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** CPU time used so far, in seconds: by the main (event loop) thread and by all threads. */
  cpuSeconds(): { mainThread: number; allThreads: number };
  stop(): Promise<void>;
}

/**
 * Starts `foghorn up` on ephemeral loopback ports in its own process, with the Node flags of
 * the launcher's first line, then `nodeFlags`, before the script, and `extraEnv` added to the
 * environment. `bin` runs another checkout's server.
 */
export async function startServerProcess(
  dataDir: string,
  extraArgs: string[] = [],
  nodeFlags: string[] = [],
  extraEnv: Record<string, string> = {},
  bin = BIN,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...launcherFlags(bin),
      ...nodeFlags,
      bin,
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
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, FOGHORN_LOG_LEVEL: 'info', ...extraEnv },
    },
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
    cpuSeconds: () => readCpuSeconds(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Linux clock ticks per second, the unit of utime and stime in /proc stat files. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of one /proc stat file, in seconds; fields counted after the parenthesized name. */
function statCpuSeconds(path: string): number {
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function readCpuSeconds(pid: number): { mainThread: number; allThreads: number } {
  return {
    mainThread: statCpuSeconds(`/proc/${pid}/task/${pid}/stat`),
    allThreads: statCpuSeconds(`/proc/${pid}/stat`),
  };
}

/**
 * Returns the Node flags of `bin`'s `#!/usr/bin/env -S node ...` line, so the server runs
 * with the flags it gets when started as `foghorn up`. Flags in `nodeFlags` come later and
 * win where they repeat one.
 */
function launcherFlags(bin: string): string[] {
  const firstLine = readFileSync(bin, 'utf8').split('\n', 1)[0]!;
  const match = /^#!\S*env -S node (.+)$/.exec(firstLine);
  return match === null ? [] : match[1]!.trim().split(/\s+/);
}
