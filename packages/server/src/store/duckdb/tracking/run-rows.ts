import type {
  DatasetInput,
  KeyValue,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunStatus,
} from '../../../tracking/entities.ts';
import { listValue } from '@duckdb/node-api';
import {
  num,
  numOrNull,
  strOrNull,
  type Row,
  type SqlParam,
  type TrackingDb,
} from './tracking-db.ts';

export function toRunInfo(row: Row): RunInfo {
  return {
    runId: String(row.run_id),
    runName: String(row.run_name ?? ''),
    experimentId: String(num(row.experiment_id)),
    userId: String(row.user_id ?? ''),
    status: row.status as RunStatus,
    startTimeMs: numOrNull(row.start_time),
    endTimeMs: numOrNull(row.end_time),
    artifactUri: String(row.artifact_uri ?? ''),
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

export function toMetric(row: Row): Metric {
  const metric: Metric = {
    key: String(row.key),
    value: Number(row.value),
    timestampMs: num(row.timestamp),
    step: num(row.step),
  };
  const datasetName = strOrNull(row.dataset_name);
  const datasetDigest = strOrNull(row.dataset_digest);
  const modelId = strOrNull(row.model_id);
  if (datasetName !== null) metric.datasetName = datasetName;
  if (datasetDigest !== null) metric.datasetDigest = datasetDigest;
  if (modelId !== null) metric.modelId = modelId;
  return metric;
}

function toDatasetInput(row: Row): DatasetInput {
  const dataset: DatasetInput['dataset'] = {
    name: String(row.name),
    digest: String(row.digest),
    sourceType: String(row.source_type ?? ''),
    source: String(row.source ?? ''),
  };
  if (row.schema !== null && row.schema !== undefined) dataset.schema = String(row.schema);
  if (row.profile !== null && row.profile !== undefined) dataset.profile = String(row.profile);
  return { tags: JSON.parse(String(row.tags_json ?? '[]')) as KeyValue[], dataset };
}

/** A SQL table of the run IDs bound as list parameter $1, to semi-join child tables against. */
const ID_TABLE = '(SELECT unnest($1::VARCHAR[]) AS run_id)';

/**
 * The child rows of a page of runs, in three narrow queries: converting DuckDB
 * values to JS costs per cell, so one wide UNION with mostly NULL cells costs
 * more than three queries. `kind` names the table of each row.
 */
const RUN_DATA_QUERIES: readonly string[] = [
  `SELECT run_id, 'metric' AS kind, key, value, timestamp, step, dataset_name, dataset_digest,
     model_id FROM mlflow_latest_metrics WHERE run_id IN (SELECT run_id FROM ${ID_TABLE} t)
   ORDER BY key`,
  `SELECT run_id, 'param' AS kind, key, value AS text FROM mlflow_params
     WHERE run_id IN (SELECT run_id FROM ${ID_TABLE} t)
   UNION ALL SELECT run_id, 'tag', key, value FROM mlflow_tags
     WHERE run_id IN (SELECT run_id FROM ${ID_TABLE} t)
   ORDER BY kind, key`,
  `SELECT run_id, 'dataset' AS kind, name AS key, NULL AS step, NULL AS model_id, digest,
     source_type, source, schema, profile, tags_json
     FROM mlflow_run_dataset_inputs WHERE run_id IN (SELECT run_id FROM ${ID_TABLE} t)
   UNION ALL SELECT run_id, direction, NULL, step, model_id, NULL, NULL, NULL, NULL, NULL, NULL
     FROM mlflow_run_model_io WHERE run_id IN (SELECT run_id FROM ${ID_TABLE} t)
   ORDER BY kind, key, digest, model_id`,
];

function emptyRun(info: RunInfo): Run {
  return {
    info,
    data: { metrics: [], params: [], tags: [] },
    inputs: { datasetInputs: [], modelInputs: [] },
    outputs: { modelOutputs: [] },
  };
}

function addRow(run: Run, row: Row): void {
  switch (row.kind) {
    case 'metric':
      run.data.metrics.push(toMetric(row));
      return;
    case 'param':
      run.data.params.push({ key: String(row.key), value: String(row.text) });
      return;
    case 'tag':
      run.data.tags.push({ key: String(row.key), value: String(row.text) });
      return;
    case 'dataset':
      run.inputs.datasetInputs.push(toDatasetInput({ ...row, name: row.key }));
      return;
    case 'input':
      run.inputs.modelInputs.push({ modelId: String(row.model_id) });
      return;
    default:
      run.outputs.modelOutputs.push({ modelId: String(row.model_id), step: num(row.step) });
  }
}

/**
 * Completes run rows (of `mlflow_runs`) into whole runs: latest metrics, params, tags, inputs, outputs.
 * Run ids are unique across projects, so the child rows of runs already read from one project are that project's.
 */
export async function completeRuns(db: TrackingDb, infoRows: Row[]): Promise<Run[]> {
  if (infoRows.length === 0) return [];
  const runs = new Map(infoRows.map((row) => [String(row.run_id), emptyRun(toRunInfo(row))]));
  const ids: SqlParam[] = [listValue([...runs.keys()])];
  for (const sql of RUN_DATA_QUERIES) {
    for (const row of await db.all(sql, ids)) {
      const run = runs.get(String(row.run_id));
      if (run !== undefined) addRow(run, row);
    }
  }
  return [...runs.values()];
}

/** Loads whole runs of the project in the order of `runIds`, skipping unknown IDs. */
export async function loadRuns(
  db: TrackingDb,
  projectId: string,
  runIds: readonly string[],
): Promise<Run[]> {
  if (runIds.length === 0) return [];
  const infos = await db.all(
    `SELECT * FROM mlflow_runs
     WHERE run_id IN (SELECT run_id FROM ${ID_TABLE} t) AND project_id = $2`,
    [listValue([...runIds]), projectId],
  );
  const byId = new Map((await completeRuns(db, infos)).map((run) => [run.info.runId, run]));
  return runIds.flatMap((runId) => {
    const run = byId.get(runId);
    return run === undefined ? [] : [run];
  });
}

/** Loads only the run's info row: the cheap check before a write. */
export async function loadRunInfo(
  db: TrackingDb,
  projectId: string,
  runId: string,
): Promise<RunInfo | null> {
  const rows = await db.all('SELECT * FROM mlflow_runs WHERE run_id = $1 AND project_id = $2', [
    runId,
    projectId,
  ]);
  return rows.length === 0 ? null : toRunInfo(rows[0]!);
}
