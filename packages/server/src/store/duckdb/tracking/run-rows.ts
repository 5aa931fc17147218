import type {
  DatasetInput,
  KeyValue,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunStatus,
} from '../../../tracking/entities.ts';
import { num, numOrNull, strOrNull, stringList, type Row, type TrackingDb } from './tracking-db.ts';

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

function groupBy<T>(rows: Row[], idColumn: string, map: (row: Row) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = String(row[idColumn]);
    const list = groups.get(id);
    if (list) list.push(map(row));
    else groups.set(id, [map(row)]);
  }
  return groups;
}

const toKeyValue = (row: Row): KeyValue => ({ key: String(row.key), value: String(row.value) });

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

/** Loads whole runs (info, latest metrics, params, tags, inputs, outputs) in the order of `runIds`. */
export async function loadRuns(db: TrackingDb, runIds: readonly string[]): Promise<Run[]> {
  if (runIds.length === 0) return [];
  const ids = stringList(runIds);
  const infos = await db.all(`SELECT * FROM mlflow_runs WHERE run_id IN ${ids}`);
  const metrics = await db.all(
    `SELECT * FROM mlflow_latest_metrics WHERE run_id IN ${ids} ORDER BY key`,
  );
  const params = await db.all(`SELECT * FROM mlflow_params WHERE run_id IN ${ids} ORDER BY key`);
  const tags = await db.all(`SELECT * FROM mlflow_tags WHERE run_id IN ${ids} ORDER BY key`);
  const datasets = await db.all(
    `SELECT * FROM mlflow_run_dataset_inputs WHERE run_id IN ${ids} ORDER BY name, digest`,
  );
  const modelIo = await db.all(
    `SELECT * FROM mlflow_run_model_io WHERE run_id IN ${ids} ORDER BY model_id`,
  );
  const infoById = new Map(infos.map((row) => [String(row.run_id), toRunInfo(row)]));
  const metricsById = groupBy(metrics, 'run_id', toMetric);
  const paramsById = groupBy(params, 'run_id', toKeyValue);
  const tagsById = groupBy(tags, 'run_id', toKeyValue);
  const datasetsById = groupBy(datasets, 'run_id', toDatasetInput);
  const inputsById = groupBy(
    modelIo.filter((row) => row.direction === 'input'),
    'run_id',
    (row) => ({
      modelId: String(row.model_id),
    }),
  );
  const outputsById = groupBy(
    modelIo.filter((row) => row.direction === 'output'),
    'run_id',
    (row) => ({
      modelId: String(row.model_id),
      step: num(row.step),
    }),
  );
  return runIds.flatMap((runId) => {
    const info = infoById.get(runId);
    if (!info) return [];
    return [
      {
        info,
        data: {
          metrics: metricsById.get(runId) ?? [],
          params: paramsById.get(runId) ?? [],
          tags: tagsById.get(runId) ?? [],
        },
        inputs: {
          datasetInputs: datasetsById.get(runId) ?? [],
          modelInputs: inputsById.get(runId) ?? [],
        },
        outputs: { modelOutputs: outputsById.get(runId) ?? [] },
      },
    ];
  });
}
