import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MODEL_STAGES,
  type LifecycleStage,
  type Metric,
  type ModelStage,
  type RunStatus,
} from '../entities.ts';
import {
  isDirectory,
  listFilesRecursive,
  readKeyValueFiles,
  readYamlFile,
  subdirectories,
} from './file-tree.ts';
import type {
  ImportedModel,
  ImportedRun,
  ImportedVersion,
  ImportSource,
  SkippedItem,
} from './import-model.ts';

/** `RunStatus` numbers of MLflow's file store (`mlflow/protos/service.proto`). */
const RUN_STATUS_BY_NUMBER: Readonly<Record<number, RunStatus>> = {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
};

/** Folders of an experiment that are not runs (MLflow 3.x keeps logged models and traces there). */
const NON_RUN_FOLDERS = new Set(['tags', 'models', 'traces', 'datasets']);

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const lifecycle = (value: unknown): LifecycleStage => (value === 'deleted' ? 'deleted' : 'active');

/** True when `dir` looks like an MLflow file store: an experiment folder with meta.yaml, or `models/`. */
export async function isMlflowFileStore(dir: string): Promise<boolean> {
  if (await isDirectory(join(dir, 'models'))) return true;
  for (const name of await subdirectories(dir)) {
    if (
      await readFile(join(dir, name, 'meta.yaml')).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

/** Parses a metric history file: one `timestamp value step` line per point (older files omit the step). */
function parseMetricLines(key: string, content: string): Metric[] {
  return content
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const [timestamp, value, step] = line.trim().split(/\s+/);
      const parsed = {
        timestampMs: Number(timestamp),
        value: Number(value),
        step: Number(step ?? 0),
      };
      if (
        !Number.isFinite(parsed.timestampMs) ||
        !Number.isFinite(parsed.step) ||
        value === undefined
      )
        throw new Error(`metric '${key}' line ${index + 1} is not "timestamp value step": ${line}`);
      return { key, ...parsed };
    });
}

async function readRun(runDir: string, experimentName: string): Promise<ImportedRun> {
  const meta = await readYamlFile(join(runDir, 'meta.yaml'));
  const runId = text(meta.run_id) ?? text(meta.run_uuid);
  if (runId === null || !/^[0-9a-zA-Z_-]{1,64}$/.test(runId))
    throw new Error(`meta.yaml has an invalid run_id ${JSON.stringify(meta.run_id)}`);
  const metricFiles = await readKeyValueFiles(join(runDir, 'metrics'));
  const artifactPaths = await listFilesRecursive(join(runDir, 'artifacts'));
  return {
    runId,
    experimentName,
    runName: text(meta.run_name) ?? '',
    userId: text(meta.user_id) ?? '',
    status: RUN_STATUS_BY_NUMBER[Number(meta.status)] ?? 'FINISHED',
    startTimeMs: numberOrNull(meta.start_time),
    endTimeMs: numberOrNull(meta.end_time),
    lifecycleStage: lifecycle(meta.lifecycle_stage),
    params: await readKeyValueFiles(join(runDir, 'params')),
    tags: await readKeyValueFiles(join(runDir, 'tags')),
    metrics: metricFiles.flatMap(({ key, value }) => parseMetricLines(key, value)),
    artifacts: artifactPaths.map((artifactPath) => ({
      artifactPath,
      filePath: join(runDir, 'artifacts', artifactPath),
    })),
    sourceArtifactUri: text(meta.artifact_uri),
  };
}

async function readExperiment(
  source: ImportSource,
  experimentDir: string,
  folder: string,
): Promise<void> {
  const meta = await readYamlFile(join(experimentDir, 'meta.yaml'));
  const name = text(meta.name);
  if (name === null) throw new Error('meta.yaml has no name');
  source.experiments.push({
    name,
    lifecycleStage: lifecycle(meta.lifecycle_stage),
    creationTimeMs: numberOrNull(meta.creation_time),
    tags: await readKeyValueFiles(join(experimentDir, 'tags')),
  });
  for (const runFolder of await subdirectories(experimentDir)) {
    if (NON_RUN_FOLDERS.has(runFolder)) continue;
    try {
      source.runs.push(await readRun(join(experimentDir, runFolder), name));
    } catch (error) {
      source.skipped.push({
        kind: 'run',
        id: `${folder}/${runFolder}`,
        reason: (error as Error).message,
      });
    }
  }
}

async function readVersion(versionDir: string): Promise<ImportedVersion> {
  const meta = await readYamlFile(join(versionDir, 'meta.yaml'));
  const stage = String(meta.current_stage ?? 'None');
  const version = Number(meta.version);
  if (!Number.isInteger(version) || version < 1)
    throw new Error(`meta.yaml has an invalid version ${JSON.stringify(meta.version)}`);
  return {
    version,
    source: text(meta.source) ?? '',
    runId: text(meta.run_id),
    runLink: text(meta.run_link),
    description: text(meta.description),
    stage: (MODEL_STAGES as readonly string[]).includes(stage) ? (stage as ModelStage) : 'None',
    tags: await readKeyValueFiles(join(versionDir, 'tags')),
  };
}

async function readAliases(
  modelDir: string,
  meta: Record<string, unknown>,
): Promise<ImportedModel['aliases']> {
  const fromMeta = typeof meta.aliases === 'object' && meta.aliases !== null ? meta.aliases : {};
  const merged = new Map(
    Object.entries(fromMeta).map(([alias, version]) => [alias, Number(version)]),
  );
  for (const { key, value } of await readKeyValueFiles(join(modelDir, 'aliases')))
    merged.set(key, Number(value.trim()));
  return [...merged].map(([alias, version]) => ({ alias, version }));
}

async function readModel(modelDir: string, skipped: SkippedItem[]): Promise<ImportedModel> {
  const meta = await readYamlFile(join(modelDir, 'meta.yaml'));
  const name = text(meta.name);
  if (name === null) throw new Error('meta.yaml has no name');
  const versions: ImportedVersion[] = [];
  for (const folder of await subdirectories(modelDir)) {
    if (!folder.startsWith('version-')) continue;
    try {
      versions.push(await readVersion(join(modelDir, folder)));
    } catch (error) {
      skipped.push({ kind: 'model', id: `${name}/${folder}`, reason: (error as Error).message });
    }
  }
  versions.sort((a, b) => a.version - b.version);
  return {
    name,
    description: text(meta.description),
    tags: await readKeyValueFiles(join(modelDir, 'tags')),
    versions,
    aliases: await readAliases(modelDir, meta),
  };
}

async function readModels(source: ImportSource, modelsDir: string): Promise<void> {
  if (!(await isDirectory(modelsDir))) return;
  for (const folder of await subdirectories(modelsDir)) {
    try {
      source.models.push(await readModel(join(modelsDir, folder), source.skipped));
    } catch (error) {
      source.skipped.push({ kind: 'model', id: folder, reason: (error as Error).message });
    }
  }
}

/**
 * Reads an MLflow file store (`mlruns/`): experiments, their runs with
 * params, metric histories, tags and artifacts, and the registry under
 * `models/`. Experiments in `.trash` are read as deleted.
 */
export async function readMlflowFileStore(root: string): Promise<ImportSource> {
  const source: ImportSource = {
    format: 'mlflow-file-store',
    experiments: [],
    runs: [],
    models: [],
    skipped: [],
  };
  const folders = [
    ...(await subdirectories(root)).filter((name) => name !== 'models' && name !== '.trash'),
    ...((await isDirectory(join(root, '.trash')))
      ? (await subdirectories(join(root, '.trash'))).map((name) => `.trash/${name}`)
      : []),
  ];
  for (const folder of folders) {
    try {
      await readExperiment(source, join(root, folder), folder);
    } catch (error) {
      source.skipped.push({ kind: 'experiment', id: folder, reason: (error as Error).message });
    }
  }
  await readModels(source, join(root, 'models'));
  return source;
}
