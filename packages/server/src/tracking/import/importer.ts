import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { artifactPathOf, runArtifactUri } from '../artifact-uri.ts';
import { checkArtifactPath, type ArtifactStore } from '../artifact-store.ts';
import type { TrackingStore } from '../tracking-store.ts';
import type {
  ImportedExperiment,
  ImportedModel,
  ImportedRun,
  ImportSource,
  SkippedItem,
} from './import-model.ts';

/** Metrics per `logBatch` call, so one long history does not become one huge statement. */
const METRICS_PER_BATCH = 1000;

export interface ImportCounts {
  experiments: number;
  runs: number;
  metrics: number;
  artifacts: number;
  models: number;
  versions: number;
}

export interface ImportReport {
  format: ImportSource['format'];
  imported: ImportCounts;
  skipped: SkippedItem[];
}

export interface ImportOptions {
  store: TrackingStore;
  /** The files behind `mlflow-artifacts:` URIs; encrypts them when the server does. */
  artifacts: ArtifactStore;
  nowMs: number;
  /** Called after each item with the count done, the total and a one-line description. */
  onProgress: (done: number, total: number, line: string) => void;
}

interface ImportState {
  options: ImportOptions;
  report: ImportReport;
  experimentIds: Map<string, string>;
  /** Source artifact URI and Foghorn artifact URI of each run, to rewrite model version sources. */
  runUris: Map<string, { from: string | null; to: string }>;
}

async function importExperiment(
  state: ImportState,
  experiment: ImportedExperiment,
): Promise<string> {
  const { store, nowMs } = state.options;
  const existing = await store.getExperimentByName(experiment.name);
  if (existing !== null) {
    state.experimentIds.set(experiment.name, existing.experimentId);
    return `experiment "${experiment.name}" already present`;
  }
  const experimentId = await store.createExperiment({
    name: experiment.name,
    artifactLocation: null,
    tags: experiment.tags,
    nowMs: experiment.creationTimeMs ?? nowMs,
  });
  if (experiment.lifecycleStage === 'deleted')
    await store.setExperimentLifecycle(experimentId, 'deleted', nowMs);
  state.experimentIds.set(experiment.name, experimentId);
  state.report.imported.experiments += 1;
  return `experiment "${experiment.name}" imported`;
}

async function copyArtifacts(
  state: ImportState,
  run: ImportedRun,
  artifactUri: string,
): Promise<void> {
  const root = artifactPathOf(artifactUri);
  if (root === null) {
    if (run.artifacts.length > 0)
      state.report.skipped.push({
        kind: 'run',
        id: run.runId,
        reason: `${run.artifacts.length} artifact files not copied: the experiment stores artifacts at ${artifactUri}, outside Foghorn`,
      });
    return;
  }
  for (const artifact of run.artifacts) {
    const target = posix.join(root, checkArtifactPath(artifact.artifactPath));
    await state.options.artifacts.write(target, createReadStream(artifact.filePath));
    state.report.imported.artifacts += 1;
  }
}

async function writeRun(
  state: ImportState,
  run: ImportedRun,
  experimentId: string,
): Promise<string> {
  const { store, nowMs } = state.options;
  const experiment = (await store.getExperiment(experimentId))!;
  const artifactUri = runArtifactUri(experiment.artifactLocation, run.runId);
  await store.createRun({
    runId: run.runId,
    experimentId,
    userId: run.userId,
    runName: run.runName,
    startTimeMs: run.startTimeMs,
    artifactUri,
    tags: run.tags,
  });
  await store.logBatch(run.runId, { metrics: [], params: run.params, tags: [] });
  for (let start = 0; start < run.metrics.length; start += METRICS_PER_BATCH) {
    const metrics = run.metrics.slice(start, start + METRICS_PER_BATCH);
    await store.logBatch(run.runId, { metrics, params: [], tags: [] });
  }
  await store.updateRun(run.runId, {
    status: run.status,
    ...(run.endTimeMs === null ? {} : { endTimeMs: run.endTimeMs }),
  });
  if (run.lifecycleStage === 'deleted') await store.setRunLifecycle(run.runId, 'deleted', nowMs);
  await copyArtifacts(state, run, artifactUri);
  state.report.imported.runs += 1;
  state.report.imported.metrics += run.metrics.length;
  return artifactUri;
}

