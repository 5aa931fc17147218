import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.ts';
import { MLFLOW2_PATH, VENV_MISSING_MESSAGE, VENV_PYTHON, runPython } from './python-venv.ts';

const LAB_SCRIPT = fileURLToPath(new URL('./python/mlflow_lab.py', import.meta.url));
const LAB_TIMEOUT_MS = 240_000;

interface LabReport {
  mlflow_version: string;
  logged: Record<string, { C: number; accuracy: number; f1_weighted: number }>;
  experiment_id: string;
  search_columns: string[];
  search_rows: {
    run_id: string;
    C: string;
    accuracy: number;
    f1_weighted: number;
    status: string;
    run_name: string;
  }[];
  registered_version: string;
  verified_accuracy: number;
  best_accuracy: number;
  staging_versions: string[];
  autolog_params: Record<string, string>;
  autolog_metrics: Record<string, number>;
  autolog_artifacts: string[];
  autolog_run_id: string;
  figure_png_signature: string;
}

if (VENV_PYTHON === null) console.warn(`mlflow lab: ${VENV_MISSING_MESSAGE}`);
if (VENV_PYTHON !== null && MLFLOW2_PATH === null) {
  console.warn(
    'mlflow lab 2.x: skipping, .venv-test/mlflow2 is missing; rerun scripts/python-venv.sh',
  );
}

/** Runs the lab against a fresh Foghorn and returns its report and what the server stored. */
async function runLab(
  env: NodeJS.ProcessEnv,
): Promise<{ report: LabReport; registered: any; figureOnDisk: boolean }> {
  const server = await startTestServer();
  const workDir = mkdtempSync(join(tmpdir(), 'foghorn-lab-'));
  try {
    const reportPath = join(workDir, 'report.json');
    const result = await runPython([LAB_SCRIPT, server.url, reportPath], {
      cwd: workDir,
      env,
      timeoutMs: LAB_TIMEOUT_MS,
    });
    if (result.exitCode !== 0)
      throw new Error(`the lab exited with ${result.exitCode}:\n${result.output}`);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as LabReport;
    const registered = await server.getJson(
      '/api/2.0/mlflow/registered-models/get?name=iris-classifier',
    );
    const figurePath = [
      report.experiment_id,
      report.autolog_run_id,
      'artifacts',
      'confusion_matrix.png',
    ];
    const figureOnDisk = existsSync(join(server.dataDir, 'artifacts', ...figurePath));
    return { report, registered: registered.body, figureOnDisk };
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Formats a number as Python's `str(float)` does for the lab's values (`10.0`, `0.01`). */
function pythonFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** The order MLflow gives: accuracy descending, ties by start time, newest first. */
function expectedOrder(report: LabReport): string[] {
  const runs = Object.entries(report.logged).map(([runId, values], index) => ({
    runId,
    index,
    ...values,
  }));
  runs.sort((a, b) => b.accuracy - a.accuracy || b.index - a.index);
  return runs.map((run) => run.runId);
}

function checkLab(report: LabReport, registered: any, majorVersion: string): void {
  expect(report.mlflow_version.startsWith(`${majorVersion}.`)).toBe(true);
  expect(Object.values(report.logged).map((run) => run.C)).toEqual([0.01, 0.1, 1.0, 10.0]);

  expect(report.search_rows.map((row) => row.run_id)).toEqual(expectedOrder(report));
  for (const row of report.search_rows) {
    const logged = report.logged[row.run_id]!;
    expect(row.C).toBe(pythonFloat(logged.C));
    expect(row.accuracy).toBe(logged.accuracy);
    expect(row.f1_weighted).toBe(logged.f1_weighted);
    expect(row.status).toBe('FINISHED');
    expect(row.run_name).toBe(`logreg_C=${pythonFloat(logged.C)}`);
  }
  for (const column of [
    'run_id',
    'experiment_id',
    'status',
    'artifact_uri',
    'start_time',
    'end_time',
    'metrics.accuracy',
    'metrics.f1_weighted',
    'params.C',
    'params.model_type',
    'params.solver',
    'tags.mlflow.runName',
  ]) {
    expect(report.search_columns).toContain(column);
  }

  expect(report.registered_version).toBe('1');
  expect(report.staging_versions).toEqual(['1']);
  expect(report.verified_accuracy).toBe(report.best_accuracy);
  expect(registered.registered_model.latest_versions).toEqual([
    expect.objectContaining({ version: '1', current_stage: 'Staging', status: 'READY' }),
  ]);

  expect(report.autolog_params.C).toBe('1.0');
  expect(report.autolog_params.max_iter).toBe('200');
  expect(report.autolog_metrics.training_accuracy_score).toBeGreaterThan(0.5);
  expect(report.autolog_artifacts).toContain('confusion_matrix.png');
  expect(report.figure_png_signature).toBe('89504e470d0a1a0a');
}

describe('MLflow lab with the real client', () => {
  it.skipIf(VENV_PYTHON === null)(
    'runs on MLflow 3.x',
    { timeout: LAB_TIMEOUT_MS + 30_000 },
    async () => {
      const { report, registered, figureOnDisk } = await runLab({});
      checkLab(report, registered, '3');
      expect(figureOnDisk).toBe(true);
    },
  );

  it.skipIf(VENV_PYTHON === null || MLFLOW2_PATH === null)(
    'runs on MLflow 2.x',
    { timeout: LAB_TIMEOUT_MS + 30_000 },
    async () => {
      const { report, registered, figureOnDisk } = await runLab({ PYTHONPATH: MLFLOW2_PATH! });
      checkLab(report, registered, '2');
      expect(figureOnDisk).toBe(true);
    },
  );
});
