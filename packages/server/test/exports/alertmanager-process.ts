import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './prometheus-process.ts';

/** An alert as Alertmanager's `GET /api/v2/alerts` returns it. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  status: { state: string };
}

export interface AlertmanagerProcess {
  url: string;
  alerts(): Promise<GettableAlert[]>;
  stop(): Promise<void>;
}

/** Alertmanager needs a route and a receiver; this one receives alerts and notifies nobody. */
const CONFIG_YAML = `route:
  receiver: discard
receivers:
  - name: discard
`;

/** Returns the path of Debian's `prometheus-alertmanager`, or null when it is not installed. */
export function findAlertmanager(): string | null {
  const result = spawnSync('sh', ['-c', 'command -v prometheus-alertmanager'], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Starts Alertmanager on a free 127.0.0.1 port with clustering off and a temporary storage folder. */
export async function startAlertmanager(binary: string): Promise<AlertmanagerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), CONFIG_YAML);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
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
    await waitReady(
      url,
      () => child.exitCode,
      () => stderr,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const alerts = async (): Promise<GettableAlert[]> => {
    const response = await fetch(`${url}/api/v2/alerts`);
    if (!response.ok) throw new Error(`GET /api/v2/alerts answered ${response.status}`);
    return (await response.json()) as GettableAlert[];
  };
  return { url, alerts, stop };
}

async function waitReady(
  url: string,
  exitCode: () => number | null,
  output: () => string,
): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (exitCode() !== null) throw new Error(`alertmanager exited with ${exitCode()}: ${output()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`alertmanager at ${url} was not ready after 30 s: ${output()}`);
}
