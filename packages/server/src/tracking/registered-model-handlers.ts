import type { RegisteredModel } from './entities.ts';
import { alreadyExists, notFound } from './mlflow-error.ts';
import { parseOrderByList } from './order-by.ts';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.ts';
import { parseStage } from './registry-validation.ts';
import {
  keyValueList,
  optionalInt64,
  optionalString,
  requireString,
  stringList,
} from './request-fields.ts';
import { REGISTERED_MODEL_DIALECT } from './search-dialects.ts';
import { parseSearchFilter } from './search-filter.ts';
import type { MlflowHandler, MlflowRoute, TrackingContext } from './tracking-context.ts';
import { LIMITS, validateTag } from './validation.ts';
import { modelVersionJson, registeredModelJson } from './wire-format.ts';

/** Loads a registered model or throws RESOURCE_DOES_NOT_EXIST with MLflow's message. */
export async function requireRegisteredModel(
  context: TrackingContext,
  name: string,
): Promise<RegisteredModel> {
  const model = await context.store.getRegisteredModel(name);
  if (model === null) throw notFound(`Registered Model with name=${name} not found`);
  return model;
}

const createRegisteredModel: MlflowHandler = async (context, { fields }) => {
  const name = requireString(fields, 'name');
  const tags = keyValueList(fields, 'tags');
  tags.forEach((tag) => validateTag(tag, LIMITS.registryTagValueChars));
  if ((await context.store.getRegisteredModel(name)) !== null) {
    throw alreadyExists(`Registered Model (name=${name}) already exists.`);
  }
  await context.store.createRegisteredModel({
    name,
    description: optionalString(fields, 'description') ?? null,
    tags,
    nowMs: context.now(),
  });
  return { registered_model: registeredModelJson(await requireRegisteredModel(context, name)) };
};

const getRegisteredModel: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  return { registered_model: registeredModelJson(model) };
};

const renameRegisteredModel: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  const newName = requireString(fields, 'new_name');
  if (newName !== model.name && (await context.store.getRegisteredModel(newName)) !== null) {
    throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
  }
  await context.store.renameRegisteredModel(model.name, newName, context.now());
  return { registered_model: registeredModelJson(await requireRegisteredModel(context, newName)) };
};

const updateRegisteredModel: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  await context.store.updateRegisteredModel(
    model.name,
    optionalString(fields, 'description') ?? '',
    context.now(),
  );
  return {
    registered_model: registeredModelJson(await requireRegisteredModel(context, model.name)),
  };
};

const deleteRegisteredModel: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  await context.store.deleteRegisteredModel(model.name);
  return {};
};

const searchRegisteredModels: MlflowHandler = async (context, { fields }) => {
  const maxResults = checkMaxResults(optionalInt64(fields, 'max_results'), 100, 1000);
  const offset = decodePageToken(optionalString(fields, 'page_token'));
  const page = await context.store.searchRegisteredModels({
    filter: parseSearchFilter(optionalString(fields, 'filter'), REGISTERED_MODEL_DIALECT),
    orderBy: parseOrderByList(stringList(fields, 'order_by'), REGISTERED_MODEL_DIALECT),
    maxResults,
    offset,
  });
  const response: Record<string, unknown> = {
    registered_models: page.items.map(registeredModelJson),
  };
  if (page.hasMore) response.next_page_token = encodePageToken(offset + maxResults);
  return response;
};

/** Returns the newest version in each requested stage (every stage when none is named). */
const getLatestVersions: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  const stages = stringList(fields, 'stages').map(parseStage);
  const versions = model.latestVersions.filter(
    (version) => stages.length === 0 || stages.includes(version.currentStage),
  );
  return { model_versions: versions.map(modelVersionJson) };
};

const setRegisteredModelTag: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  const tag = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
  validateTag(tag, LIMITS.registryTagValueChars);
  await context.store.setRegisteredModelTag(model.name, tag);
  return {};
};

const deleteRegisteredModelTag: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  await context.store.deleteRegisteredModelTag(model.name, requireString(fields, 'key'));
  return {};
};

export const REGISTERED_MODEL_ROUTES: readonly MlflowRoute[] = [
  { method: 'POST', path: '/registered-models/create', handler: createRegisteredModel },
  { method: 'GET', path: '/registered-models/get', handler: getRegisteredModel },
  { method: 'POST', path: '/registered-models/rename', handler: renameRegisteredModel },
  { method: 'PATCH', path: '/registered-models/update', handler: updateRegisteredModel },
  { method: 'DELETE', path: '/registered-models/delete', handler: deleteRegisteredModel },
  { method: 'GET', path: '/registered-models/search', handler: searchRegisteredModels },
  { method: 'POST', path: '/registered-models/get-latest-versions', handler: getLatestVersions },
  { method: 'GET', path: '/registered-models/get-latest-versions', handler: getLatestVersions },
  { method: 'POST', path: '/registered-models/set-tag', handler: setRegisteredModelTag },
  { method: 'DELETE', path: '/registered-models/delete-tag', handler: deleteRegisteredModelTag },
];
