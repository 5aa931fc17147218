import { artifactPathOf } from './artifact-uri.ts';
import type { DatasetInput, KeyValue, Metric } from './entities.ts';
import { invalidParameter, notFound } from './mlflow-error.ts';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.ts';
import {
  keyValueList,
  objectList,
  optionalInt64,
  optionalString,
  parseDouble,
  requireInt64,
  requireRunId,
  requireString,
  type Fields,
} from './request-fields.ts';
import {
  RUN_NAME_TAG,
  requireActiveRun,
  requireActiveRunInfo,
  requireRun,
} from './run-handlers.ts';
import type { MlflowHandler, MlflowRoute, TrackingContext } from './tracking-context.ts';
import { validateBatchSize, validateMetric, validateParam, validateTag } from './validation.ts';
import { metricJson } from './wire-format.ts';

const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

/** Reads one metric; `fields` is a log-metric request or one entry of a log-batch. */
function readMetric(fields: Fields): Metric {
  if (fields.value === undefined || fields.value === null) {
    throw invalidParameter(
      "Missing value for required parameter 'value'. See the API docs for more information about request parameters.",
    );
  }
  const metric: Metric = {
    key: requireString(fields, 'key'),
    value: parseDouble(fields.value, 'value'),
    timestampMs: requireInt64(fields, 'timestamp'),
    step: optionalInt64(fields, 'step') ?? 0,
  };
  const modelId = optionalString(fields, 'model_id');
  const datasetName = optionalString(fields, 'dataset_name');
  const datasetDigest = optionalString(fields, 'dataset_digest');
  if (modelId) metric.modelId = modelId;
  if (datasetName) metric.datasetName = datasetName;
  if (datasetDigest) metric.datasetDigest = datasetDigest;
  validateMetric(metric);
  return metric;
}

function readParam(fields: Fields): KeyValue {
  const param = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
  validateParam(param);
  return param;
}

function readTag(fields: Fields): KeyValue {
  const tag = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
  validateTag(tag);
  return tag;
}

/** Writes a batch, renaming the run when the batch sets the `mlflow.runName` tag. */
async function writeBatch(
  context: TrackingContext,
  runId: string,
  batch: { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] },
): Promise<void> {
  await context.store.logBatch(runId, batch);
  const runName = batch.tags.findLast((tag) => tag.key === RUN_NAME_TAG)?.value;
  if (runName !== undefined) await context.store.updateRun(runId, { runName });
}

const logBatch: MlflowHandler = async (context, { fields }) => {
  const runId = requireRunId(fields);
  const metricFields = objectList(fields, 'metrics');
  const paramFields = objectList(fields, 'params');
  const tagFields = objectList(fields, 'tags');
  validateBatchSize(metricFields.length, paramFields.length, tagFields.length);
  const batch = {
    metrics: metricFields.map(readMetric),
    params: paramFields.map(readParam),
    tags: tagFields.map(readTag),
  };
  await requireActiveRunInfo(context, runId);
  await writeBatch(context, runId, batch);
  return {};
};

const logMetric: MlflowHandler = async (context, { fields }) => {
  const runId = requireRunId(fields);
  const metric = readMetric(fields);
  await requireActiveRunInfo(context, runId);
  await writeBatch(context, runId, { metrics: [metric], params: [], tags: [] });
  return {};
};

const logParam: MlflowHandler = async (context, { fields }) => {
  const runId = requireRunId(fields);
  const param = readParam(fields);
  await requireActiveRunInfo(context, runId);
  await writeBatch(context, runId, { metrics: [], params: [param], tags: [] });
  return {};
};

const setTag: MlflowHandler = async (context, { fields }) => {
  const runId = requireRunId(fields);
  const tag = readTag(fields);
  await requireActiveRunInfo(context, runId);
  await writeBatch(context, runId, { metrics: [], params: [], tags: [tag] });
  return {};
};

const deleteTag: MlflowHandler = async (context, { fields }) => {
  const run = await requireActiveRun(context, requireRunId(fields));
  const key = requireString(fields, 'key');
  if (!run.data.tags.some((tag) => tag.key === key)) {
    throw notFound(`No tag with name: ${key} in run with id ${run.info.runId}`);
  }
  await context.store.deleteRunTag(run.info.runId, key);
  return {};
};

const getMetricHistory: MlflowHandler = async (context, { fields }) => {
  const run = await requireRun(context, requireRunId(fields));
  const key = requireString(fields, 'metric_key');
  const requested = optionalInt64(fields, 'max_results');
  const maxResults =
    requested === undefined ? 1_000_000_000 : checkMaxResults(requested, 25_000, 25_000);
  const offset = decodePageToken(optionalString(fields, 'page_token'));
  const page = await context.store.getMetricHistory(run.info.runId, key, { maxResults, offset });
  const response: Record<string, unknown> = { metrics: page.items.map(metricJson) };
  if (page.hasMore) response.next_page_token = encodePageToken(offset + maxResults);
  return response;
};

