/**
 * Compares Foghorn's MLflow API with the real MLflow tracking server (from
 * .venv-test, on a SQLite file) on the same requests, over HTTP on 127.0.0.1:
 *   - log-batch: one `runs/log-batch` of 1,000 metrics (100 keys x 10 steps);
 *   - search: `runs/search` over 10,000 runs ordered by `metrics.accuracy DESC`,
 *     returning the first 1,000 (MLflow's default page) and all 10,000.
 * Times are client round trips including reading and parsing the body.
 * Setup is not timed: the runs are written to each server's files before it
 * starts, through Foghorn's tracking store and MLflow's SqlAlchemyStore models
 * (seed_mlflow.py), with the same names, start times, metric, param and tags.
 *
 * Run: npx tsx bench/tracking/tracking-bench.ts [--runs=10000] [--iterations=20]
 *   [--mlflow-iterations=10] [--only=foghorn]
 * Needs `bash scripts/python-venv.sh` first for the MLflow side. Both servers
 * run in the same invocation, one after the other, on the same machine; the
 * table states the 1-minute load average before and after, because a shared
 * machine changes the figures.
 *
 * Goal checked at the end: the search of the first 1,000 runs by metric takes
 * at most 100 ms (median) and is at least 5 times faster than MLflow.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startFoghorn } from '../../packages/server/src/foghorn.ts';
import {
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../packages/server/src/store/duckdb/duckdb-store.ts';
import { openDuckDbTrackingStore } from '../../packages/server/src/store/duckdb/tracking/duckdb-tracking-store.ts';
import { runArtifactUri } from '../../packages/server/src/tracking/artifact-uri.ts';
import type { NewRunWithData } from '../../packages/server/src/tracking/tracking-store.ts';
import { startMlflowServer } from './mlflow-server.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MLFLOW_BIN = join(REPO_ROOT, '.venv-test/bin/mlflow');
const MLFLOW_PYTHON = join(REPO_ROOT, '.venv-test/bin/python');
const SEED_MLFLOW_SCRIPT = fileURLToPath(new URL('./seed_mlflow.py', import.meta.url));
const SEED_RUNS_PER_CALL = 1000;
const SETUP_TIMEOUT_MS = 10 * 60_000;
const MLFLOW_START_TIMEOUT_MS = 120_000;

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const RUN_COUNT = Number(option('runs', '10000'));
const GOAL_SEARCH_MS = 100;
const GOAL_SPEEDUP = 5;
const ITERATIONS = Number(option('iterations', '20'));
/** MLflow's searches take seconds each, so it gets fewer timed iterations by default. */
const MLFLOW_ITERATIONS = Number(option('mlflow-iterations', '10'));
const WARMUP_ITERATIONS = 2;
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

/** The seeded value of run `index`'s accuracy metric, the same on both servers. */
function accuracyOf(index: number): number {
  return ((index * 7919) % 10_000) / 10_000;
}

function seededRun(experimentId: string, artifactLocation: string, index: number): NewRunWithData {
  const runId = randomUUID().replaceAll('-', '');
  const runName = `run-${index}`;
  return {
    runId,
    experimentId,
    userId: '',
    runName,
    startTimeMs: 1_700_000_000_000 + index,
    artifactUri: runArtifactUri(artifactLocation, runId),
    tags: [
      { key: 'mlflow.runName', value: runName },
      { key: 'team', value: index % 2 === 0 ? 'a' : 'b' },
    ],
    params: [{ key: 'C', value: String(index % 17) }],
    metrics: [{ key: 'accuracy', value: accuracyOf(index), timestampMs: 1, step: 0 }],
  };
}

/**
 * Creates the experiment and `RUN_COUNT` runs, each with an accuracy metric, a
 * param and a tag, in Foghorn's data folder through its tracking store, before
 * the server starts on that folder. Returns the experiment ID.
 */
async function seedFoghorn(dataDir: string): Promise<string> {
  const store = await openDuckDbStore(dataDir);
  const tracking = await openDuckDbTrackingStore(duckDbInstanceOf(store)!, Date.now());
  try {
    const experimentId = await tracking.createExperiment({
      name: `bench-${Date.now()}`,
      artifactLocation: null,
      tags: [],
      nowMs: Date.now(),
    });
    const { artifactLocation } = (await tracking.getExperiment(experimentId))!;
    for (let start = 0; start < RUN_COUNT; start += SEED_RUNS_PER_CALL) {
      const end = Math.min(RUN_COUNT, start + SEED_RUNS_PER_CALL);
      const runs = [];
      for (let index = start; index < end; index += 1)
        runs.push(seededRun(experimentId, artifactLocation, index));
      await tracking.createRunsWithData(runs);
    }
    return experimentId;
  } finally {
    await tracking.close();
    await store.close();
  }
}

