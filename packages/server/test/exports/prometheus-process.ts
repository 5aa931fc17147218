import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INSTALL_SCRIPT = fileURLToPath(
  new URL('../../../../scripts/install-test-deps.sh', import.meta.url),
);

function which(binary: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * Returns the path of a Debian tool such as `prometheus` or `promtool`, running
 * the install script once when it is missing; null when it stays missing.
 */
export function findPrometheusTool(binary: 'prometheus' | 'promtool'): string | null {
  const found = which(binary);
  if (found !== null) return found;
  spawnSync('bash', [INSTALL_SCRIPT], { stdio: 'ignore', timeout: 300_000 });
  return which(binary);
}

/** Returns a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

export interface PrometheusProcess {
  url: string;
  /** Runs an instant PromQL query and returns its vector result. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

function configYaml(scrapeTarget: string | null): string {
  const scrape =
    scrapeTarget === null
      ? ''
      : `scrape_configs:\n  - job_name: foghorn\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${scrapeTarget}']\n`;
  return `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${scrape}`;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with ${child.exitCode}: ${output()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus at ${url} was not ready after 60 s: ${output()}`);
}

/** Starts Debian's Prometheus on 127.0.0.1 with the remote-write receiver, scraping `scrapeTarget` every second. */
export async function startPrometheus(
  binary: string,
  scrapeTarget: string | null,
): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), configYaml(scrapeTarget));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
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
    await waitReady(url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  const query = async (expr: string) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data: { result: any[] };
    };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result;
  };
  return { url, query, stop };
}

/** Polls `check` every 250 ms until it returns true, for at most `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
