import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.ts';
import { VENV_MISSING_MESSAGE, VENV_PYTHON, runPython } from './python-venv.ts';

const FOGHORN_BIN = fileURLToPath(new URL('../../bin/foghorn.mjs', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./python/file_store.py', import.meta.url));
const PYTHON_TIMEOUT_MS = 120_000;
const CLI_TIMEOUT_MS = 60_000;

if (VENV_PYTHON === null) console.warn(`tracking import: ${VENV_MISSING_MESSAGE}`);

let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'foghorn-import-'));
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the foghorn CLI without a terminal, so progress comes as plain lines. */
function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FOGHORN_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

async function python(args: string[]): Promise<void> {
  const result = await runPython([SCRIPT, ...args], {
    cwd: workDir,
    env: { MLFLOW_ALLOW_FILE_STORE: 'true' },
    timeoutMs: PYTHON_TIMEOUT_MS,
  });
  if (result.exitCode !== 0) throw new Error(`file_store.py ${args[0]} failed:\n${result.output}`);
}

async function dumpThroughClient(trackingUri: string, name: string): Promise<any> {
  const output = join(workDir, `${name}.json`);
  await python(['dump', trackingUri, output]);
  return JSON.parse(readFileSync(output, 'utf8'));
}

describe('foghorn tracking import', () => {
  it.skipIf(VENV_PYTHON === null)(
    'imports an MLflow file store',
    { timeout: 3 * PYTHON_TIMEOUT_MS },
    async () => {
      const mlruns = join(workDir, 'mlruns');
      const dataDir = join(workDir, 'data');
      await python(['create', mlruns]);
      const expected = await dumpThroughClient(`file:${mlruns}`, 'file-store');

      const first = await runCli(['tracking', 'import', mlruns, '--data-dir', dataDir]);
      expect(first.exitCode).toBe(0);
      expect(first.stdout).toContain(
        'Imported from an MLflow file store: 2 experiments, 3 runs, 30 metric points, 6 artifact files, 1 registered models, 1 model versions.',
      );
      expect(first.stdout).toContain('Skipped: 0.');
      expect(first.stderr).toMatch(
        /^\[4\/7\] run [0-9a-f]{32} imported \(10 metric points, 2 artifacts\)$/m,
      );

      const second = await runCli(['tracking', 'import', mlruns, '--data-dir', dataDir]);
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toContain('2 experiments'.replace('2', '0'));
      expect(second.stdout).toContain(
        '0 runs, 0 metric points, 0 artifact files, 0 registered models',
      );
      expect(second.stdout).toContain('Skipped: 4.');
      expect(second.stdout).toContain('model churn-model: already present in Foghorn');

      const server = await startTestServer({ dataDir });
      try {
        const imported = await dumpThroughClient(server.url, 'foghorn');
        expect(imported).toEqual(expected);
      } finally {
        await server.stop();
      }
    },
  );

  it('imports JSON records and reports the malformed one', async () => {
    const records = join(workDir, 'records');
    const dataDir = join(workDir, 'data');
    mkdirSync(join(records, 'plots'), { recursive: true });
    writeFileSync(join(records, 'plots', 'roc.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const good = {
      run_id: 'a1',
      timestamp: '2026-01-02T03:04:05Z',
      params: { depth: 6, booster: 'gbtree' },
      metrics: {
        auc: 0.91,
        loss: [
          { step: 0, value: 0.7 },
          { step: 1, value: 0.4 },
        ],
      },
      artifacts: ['plots/roc.svg'],
    };
    writeFileSync(join(records, 'a1.json'), JSON.stringify(good));
    writeFileSync(
      join(records, 'b2.json'),
      JSON.stringify({ ...good, run_id: 'b2', metrics: { auc: 'high' } }),
    );
    writeFileSync(join(records, 'c3.json'), '{"run_id": "c3",');

    const result = await runCli([
      'tracking',
      'import',
      records,
      '--data-dir',
      dataDir,
      '--experiment',
      'xgb',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('1 experiments, 1 runs, 3 metric points, 1 artifact files');
    expect(result.stdout).toContain('Skipped: 2.');
    expect(result.stdout).toMatch(/record b2\.json: field "metrics\.auc": /);
    expect(result.stdout).toMatch(/record c3\.json: .*JSON/);

    const again = await runCli([
      'tracking',
      'import',
      records,
      '--data-dir',
      dataDir,
      '--experiment',
      'xgb',
    ]);
    expect(again.stdout).toContain('0 runs');
    expect(again.stdout).toContain('run a1: already present in Foghorn');

    const server = await startTestServer({ dataDir });
    try {
      const experiment = await server.getJson(
        '/api/2.0/mlflow/experiments/get-by-name?experiment_name=xgb',
      );
      const run = await server.getJson('/api/2.0/mlflow/runs/get?run_id=a1');
      expect(run.body.run.info.experiment_id).toBe(experiment.body.experiment.experiment_id);
      expect(run.body.run.info.start_time).toBe(Date.parse(good.timestamp));
      expect(run.body.run.data.params).toEqual([
        { key: 'booster', value: 'gbtree' },
        { key: 'depth', value: '6' },
      ]);
      const history = await server.getJson(
        '/api/2.0/mlflow/metrics/get-history?run_id=a1&metric_key=loss',
      );
      expect(history.body.metrics.map((m: any) => [m.step, m.value])).toEqual([
        [0, 0.7],
        [1, 0.4],
      ]);
      const artifacts = await server.getJson('/api/2.0/mlflow/artifacts/list?run_id=a1&path=plots');
      expect(artifacts.body.files).toEqual([
        { path: 'plots/roc.svg', is_dir: false, file_size: 41 },
      ]);
    } finally {
      await server.stop();
    }
  });
});