/** Seeds the MLflow SQLite file with MLflow's own SqlAlchemyStore models; returns the experiment ID. */
function seedMlflow(dataDir: string): string {
  const output = execFileSync(
    MLFLOW_PYTHON,
    [
      SEED_MLFLOW_SCRIPT,
      join(dataDir, 'mlflow.db'),
      join(dataDir, 'mlartifacts'),
      String(RUN_COUNT),
    ],
    { encoding: 'utf8', timeout: SETUP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return String(
    (JSON.parse(output.trim().split('\n').at(-1)!) as { experiment_id: string }).experiment_id,
  );
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
  for (let warmup = 0; warmup < WARMUP_ITERATIONS; warmup += 1) await action(-1 - warmup);
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

/** Times the operations over HTTP on a server whose experiment `experimentId` contains the seeded runs. */
async function measure(
  baseUrl: string,
  label: string,
  experimentId: string,
  iterations: number,
): Promise<Results> {
  const batchRun = await createRun(baseUrl, experimentId, RUN_COUNT);
  const logBatch = await time(iterations, async (iteration) => {
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
    [`search ${RUN_COUNT} runs by metric, first 1,000`]: await time(iterations, search(1000)),
    [`search ${RUN_COUNT} runs by metric, all`]: await time(
      Math.max(3, Math.round(iterations / 4)),
      search(RUN_COUNT + 1),
    ),
  };
}

async function measureFoghorn(): Promise<Results> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'foghorn-bench-'));
  const experimentId = await timeSeeding('foghorn', () => seedFoghorn(dataDir));
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
    return await measure(handle.url, 'foghorn', experimentId, ITERATIONS);
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
  const experimentId = await timeSeeding('mlflow', async () => seedMlflow(dataDir));
  const server = await startMlflowServer(MLFLOW_BIN, dataDir, MLFLOW_START_TIMEOUT_MS);
  try {
    return await measure(server.url, 'mlflow', experimentId, MLFLOW_ITERATIONS);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timeSeeding(label: string, seed: () => Promise<string>): Promise<string> {
  const start = performance.now();
  const experimentId = await seed();
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.error(`${label}: seeded ${RUN_COUNT} runs in ${seconds} s`);
  return experimentId;
}

function formatTiming(timing: Timing | undefined): string {
  return timing === undefined ? '-' : `${timing.medianMs.toFixed(1)} / ${timing.p95Ms.toFixed(1)}`;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

function printTable(foghorn: Results, mlflow: Results | null, loadBefore: string): void {
  console.log(
    `\nMLflow API, ${RUN_COUNT} runs, ${ITERATIONS} iterations on Foghorn and ${MLFLOW_ITERATIONS} on MLflow (a quarter of that, at least 3, for the whole result) after ${WARMUP_ITERATIONS} untimed; ${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}; load average (1/5/15 min) ${loadBefore} before, ${loadAverage()} after`,
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

/** Prints whether the search of the first 1,000 runs meets the latency and speedup goals. */
function printGoal(foghorn: Results, mlflow: Results | null): void {
  const name = `search ${RUN_COUNT} runs by metric, first 1,000`;
  const ours = foghorn[name]!.medianMs;
  const theirs = mlflow?.[name]?.medianMs;
  const latency = ours <= GOAL_SEARCH_MS ? 'met' : 'missed';
  console.log(`\nGoal: ${name} median ${ours.toFixed(1)} ms <= ${GOAL_SEARCH_MS} ms: ${latency}`);
  if (theirs === undefined) return;
  const speedup = theirs / ours;
  const verdict = speedup >= GOAL_SPEEDUP ? 'met' : 'missed';
  console.log(`Goal: speedup over MLflow ${speedup.toFixed(1)}x >= ${GOAL_SPEEDUP}x: ${verdict}`);
}

const loadBefore = loadAverage();
const foghorn = await measureFoghorn();
if (ONLY !== 'foghorn') printTable(foghorn, null, loadBefore);
const mlflow = ONLY === 'foghorn' ? null : await measureMlflow();
printTable(foghorn, mlflow, loadBefore);
printGoal(foghorn, mlflow);
