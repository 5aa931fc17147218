import { randomUUID } from 'node:crypto';
import { artifactPathOf, loggedModelArtifactUri } from './artifact-uri.ts';
import { LOGGED_MODEL_STATUSES, type LoggedModel } from './entities.ts';
import { requireExperiment } from './experiment-handlers.ts';
import { invalidParameter, notFound } from './mlflow-error.ts';
import type { OrderByClause } from './order-by.ts';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.ts';
import {
  keyValueList,
  objectList,
  optionalBool,
  optionalEnum,
  optionalInt64,
  optionalString,
  requireString,
  stringList,
  type Fields,
} from './request-fields.ts';
import { randomRunName } from './run-names.ts';
import { LOGGED_MODEL_DIALECT } from './search-dialects.ts';
import { parseSearchFilter, resolveIdentifier } from './search-filter.ts';
import { tokenize } from './filter-tokens.ts';
import type { MlflowHandler, MlflowRoute, TrackingContext } from './tracking-context.ts';
import { validateParam, validateTag } from './validation.ts';
import { loggedModelJson } from './wire-format.ts';

/** Loads a logged model or throws RESOURCE_DOES_NOT_EXIST. */
export async function requireLoggedModel(
  context: TrackingContext,
  modelId: string,
): Promise<LoggedModel> {
  const model = await context.store.getLoggedModel(modelId);
  if (model === null || model.lifecycleStage !== 'active') {
    throw notFound(`Logged model with ID '${modelId}' not found.`);
  }
  return model;
}

const createLoggedModel: MlflowHandler = async (context, { fields }) => {
  const experiment = await requireExperiment(context, requireString(fields, 'experiment_id'));
  const params = keyValueList(fields, 'params');
  const tags = keyValueList(fields, 'tags');
  params.forEach(validateParam);
  tags.forEach((tag) => validateTag(tag));
  const modelId = `m-${randomUUID().replaceAll('-', '')}`;
  await context.store.createLoggedModel({
    modelId,
    experimentId: experiment.experimentId,
    name: optionalString(fields, 'name') || randomRunName(),
    artifactUri: loggedModelArtifactUri(experiment.artifactLocation, modelId),
    modelType: optionalString(fields, 'model_type') ?? null,
    sourceRunId: optionalString(fields, 'source_run_id') || null,
    creatorId: null,
    params,
    tags,
    nowMs: context.now(),
  });
  return { model: loggedModelJson(await requireLoggedModel(context, modelId)) };
};

const getLoggedModel: MlflowHandler = async (context, { pathParams }) => {
  return { model: loggedModelJson(await requireLoggedModel(context, pathParams.model_id!)) };
};

const finalizeLoggedModel: MlflowHandler = async (context, { fields, pathParams }) => {
  const model = await requireLoggedModel(context, pathParams.model_id!);
  const status = optionalEnum(fields, 'status', LOGGED_MODEL_STATUSES, 0);
  if (status === undefined) {
    throw invalidParameter(
      "Missing value for required parameter 'status'. See the API docs for more information about request parameters.",
    );
  }
  await context.store.finalizeLoggedModel(model.modelId, status, context.now());
  return { model: loggedModelJson(await requireLoggedModel(context, model.modelId)) };
};

const deleteLoggedModel: MlflowHandler = async (context, { pathParams }) => {
  const model = await requireLoggedModel(context, pathParams.model_id!);
  await context.store.deleteLoggedModel(model.modelId, context.now());
  return {};
};

const setLoggedModelTags: MlflowHandler = async (context, { fields, pathParams }) => {
  const model = await requireLoggedModel(context, pathParams.model_id!);
  const tags = keyValueList(fields, 'tags');
  tags.forEach((tag) => validateTag(tag));
  await context.store.setLoggedModelTags(model.modelId, tags, context.now());
  return { model: loggedModelJson(await requireLoggedModel(context, model.modelId)) };
};

