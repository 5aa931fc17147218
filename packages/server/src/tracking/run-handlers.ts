import { randomUUID } from 'node:crypto';
import { runArtifactUri } from './artifact-uri.ts';
import { RUN_STATUSES, VIEW_TYPES, type Run, type RunInfo } from './entities.ts';
import { requireExperiment } from './experiment-handlers.ts';
import { invalidParameter, notFound } from './mlflow-error.ts';
import { parseOrderByList } from './order-by.ts';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.ts';
import {
  keyValueList,
  optionalEnum,
  optionalInt64,
  optionalString,
  requireRunId,
  stringList,
} from './request-fields.ts';
import { randomRunName } from './run-names.ts';
import { RUN_DIALECT } from './search-dialects.ts';
import { parseSearchFilter } from './search-filter.ts';
import type { MlflowHandler, MlflowRoute, TrackingContext } from './tracking-context.ts';
import type { NewRun } from './tracking-store.ts';
import { validateTag } from './validation.ts';
import { runInfoJson, runJson } from './wire-format.ts';

export const RUN_NAME_TAG = 'mlflow.runName';

/** Loads a run or throws RESOURCE_DOES_NOT_EXIST. */
export async function requireRun(context: TrackingContext, runId: string): Promise<Run> {
  const run = await context.store.getRun(runId);
  if (run === null) throw notFound(`Run with id=${runId} not found`);
  return run;
}

function checkActive(info: RunInfo): void {
  if (info.lifecycleStage !== 'active') {
    throw invalidParameter(
      `The run ${info.runId} must be in the 'active' state. Current state is ${info.lifecycleStage}.`,
    );
  }
}

/** Loads a run that may be written to: MLflow refuses writes to deleted runs. */
export async function requireActiveRun(context: TrackingContext, runId: string): Promise<Run> {
  const run = await requireRun(context, runId);
  checkActive(run.info);
  return run;
}

/** Like `requireActiveRun` without loading the run's data. */
export async function requireActiveRunInfo(
  context: TrackingContext,
  runId: string,
): Promise<RunInfo> {
  const info = await context.store.getRunInfo(runId);
  if (info === null) throw notFound(`Run with id=${runId} not found`);
  checkActive(info);
  return info;
}

function resolveRunName(requested: string | undefined, tagValue: string | undefined): string {
  if (requested && tagValue !== undefined && requested !== tagValue) {
    throw invalidParameter(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${requested}', mlflow.runName='${tagValue}').`,
    );
  }
  return requested || tagValue || randomRunName();
}

const createRun: MlflowHandler = async (context, { fields }) => {
  const experiment = await requireExperiment(
    context,
    optionalString(fields, 'experiment_id') || '0',
  );
  if (experiment.lifecycleStage !== 'active') {
    throw invalidParameter(
      `Could not create run under non-active experiment with ID ${experiment.experimentId}.`,
    );
  }
  const tags = keyValueList(fields, 'tags');
  for (const tag of tags) validateTag(tag);
  const runName = resolveRunName(
    optionalString(fields, 'run_name'),
    tags.find((tag) => tag.key === RUN_NAME_TAG)?.value,
  );
  const runId = randomUUID().replaceAll('-', '');
  const run: NewRun = {
    runId,
    experimentId: experiment.experimentId,
    userId: optionalString(fields, 'user_id') ?? '',
    runName,
    startTimeMs: optionalInt64(fields, 'start_time') ?? context.now(),
    artifactUri: runArtifactUri(experiment.artifactLocation, runId),
    tags: [
      ...tags.filter((tag) => tag.key !== RUN_NAME_TAG),
      { key: RUN_NAME_TAG, value: runName },
    ],
  };
  await context.store.createRun(run);
  return { run: runJson(newRunView(run)) };
};

/** Builds the stored form of a run that was just created, so creation needs no read back. */
function newRunView(run: NewRun): Run {
  // Keys are unique after this, as in the tags table, so the sort never compares equal keys.
  const tags = [...new Map(run.tags.map((tag) => [tag.key, tag])).values()];
  return {
    info: {
      runId: run.runId,
      runName: run.runName,
      experimentId: run.experimentId,
      userId: run.userId,
      status: 'RUNNING',
      startTimeMs: run.startTimeMs,
      endTimeMs: null,
      artifactUri: run.artifactUri,
      lifecycleStage: 'active',
    },
    data: {
      metrics: [],
      params: [],
      tags: tags.sort((a, b) => (a.key < b.key ? -1 : 1)),
    },
    inputs: { datasetInputs: [], modelInputs: [] },
    outputs: { modelOutputs: [] },
  };
}

const getRun: MlflowHandler = async (context, { fields }) => {
  return { run: runJson(await requireRun(context, requireRunId(fields))) };
};

const updateRun: MlflowHandler = async (context, { fields }) => {
  const run = await requireActiveRunInfo(context, requireRunId(fields));
  const info = await context.store.updateRun(run.runId, {
    status: optionalEnum(fields, 'status', RUN_STATUSES),
    endTimeMs: optionalInt64(fields, 'end_time'),
    runName: optionalString(fields, 'run_name') || undefined,
  });
  return { run_info: runInfoJson(info) };
};

function lifecycleHandler(stage: 'active' | 'deleted'): MlflowHandler {
  return async (context, { fields }) => {
    const run = await requireRun(context, requireRunId(fields));
    await context.store.setRunLifecycle(run.info.runId, stage, context.now());
    return {};
  };
}

const searchRuns: MlflowHandler = async (context, { fields }) => {
  const maxResults = checkMaxResults(optionalInt64(fields, 'max_results'), 1000, 50_000);
  const offset = decodePageToken(optionalString(fields, 'page_token'));
  const page = await context.store.searchRuns({
    experimentIds: stringList(fields, 'experiment_ids'),
    filter: parseSearchFilter(optionalString(fields, 'filter'), RUN_DIALECT),
    orderBy: parseOrderByList(stringList(fields, 'order_by'), RUN_DIALECT),
    viewType: optionalEnum(fields, 'run_view_type', VIEW_TYPES) ?? 'ACTIVE_ONLY',
    maxResults,
    offset,
  });
  const response: Record<string, unknown> = { runs: page.items.map(runJson) };
  if (page.hasMore) response.next_page_token = encodePageToken(offset + maxResults);
  return response;
};

export const RUN_ROUTES: readonly MlflowRoute[] = [
  { method: 'POST', path: '/runs/create', handler: createRun },
  { method: 'GET', path: '/runs/get', handler: getRun },
  { method: 'POST', path: '/runs/update', handler: updateRun },
  { method: 'POST', path: '/runs/delete', handler: lifecycleHandler('deleted') },
  { method: 'POST', path: '/runs/restore', handler: lifecycleHandler('active') },
  { method: 'POST', path: '/runs/search', handler: searchRuns },
];
