import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startDaemon } from './daemon-process.ts';

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
  const { url, stop } = await startDaemon({
    name: 'alertmanager',
    binary,
    configFileName: 'alertmanager.yml',
    configYaml: CONFIG_YAML,
    args: (dir, port) => [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    readyTimeoutMs: 30_000,
  });
  const alerts = async (): Promise<GettableAlert[]> => {
    const response = await fetch(`${url}/api/v2/alerts`);
    if (!response.ok) throw new Error(`GET /api/v2/alerts answered ${response.status}`);
    return (await response.json()) as GettableAlert[];
  };
  return { url, alerts, stop };
}