const deleteLoggedModelTag: MlflowHandler = async (context, { pathParams }) => {
  const model = await requireLoggedModel(context, pathParams.model_id!);
  const key = pathParams.tag_key!;
  if (!model.tags.some((tag) => tag.key === key)) {
    throw notFound(`No tag with key '${key}' found for logged model with ID '${model.modelId}'.`);
  }
  await context.store.deleteLoggedModelTag(model.modelId, key);
  return {};
};

const logLoggedModelParams: MlflowHandler = async (context, { fields, pathParams }) => {
  const model = await requireLoggedModel(context, pathParams.model_id!);
  const params = keyValueList(fields, 'params');
  params.forEach(validateParam);
  await context.store.logLoggedModelParams(model.modelId, params);
  return {};
};

/** Reads the structured order-by entries (`field_name`, `ascending`) of a logged-model search. */
function readLoggedModelOrder(fields: Fields): OrderByClause[] {
  return objectList(fields, 'order_by').map((entry) => {
    const fieldName = requireString(entry, 'field_name');
    const [token, ...rest] = tokenize(fieldName);
    if (token === undefined || rest.length > 0) {
      throw invalidParameter(`Invalid order_by field_name '${fieldName}'.`);
    }
    const identifier = resolveIdentifier(
      token,
      LOGGED_MODEL_DIALECT,
      LOGGED_MODEL_DIALECT.orderAttributes,
    );
    return { ...identifier, ascending: optionalBool(entry, 'ascending') ?? true };
  });
}

const searchLoggedModels: MlflowHandler = async (context, { fields }) => {
  const maxResults = checkMaxResults(optionalInt64(fields, 'max_results'), 100, 50_000);
  const offset = decodePageToken(optionalString(fields, 'page_token'));
  const page = await context.store.searchLoggedModels({
    experimentIds: stringList(fields, 'experiment_ids'),
    filter: parseSearchFilter(optionalString(fields, 'filter'), LOGGED_MODEL_DIALECT),
    orderBy: readLoggedModelOrder(fields),
    maxResults,
    offset,
  });
  const response: Record<string, unknown> = { models: page.items.map(loggedModelJson) };
  if (page.hasMore) response.next_page_token = encodePageToken(offset + maxResults);
  return response;
};

const listLoggedModelArtifacts: MlflowHandler = async (context, { fields, pathParams }) => {
  const model = await requireLoggedModel(context, pathParams.model_id!);
  const directory = optionalString(fields, 'artifact_directory_path') ?? '';
  const root = artifactPathOf(model.artifactUri);
  if (root === null) return { root_uri: model.artifactUri, files: [] };
  const entries = await context.artifacts.list(directory === '' ? root : `${root}/${directory}`);
  return {
    root_uri: model.artifactUri,
    files: entries.map((entry) => ({
      path: directory === '' ? entry.path : `${directory.replace(/\/+$/, '')}/${entry.path}`,
      is_dir: entry.isDir,
      ...(entry.fileSizeBytes === undefined ? {} : { file_size: entry.fileSizeBytes }),
    })),
  };
};

export const LOGGED_MODEL_ROUTES: readonly MlflowRoute[] = [
  { method: 'POST', path: '/logged-models', handler: createLoggedModel },
  { method: 'POST', path: '/logged-models/search', handler: searchLoggedModels },
  { method: 'GET', path: '/logged-models/:model_id', handler: getLoggedModel },
  { method: 'PATCH', path: '/logged-models/:model_id', handler: finalizeLoggedModel },
  { method: 'DELETE', path: '/logged-models/:model_id', handler: deleteLoggedModel },
  { method: 'PATCH', path: '/logged-models/:model_id/tags', handler: setLoggedModelTags },
  {
    method: 'DELETE',
    path: '/logged-models/:model_id/tags/:tag_key',
    handler: deleteLoggedModelTag,
  },
  { method: 'POST', path: '/logged-models/:model_id/params', handler: logLoggedModelParams },
  {
    method: 'GET',
    path: '/logged-models/:model_id/artifacts/directories',
    handler: listLoggedModelArtifacts,
  },
];