function readDatasetInput(fields: Fields): DatasetInput {
  const dataset = (fields.dataset ?? {}) as Fields;
  const input: DatasetInput = {
    tags: keyValueList(fields, 'tags'),
    dataset: {
      name: requireString(dataset, 'name'),
      digest: requireString(dataset, 'digest'),
      sourceType: requireString(dataset, 'source_type'),
      source: requireString(dataset, 'source'),
    },
  };
  const schema = optionalString(dataset, 'schema');
  const profile = optionalString(dataset, 'profile');
  if (schema !== undefined) input.dataset.schema = schema;
  if (profile !== undefined) input.dataset.profile = profile;
  return input;
}

const logInputs: MlflowHandler = async (context, { fields }) => {
  const run = await requireActiveRunInfo(context, requireRunId(fields));
  const datasets = objectList(fields, 'datasets').map(readDatasetInput);
  const modelIds = objectList(fields, 'models').map((model) => requireString(model, 'model_id'));
  await context.store.logInputs(run.runId, datasets, modelIds);
  return {};
};

const logOutputs: MlflowHandler = async (context, { fields }) => {
  const run = await requireActiveRunInfo(context, requireRunId(fields));
  const models = objectList(fields, 'models').map((model) => ({
    modelId: requireString(model, 'model_id'),
    step: optionalInt64(model, 'step') ?? 0,
  }));
  await context.store.logOutputs(run.runId, models);
  return {};
};

/** Appends a 2.x `log_model` record to the run's `mlflow.log-model.history` tag (a JSON list). */
const logModel: MlflowHandler = async (context, { fields }) => {
  const run = await requireActiveRun(context, requireRunId(fields));
  const modelJson = requireString(fields, 'model_json');
  let model: Record<string, unknown>;
  try {
    model = JSON.parse(modelJson) as Record<string, unknown>;
  } catch {
    throw invalidParameter(
      `Malformed model info. model_json is not valid JSON: ${modelJson.slice(0, 200)}`,
    );
  }
  const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter(
    (key) => !(key in model),
  );
  if (missing.length > 0) {
    throw invalidParameter(
      `Model json is missing mandatory fields: [${missing.map((key) => `'${key}'`).join(', ')}]`,
    );
  }
  const current = run.data.tags.find((tag) => tag.key === LOG_MODEL_HISTORY_TAG)?.value;
  const history = current === undefined ? [] : (JSON.parse(current) as unknown[]);
  history.push(model);
  const tag = { key: LOG_MODEL_HISTORY_TAG, value: JSON.stringify(history) };
  await context.store.logBatch(run.info.runId, { metrics: [], params: [], tags: [tag] });
  return {};
};

/** Lists a run's artifacts for the MLflow UI and older clients, with paths relative to the run root. */
const listRunArtifacts: MlflowHandler = async (context, { fields }) => {
  const run = await requireRun(context, requireRunId(fields));
  const path = optionalString(fields, 'path') ?? '';
  const root = artifactPathOf(run.info.artifactUri);
  if (root === null) return { root_uri: run.info.artifactUri, files: [] };
  const entries = await context.artifacts.list(path === '' ? root : `${root}/${path}`);
  return {
    root_uri: run.info.artifactUri,
    files: entries.map((entry) => ({
      path: path === '' ? entry.path : `${path.replace(/\/+$/, '')}/${entry.path}`,
      is_dir: entry.isDir,
      ...(entry.fileSizeBytes === undefined ? {} : { file_size: entry.fileSizeBytes }),
    })),
  };
};

export const RUN_LOGGING_ROUTES: readonly MlflowRoute[] = [
  { method: 'POST', path: '/runs/log-batch', handler: logBatch },
  { method: 'POST', path: '/runs/log-metric', handler: logMetric },
  { method: 'POST', path: '/runs/log-parameter', handler: logParam },
  { method: 'POST', path: '/runs/set-tag', handler: setTag },
  { method: 'POST', path: '/runs/delete-tag', handler: deleteTag },
  { method: 'GET', path: '/metrics/get-history', handler: getMetricHistory },
  { method: 'POST', path: '/runs/log-inputs', handler: logInputs },
  { method: 'POST', path: '/runs/outputs', handler: logOutputs },
  { method: 'POST', path: '/runs/log-model', handler: logModel },
  { method: 'GET', path: '/artifacts/list', handler: listRunArtifacts },
];
