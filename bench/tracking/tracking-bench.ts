/**
 * Compares Foghorn's MLflow API with the real MLflow tracking server (from
 * .venv-test, on a SQLite file) on the same requests, over HTTP on 127.0.0.1:
 *   - log-batch: one `runs/log-batch` of 1,000 metrics (100 keys x 10 steps);
 *   - search: `runs/search` over 10,000 runs ordered by `metrics.accuracy DESC`,
 *     returning the first 1,000 (MLflow's default page) and all 10,000.
 * Times are client round trips including reading and parsing the body.
 *
 * Run: npx tsx bench/tracking/tracking-bench.ts [--runs=10000] [--iterations=20] [--only=foghorn]
 * Needs `bash scripts/python-venv.sh` first for the MLflow side.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startFoghorn } from '../../packages/server/src/foghorn.ts';
import { startMlflowServer } from './mlflow-server.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MLFLOW_BIN = join(REPO_ROOT, '.venv-test/bin/mlflow');
const SETUP_CONCURRENCY = 8;
const SETUP_TIMEOUT_MS = 45 * 60_000;
const MLFLOW_START_TIMEOUT_MS = 120_000;

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const RUN_COUNT = Number(option('runs', '10000'));
const ITERATIONS = Number(option('iterations', '20'));
const ONLY = option('only', '');

async function call(baseUrl: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}/api/2.0/mlflow${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = await response.json();
  if (!response.ok)
    throw new Error(`${path} failed with ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

async function createRun(baseUrl: string, experimentId: string, index: number): Promise<string> {
  const created = await call(baseUrl, '/runs/create', {
    experiment_id: experimentId,
    run_name: `run-${index}`,
    start_time: 1_700_000_000_000 + index,
  });
  return created.run.info.run_id as string;
}

/** Creates `RUN_COUNT` runs, each with an accuracy metric, a param and a tag, with bounded concurrency. */
async function seedRuns(baseUrl: string, experimentId: string): Promise<void> {
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < RUN_COUNT) {
      if (Date.now() > deadline)
        throw new Error(`seeding ${RUN_COUNT} runs took over ${SETUP_TIMEOUT_MS} ms`);
      const index = next++;
      const runId = await createRun(baseUrl, experimentId, index);
      await call(baseUrl, '/runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'accuracy', value: ((index * 7919) % 10_000) / 10_000, timestamp: 1, step: 0 },
        ],
        params: [{ key: 'C', value: String(index % 17) }],
        tags: [{ key: 'team', value: index % 2 === 0 ? 'a' : 'b' }],
      });
    }
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
}

function batchOf1000(iteration: number): unknown[] {
  return Array.from({ length: 1000 }, (_, index) => ({
    key: `metric_${index % 100}`,
    value: Math.sin(index + iteration),
    timestamp: 1_700_000_000_000 + iteration * 1000 + index,
    step: iteration * 10 + Math.floor(index / 100),
  }));
}

interface Timing {
  medianMs: number;
  p95Ms: number;
}

async function time(
  iterations: number,
  action: (iteration: number) => Promise<void>,
): Promise<Timing> {
  for (let warmup = 0; warmup < 3; warmup += 1) await action(-1 - warmup);
  const samples: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const start = performance.now();
    await action(iteration);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)]!,
    p95Ms: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)]!,
  };
}

type Results = Record<string, Timing>;

async function measure(baseUrl: string, label: string): Promise<Results> {
  const experiment = await call(baseUrl, '/experiments/create', { name: `bench-${Date.now()}` });
  const experimentId = experiment.experiment_id as string;
  const seedStart = performance.now();
  await seedRuns(baseUrl, experimentId);
  console.error(
    `${label}: seeded ${RUN_COUNT} runs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const batchRun = await createRun(baseUrl, experimentId, RUN_COUNT);
  const logBatch = await time(ITERATIONS, async (iteration) => {
    await call(baseUrl, '/runs/log-batch', {
      run_id: batchRun,
      metrics: batchOf1000(iteration + 3),
    });
  });
  const search = (maxResults: number) => async (): Promise<void> => {
    const body = await call(baseUrl, '/runs/search', {
      experiment_ids: [experimentId],
      order_by: ['metrics.accuracy DESC'],
      max_results: maxResults,
    });
    if (body.runs.length !== Math.min(maxResults, RUN_COUNT + 1)) {
      throw new Error(`${label}: search returned ${body.runs.length} runs`);
    }
  };
  return {
    'log-batch, 1,000 metrics': logBatch,
    [`search ${RUN_COUNT} runs by metric, first 1,000`]: await time(ITERATIONS, search(1000)),
    [`search ${RUN_COUNT} runs by metric, all`]: await time(
      Math.max(3, ITERATIONS / 4),
      search(RUN_COUNT + 1),
    ),
  };
}

async function measureFoghorn(): Promise<Results> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'foghorn-bench-'));
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 64 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
  });
  try {
    return await measure(handle.url, 'foghorn');
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureMlflow(): Promise<Results | null> {
  if (!existsSync(MLFLOW_BIN)) {
    console.error(`mlflow: skipped, ${MLFLOW_BIN} is missing; run bash scripts/python-venv.sh`);
    return null;
  }
  const dataDir = mkdtempSync(join(os.tmpdir(), 'mlflow-bench-'));
  const server = await startMlflowServer(MLFLOW_BIN, dataDir, MLFLOW_START_TIMEOUT_MS);
  try {
    return await measure(server.url, 'mlflow');
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function formatTiming(timing: Timing | undefined): string {
  return timing === undefined ? '-' : `${timing.medianMs.toFixed(1)} / ${timing.p95Ms.toFixed(1)}`;
}

function printTable(foghorn: Results, mlflow: Results | null): void {
  console.log(
    `\nMLflow API, ${RUN_COUNT} runs, ${ITERATIONS} iterations; ${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}`,
  );
  console.log(
    '| operation | Foghorn median / p95 ms | MLflow median / p95 ms | speedup (median) |',
  );
  console.log('|---|---|---|---|');
  for (const [name, timing] of Object.entries(foghorn)) {
    const other = mlflow?.[name];
    const speedup = other === undefined ? '-' : `${(other.medianMs / timing.medianMs).toFixed(1)}x`;
    console.log(`| ${name} | ${formatTiming(timing)} | ${formatTiming(other)} | ${speedup} |`);
  }
}

const foghorn = await measureFoghorn();
if (ONLY !== 'foghorn') printTable(foghorn, null);
const mlflow = ONLY === 'foghorn' ? null : await measureMlflow();
printTable(foghorn, mlflow);
