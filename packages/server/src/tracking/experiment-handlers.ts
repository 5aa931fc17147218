import { invalidParameter, alreadyExists, notFound, MlflowError } from './mlflow-error.ts';
import type { Experiment } from './entities.ts';
import { VIEW_TYPES } from './entities.ts';
import { experimentJson } from './wire-format.ts';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.ts';
import { parseOrderByList } from './order-by.ts';
import { parseSearchFilter } from './search-filter.ts';
import { EXPERIMENT_DIALECT } from './search-dialects.ts';
import {
  keyValueList,
  optionalEnum,
  optionalInt64,
  optionalString,
  requireString,
  stringList,
} from './request-fields.ts';
import type { MlflowHandler, MlflowRoute, TrackingContext } from './tracking-context.ts';
import { LIMITS, validateTag } from './validation.ts';

/** Loads an experiment or throws RESOURCE_DOES_NOT_EXIST with MLflow's message. */
export async function requireExperiment(
  context: TrackingContext,
  experimentId: string,
): Promise<Experiment> {
  const experiment = await context.store.getExperiment(experimentId);
  if (experiment === null) throw notFound(`No Experiment with id=${experimentId} exists`);
  return experiment;
}

function checkArtifactLocation(location: string | undefined): void {
  if (location !== undefined && /[?#]/.test(location)) {
    throw invalidParameter(
      `Invalid artifact_location '${location}': it must not contain URL query parameters or a fragment.`,
    );
  }
}

const createExperiment: MlflowHandler = async (context, { fields }) => {
  const name = requireString(fields, 'name');
  const artifactLocation = optionalString(fields, 'artifact_location') || undefined;
  checkArtifactLocation(artifactLocation);
  const tags = keyValueList(fields, 'tags');
  for (const tag of tags) validateTag(tag, LIMITS.experimentTagValueChars);
  if ((await context.store.getExperimentByName(name)) !== null) {
    throw alreadyExists(`Experiment(name=${name}) already exists.`);
  }
  const experimentId = await context.store.createExperiment({
    name,
    artifactLocation: artifactLocation ?? null,
    tags,
    nowMs: context.now(),
  });
  return { experiment_id: experimentId };
};

const getExperiment: MlflowHandler = async (context, { fields }) => {
  const experiment = await requireExperiment(context, requireString(fields, 'experiment_id'));
  return { experiment: experimentJson(experiment) };
};

const getExperimentByName: MlflowHandler = async (context, { fields }) => {
  const name = requireString(fields, 'experiment_name');
  const experiment = await context.store.getExperimentByName(name);
  if (experiment === null) throw notFound(`Could not find experiment with name '${name}'`);
  return { experiment: experimentJson(experiment) };
};

const searchExperiments: MlflowHandler = async (context, { fields }) => {
  const maxResults = checkMaxResults(optionalInt64(fields, 'max_results'), 1000, 50_000);
  const offset = decodePageToken(optionalString(fields, 'page_token'));
  const page = await context.store.searchExperiments({
    filter: parseSearchFilter(optionalString(fields, 'filter'), EXPERIMENT_DIALECT),
    orderBy: parseOrderByList(stringList(fields, 'order_by'), EXPERIMENT_DIALECT),
    viewType: optionalEnum(fields, 'view_type', VIEW_TYPES) ?? 'ACTIVE_ONLY',
    maxResults,
    offset,
  });
  const response: Record<string, unknown> = { experiments: page.items.map(experimentJson) };
  if (page.hasMore) response.next_page_token = encodePageToken(offset + maxResults);
  return response;
};

const updateExperiment: MlflowHandler = async (context, { fields }) => {
  const experiment = await requireExperiment(context, requireString(fields, 'experiment_id'));
  const newName = optionalString(fields, 'new_name');
  if (newName === undefined || newName === '') return {};
  if (experiment.lifecycleStage !== 'active') {
    throw new MlflowError(
      'INVALID_STATE',
      `Cannot rename a non-active experiment ${experiment.experimentId}.`,
    );
  }
  const existing = await context.store.getExperimentByName(newName);
  if (existing !== null && existing.experimentId !== experiment.experimentId) {
    throw alreadyExists(`Experiment(name=${newName}) already exists.`);
  }
  await context.store.renameExperiment(experiment.experimentId, newName, context.now());
  return {};
};

function lifecycleHandler(stage: 'active' | 'deleted'): MlflowHandler {
  return async (context, { fields }) => {
    const experiment = await requireExperiment(context, requireString(fields, 'experiment_id'));
    await context.store.setExperimentLifecycle(experiment.experimentId, stage, context.now());
    return {};
  };
}

const setExperimentTag: MlflowHandler = async (context, { fields }) => {
  const experiment = await requireExperiment(context, requireString(fields, 'experiment_id'));
  const tag = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
  validateTag(tag, LIMITS.experimentTagValueChars);
  await context.store.setExperimentTag(experiment.experimentId, tag);
  return {};
};

const deleteExperimentTag: MlflowHandler = async (context, { fields }) => {
  const experiment = await requireExperiment(context, requireString(fields, 'experiment_id'));
  const key = requireString(fields, 'key');
  if (!experiment.tags.some((tag) => tag.key === key)) {
    throw notFound(`No tag with name: ${key} in experiment with id ${experiment.experimentId}`);
  }
  await context.store.deleteExperimentTag(experiment.experimentId, key);
  return {};
};

export const EXPERIMENT_ROUTES: readonly MlflowRoute[] = [
  { method: 'POST', path: '/experiments/create', handler: createExperiment },
  { method: 'GET', path: '/experiments/get', handler: getExperiment },
  { method: 'GET', path: '/experiments/get-by-name', handler: getExperimentByName },
  { method: 'POST', path: '/experiments/search', handler: searchExperiments },
  { method: 'GET', path: '/experiments/search', handler: searchExperiments },
  { method: 'POST', path: '/experiments/update', handler: updateExperiment },
  { method: 'POST', path: '/experiments/delete', handler: lifecycleHandler('deleted') },
  { method: 'POST', path: '/experiments/restore', handler: lifecycleHandler('active') },
  { method: 'POST', path: '/experiments/set-experiment-tag', handler: setExperimentTag },
  { method: 'POST', path: '/experiments/delete-experiment-tag', handler: deleteExperimentTag },
];
