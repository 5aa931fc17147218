import type { ModelVersion } from './entities.ts';
import { invalidParameter, notFound } from './mlflow-error.ts';
import { requireLoggedModel } from './logged-model-handlers.ts';
import { parseOrderByList } from './order-by.ts';
import { autoPromote, transitionWithPolicy } from './promotion-gate.ts';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.ts';
import { requireRegisteredModel } from './registered-model-handlers.ts';
import { parseStage, parseVersion, validateAlias, validateSource } from './registry-validation.ts';
import {
  keyValueList,
  optionalBool,
  optionalInt64,
  optionalString,
  requireString,
  stringList,
  type Fields,
} from './request-fields.ts';
import { requireRun } from './run-handlers.ts';
import { MODEL_VERSION_DIALECT } from './search-dialects.ts';
import { parseSearchFilter } from './search-filter.ts';
import type { MlflowHandler, MlflowRoute, TrackingContext } from './tracking-context.ts';
import { LIMITS, validateTag } from './validation.ts';
import { modelVersionJson } from './wire-format.ts';

const MODEL_VERSIONS_TAG = 'mlflow.modelVersions';

async function requireVersion(context: TrackingContext, fields: Fields): Promise<ModelVersion> {
  const name = requireString(fields, 'name');
  const version = parseVersion(requireString(fields, 'version'));
  const found = await context.store.getModelVersion(name, version);
  if (found === null) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return found;
}

interface ResolvedSource {
  storageLocation: string;
  runId: string | null;
}

/** Resolves where a version's files are: a logged model, a run path, or the source URI itself. */
async function resolveSource(
  context: TrackingContext,
  source: string,
  runId: string | null,
  modelId: string | null,
): Promise<ResolvedSource> {
  validateSource(source);
  const loggedModelId = /^models:\/(m-[0-9a-f]+)\/?$/.exec(source)?.[1] ?? modelId;
  if (loggedModelId !== null && source.startsWith('models:/')) {
    const model = await requireLoggedModel(context, loggedModelId);
    return { storageLocation: model.artifactUri, runId: runId ?? model.sourceRunId };
  }
  const runPath = /^runs:\/([^/]+)\/?(.*)$/.exec(source);
  if (runPath) {
    const run = await requireRun(context, runPath[1]!);
    const suffix = runPath[2] ? `/${runPath[2]}` : '';
    return { storageLocation: `${run.info.artifactUri}${suffix}`, runId: runId ?? run.info.runId };
  }
  return { storageLocation: source, runId };
}

/** Records the version on its logged model's `mlflow.modelVersions` tag (a JSON list), once. */
async function linkLoggedModel(context: TrackingContext, version: ModelVersion): Promise<void> {
  if (version.modelId === null) return;
  const model = await context.store.getLoggedModel(version.modelId);
  if (model === null) return;
  const current = model.tags.find((tag) => tag.key === MODEL_VERSIONS_TAG)?.value;
  const list =
    current === undefined ? [] : (JSON.parse(current) as { name: string; version: string }[]);
  const entry = { name: version.name, version: String(version.version) };
  if (list.some((item) => item.name === entry.name && item.version === entry.version)) return;
  list.push(entry);
  const tag = { key: MODEL_VERSIONS_TAG, value: JSON.stringify(list) };
  await context.store.setLoggedModelTags(model.modelId, [tag], context.now());
}

const createModelVersion: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  const source = requireString(fields, 'source');
  const tags = keyValueList(fields, 'tags');
  tags.forEach((tag) => validateTag(tag, LIMITS.registryTagValueChars));
  const modelId = optionalString(fields, 'model_id') || null;
  const resolved = await resolveSource(
    context,
    source,
    optionalString(fields, 'run_id') || null,
    modelId,
  );
  const version = await context.store.createModelVersion({
    name: model.name,
    source,
    storageLocation: resolved.storageLocation,
    runId: resolved.runId,
    runLink: optionalString(fields, 'run_link') || null,
    modelId: modelId ?? /^models:\/(m-[0-9a-f]+)\/?$/.exec(source)?.[1] ?? null,
    description: optionalString(fields, 'description') ?? null,
    userId: null,
    tags,
    nowMs: context.now(),
  });
  await linkLoggedModel(context, version);
  await autoPromote(context, version);
  const stored = await context.store.getModelVersion(version.name, version.version);
  return { model_version: modelVersionJson(stored ?? version) };
};

const getModelVersion: MlflowHandler = async (context, { fields }) => {
  return { model_version: modelVersionJson(await requireVersion(context, fields)) };
};