async function importRun(state: ImportState, run: ImportedRun): Promise<string> {
  const existing = await state.options.store.getRunInfo(run.runId);
  if (existing !== null) {
    state.runUris.set(run.runId, { from: run.sourceArtifactUri, to: existing.artifactUri });
    state.report.skipped.push({ kind: 'run', id: run.runId, reason: 'already present in Foghorn' });
    return `run ${run.runId} skipped: already present`;
  }
  const experimentId = state.experimentIds.get(run.experimentName);
  if (experimentId === undefined) {
    state.report.skipped.push({
      kind: 'run',
      id: run.runId,
      reason: `its experiment "${run.experimentName}" could not be imported`,
    });
    return `run ${run.runId} skipped`;
  }
  const artifactUri = await writeRun(state, run, experimentId);
  state.runUris.set(run.runId, { from: run.sourceArtifactUri, to: artifactUri });
  return `run ${run.runId} imported (${run.metrics.length} metric points, ${run.artifacts.length} artifacts)`;
}

/** Points a version's source at the imported run's artifacts when it pointed into the source run's folder. */
function rewriteSource(state: ImportState, source: string, runId: string | null): string {
  const uris = runId === null ? undefined : state.runUris.get(runId);
  if (uris === undefined || uris.from === null || !source.startsWith(uris.from)) return source;
  return uris.to + source.slice(uris.from.length);
}

async function importModel(state: ImportState, model: ImportedModel): Promise<string> {
  const { store, nowMs } = state.options;
  if ((await store.getRegisteredModel(model.name)) !== null) {
    state.report.skipped.push({
      kind: 'model',
      id: model.name,
      reason: 'already present in Foghorn',
    });
    return `model "${model.name}" skipped: already present`;
  }
  await store.createRegisteredModel({
    name: model.name,
    description: model.description,
    tags: model.tags,
    nowMs,
  });
  // NOTE: Foghorn numbers versions 1, 2, 3 in order, so a source with gaps
  // (deleted versions) gets its later versions renumbered.
  for (const version of model.versions) {
    const source = rewriteSource(state, version.source, version.runId);
    const created = await store.createModelVersion({
      name: model.name,
      source,
      storageLocation: source,
      runId: version.runId,
      runLink: version.runLink,
      modelId: null,
      description: version.description,
      userId: null,
      tags: version.tags,
      nowMs,
    });
    if (version.stage !== 'None')
      await store.transitionStage(model.name, created.version, version.stage, false, nowMs);
    state.report.imported.versions += 1;
  }
  for (const { alias, version } of model.aliases) await store.setAlias(model.name, alias, version);
  state.report.imported.models += 1;
  return `model "${model.name}" imported (${model.versions.length} versions)`;
}

/**
 * Writes what a reader found into the tracking store and copies run
 * artifacts. Items already present (same run ID, model name) are skipped, so
 * a second import of the same source changes nothing.
 */
export async function importIntoStore(
  source: ImportSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const state: ImportState = {
    options,
    report: {
      format: source.format,
      imported: { experiments: 0, runs: 0, metrics: 0, artifacts: 0, models: 0, versions: 0 },
      skipped: [...source.skipped],
    },
    experimentIds: new Map(),
    runUris: new Map(),
  };
  const steps: (() => Promise<string>)[] = [
    ...source.experiments.map((experiment) => () => importExperiment(state, experiment)),
    ...source.runs.map((run) => () => importRun(state, run)),
    ...source.models.map((model) => () => importModel(state, model)),
  ];
  for (const [index, step] of steps.entries()) {
    options.onProgress(index + 1, steps.length, await step());
  }
  return state.report;
}
