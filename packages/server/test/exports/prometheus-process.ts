import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon } from './daemon-process.ts';

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

/** The result of an instant PromQL query that returns a vector. */
export type PromVector = { metric: Record<string, string>; value: [number, string] }[];

export interface PrometheusProcess {
  url: string;
  /** Runs an instant PromQL query and returns its vector result. */
  query(expr: string): Promise<PromVector>;
  stop(): Promise<void>;
}

function configYaml(scrapeTarget: string | null): string {
  const scrape =
    scrapeTarget === null
      ? ''
      : `scrape_configs:\n  - job_name: foghorn\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${scrapeTarget}']\n`;
  return `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${scrape}`;
}

/** Starts Debian's Prometheus on 127.0.0.1 with the remote-write receiver, scraping `scrapeTarget` every second. */
export async function startPrometheus(
  binary: string,
  scrapeTarget: string | null,
): Promise<PrometheusProcess> {
  const { url, stop } = await startDaemon({
    name: 'prometheus',
    binary,
    configFileName: 'prometheus.yml',
    configYaml: configYaml(scrapeTarget),
    args: (dir, port) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
    readyTimeoutMs: 60_000,
  });
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

/** Maps each sample's value of `label` to its number; a sample without the label maps from ''. */
export function valuesByLabel(vector: PromVector, label: string): Map<string, number> {
  return new Map(vector.map((sample) => [sample.metric[label] ?? '', Number(sample.value[1])]));
}

/** Polls an instant query until its first sample equals `expected`, for at most `timeoutMs`. */
export function waitForQueryValue(
  prometheus: PrometheusProcess,
  expr: string,
  expected: number,
  timeoutMs: number,
): Promise<boolean> {
  return waitUntil(async () => {
    const result = await prometheus.query(expr);
    return Number(result[0]?.value[1]) === expected;
  }, timeoutMs);
}