const updateModelVersion: MlflowHandler = async (context, { fields }) => {
  const version = await requireVersion(context, fields);
  const description = optionalString(fields, 'description') ?? '';
  await context.store.updateModelVersion(version.name, version.version, description, context.now());
  return { model_version: modelVersionJson(await requireVersion(context, fields)) };
};

const deleteModelVersion: MlflowHandler = async (context, { fields }) => {
  const version = await requireVersion(context, fields);
  await context.store.deleteModelVersion(version.name, version.version);
  return {};
};

const getDownloadUri: MlflowHandler = async (context, { fields }) => {
  return { artifact_uri: (await requireVersion(context, fields)).storageLocation };
};

const transitionStage: MlflowHandler = async (context, { fields, userName }) => {
  const version = await requireVersion(context, fields);
  const stage = parseStage(requireString(fields, 'stage'));
  const archiveExisting = optionalBool(fields, 'archive_existing_versions') ?? false;
  if (archiveExisting && stage !== 'Staging' && stage !== 'Production') {
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are Staging, Production`,
    );
  }
  await transitionWithPolicy(context, version, {
    name: version.name,
    version: version.version,
    stage,
    archiveExisting,
    actor: userName === null ? 'user' : `user:${userName}`,
    reason: 'requested through the MLflow API',
    nowMs: context.now(),
  });
  return { model_version: modelVersionJson(await requireVersion(context, fields)) };
};

const searchModelVersions: MlflowHandler = async (context, { fields }) => {
  const maxResults = checkMaxResults(optionalInt64(fields, 'max_results'), 10_000, 200_000);
  const offset = decodePageToken(optionalString(fields, 'page_token'));
  const page = await context.store.searchModelVersions({
    filter: parseSearchFilter(optionalString(fields, 'filter'), MODEL_VERSION_DIALECT),
    orderBy: parseOrderByList(stringList(fields, 'order_by'), MODEL_VERSION_DIALECT),
    maxResults,
    offset,
  });
  const response: Record<string, unknown> = { model_versions: page.items.map(modelVersionJson) };
  if (page.hasMore) response.next_page_token = encodePageToken(offset + maxResults);
  return response;
};

const setVersionTag: MlflowHandler = async (context, { fields }) => {
  const version = await requireVersion(context, fields);
  const tag = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
  validateTag(tag, LIMITS.registryTagValueChars);
  await context.store.setModelVersionTag(version.name, version.version, tag);
  return {};
};

const deleteVersionTag: MlflowHandler = async (context, { fields }) => {
  const version = await requireVersion(context, fields);
  await context.store.deleteModelVersionTag(
    version.name,
    version.version,
    requireString(fields, 'key'),
  );
  return {};
};

const setAlias: MlflowHandler = async (context, { fields }) => {
  const alias = requireString(fields, 'alias');
  validateAlias(alias);
  const version = await requireVersion(context, fields);
  await context.store.setAlias(version.name, alias, version.version);
  return {};
};

const deleteAlias: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  await context.store.deleteAlias(model.name, requireString(fields, 'alias'));
  return {};
};

const getVersionByAlias: MlflowHandler = async (context, { fields }) => {
  const model = await requireRegisteredModel(context, requireString(fields, 'name'));
  const alias = requireString(fields, 'alias');
  const version = await context.store.getVersionByAlias(model.name, alias);
  if (version === null) throw notFound(`Registered model alias ${alias} not found.`);
  return { model_version: modelVersionJson(version) };
};

export const MODEL_VERSION_ROUTES: readonly MlflowRoute[] = [
  { method: 'POST', path: '/model-versions/create', handler: createModelVersion },
  { method: 'GET', path: '/model-versions/get', handler: getModelVersion },
  { method: 'PATCH', path: '/model-versions/update', handler: updateModelVersion },
  { method: 'DELETE', path: '/model-versions/delete', handler: deleteModelVersion },
  { method: 'GET', path: '/model-versions/get-download-uri', handler: getDownloadUri },
  { method: 'POST', path: '/model-versions/transition-stage', handler: transitionStage },
  { method: 'GET', path: '/model-versions/search', handler: searchModelVersions },
  { method: 'POST', path: '/model-versions/set-tag', handler: setVersionTag },
  { method: 'DELETE', path: '/model-versions/delete-tag', handler: deleteVersionTag },
  { method: 'POST', path: '/registered-models/alias', handler: setAlias },
  { method: 'DELETE', path: '/registered-models/alias', handler: deleteAlias },
  { method: 'GET', path: '/registered-models/alias', handler: getVersionByAlias },
];
