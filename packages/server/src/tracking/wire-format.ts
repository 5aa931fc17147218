import type {
  DatasetInput,
  Experiment,
  KeyValue,
  LoggedModel,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunInfo,
} from './entities.ts';

/** JSON for a double as protobuf's JSON mapping writes it: NaN and the infinities are strings. */
export function doubleToJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** Copies `fields` without undefined and null values: protobuf JSON omits unset fields. */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

const keyValues = (pairs: readonly KeyValue[]): KeyValue[] =>
  pairs.map(({ key, value }) => ({ key, value }));

export function experimentJson(experiment: Experiment): Record<string, unknown> {
  return {
    experiment_id: experiment.experimentId,
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    last_update_time: experiment.lastUpdateTimeMs,
    creation_time: experiment.creationTimeMs,
    tags: keyValues(experiment.tags),
  };
}

export function runInfoJson(info: RunInfo): Record<string, unknown> {
  return compact({
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTimeMs,
    end_time: info.endTimeMs,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  });
}

export function metricJson(metric: Metric): Record<string, unknown> {
  return compact({
    key: metric.key,
    value: doubleToJson(metric.value),
    timestamp: metric.timestampMs,
    step: metric.step,
    dataset_name: metric.datasetName,
    dataset_digest: metric.datasetDigest,
    model_id: metric.modelId,
    run_id: metric.runId,
  });
}

function datasetInputJson(input: DatasetInput): Record<string, unknown> {
  const { dataset } = input;
  return {
    tags: keyValues(input.tags),
    dataset: compact({
      name: dataset.name,
      digest: dataset.digest,
      source_type: dataset.sourceType,
      source: dataset.source,
      schema: dataset.schema,
      profile: dataset.profile,
    }),
  };
}

export function runJson(run: Run): Record<string, unknown> {
  return {
    info: runInfoJson(run.info),
    data: {
      metrics: run.data.metrics.map(metricJson),
      params: keyValues(run.data.params),
      tags: keyValues(run.data.tags),
    },
    inputs: {
      dataset_inputs: run.inputs.datasetInputs.map(datasetInputJson),
      model_inputs: run.inputs.modelInputs.map((input) => ({ model_id: input.modelId })),
    },
    outputs: {
      model_outputs: run.outputs.modelOutputs.map((output) => ({
        model_id: output.modelId,
        step: output.step,
      })),
    },
  };
}

export function loggedModelJson(model: LoggedModel): Record<string, unknown> {
  return {
    info: compact({
      model_id: model.modelId,
      experiment_id: model.experimentId,
      name: model.name,
      creation_timestamp_ms: model.creationTimestampMs,
      last_updated_timestamp_ms: model.lastUpdatedTimestampMs,
      artifact_uri: model.artifactUri,
      status: model.status,
      creator_id: model.creatorId,
      model_type: model.modelType,
      source_run_id: model.sourceRunId,
      status_message: model.statusMessage,
      tags: keyValues(model.tags),
    }),
    data: { params: keyValues(model.params), metrics: model.metrics.map(metricJson) },
  };
}

export function modelVersionJson(version: ModelVersion): Record<string, unknown> {
  return compact({
    name: version.name,
    version: String(version.version),
    creation_timestamp: version.creationTimestampMs,
    last_updated_timestamp: version.lastUpdatedTimestampMs,
    user_id: version.userId,
    current_stage: version.currentStage,
    description: version.description ?? '',
    source: version.source,
    run_id: version.runId ?? '',
    status: 'READY',
    tags: keyValues(version.tags),
    run_link: version.runLink ?? '',
    aliases: version.aliases,
    model_id: version.modelId,
  });
}

export function registeredModelJson(model: RegisteredModel): Record<string, unknown> {
  return compact({
    name: model.name,
    creation_timestamp: model.creationTimestampMs,
    last_updated_timestamp: model.lastUpdatedTimestampMs,
    user_id: model.userId,
    description: model.description ?? '',
    latest_versions: model.latestVersions.map(modelVersionJson),
    tags: keyValues(model.tags),
    aliases: model.aliases.map(({ alias, version }) => ({ alias, version: String(version) })),
  });
}
