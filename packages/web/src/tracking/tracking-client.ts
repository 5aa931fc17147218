import { ApiError } from '../api/api-error.ts';
import type {
  ArtifactFileJson,
  ExperimentJson,
  MetricJson,
  ModelVersionJson,
  PromotionPolicyJson,
  RegisteredModelJson,
  RunJson,
  StageTransitionJson,
} from './tracking-types.ts';

const MLFLOW_PREFIX = 'ajax-api/2.0/mlflow';

/** Error bodies of Foghorn's API (`{error: {code, message}}`) and of MLflow's (`{error_code, message}`). */
interface ErrorBodies {
  error?: { code?: string; message?: string };
  error_code?: string;
  message?: string;
}

/** Sends a JSON request and returns the parsed body; an error body of either API becomes an ApiError. */
async function requestJson<T>(
  method: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const response = await fetch(path, {
    method,
    signal,
    headers:
      body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.json().catch(() => ({}))) as ErrorBodies;
  if (response.ok) return parsed as T;
  const message =
    parsed.error?.message ??
    parsed.message ??
    `${path.split('?')[0]} returned HTTP ${response.status}`;
  const code = parsed.error?.code ?? parsed.error_code ?? `HTTP_${response.status}`;
  throw new ApiError(String(code), String(message), response.status);
}

export function searchExperiments(
  signal: AbortSignal,
): Promise<{ experiments?: ExperimentJson[] }> {
  return requestJson('POST', `${MLFLOW_PREFIX}/experiments/search`, { max_results: 1000 }, signal);
}

export interface RunSearchRequest {
  experimentId: string;
  filter: string;
  orderBy: string | null;
  pageToken: string | null;
  maxResults: number;
}

export function searchRuns(
  request: RunSearchRequest,
  signal: AbortSignal,
): Promise<{ runs?: RunJson[]; next_page_token?: string }> {
  return requestJson(
    'POST',
    `${MLFLOW_PREFIX}/runs/search`,
    {
      experiment_ids: [request.experimentId],
      filter: request.filter,
      order_by: request.orderBy === null ? [] : [request.orderBy],
      max_results: request.maxResults,
      ...(request.pageToken === null ? {} : { page_token: request.pageToken }),
    },
    signal,
  );
}

export function getRun(runId: string, signal: AbortSignal): Promise<{ run: RunJson }> {
  return requestJson(
    'GET',
    `${MLFLOW_PREFIX}/runs/get?run_id=${encodeURIComponent(runId)}`,
    undefined,
    signal,
  );
}

export function getMetricHistory(
  runId: string,
  key: string,
  signal: AbortSignal,
): Promise<{ metrics?: MetricJson[] }> {
  const query = new URLSearchParams({ run_id: runId, metric_key: key, max_results: '25000' });
  return requestJson('GET', `${MLFLOW_PREFIX}/metrics/get-history?${query}`, undefined, signal);
}

export function listArtifacts(
  runId: string,
  path: string,
  signal: AbortSignal,
): Promise<{ files?: ArtifactFileJson[] }> {
  const query = new URLSearchParams({ run_id: runId, path });
  return requestJson('GET', `${MLFLOW_PREFIX}/artifacts/list?${query}`, undefined, signal);
}

/** Returns the download URL of a run's artifact, or null when the run's artifacts live outside Foghorn. */
export function artifactUrl(artifactUri: string, path: string): string | null {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (match === null) return null;
  const segments = [...match[1]!.split('/'), ...path.split('/')].filter((part) => part !== '');
  return `api/2.0/mlflow-artifacts/artifacts/${segments.map(encodeURIComponent).join('/')}`;
}

export function searchRegisteredModels(
  signal: AbortSignal,
): Promise<{ registered_models?: RegisteredModelJson[] }> {
  return requestJson(
    'GET',
    `${MLFLOW_PREFIX}/registered-models/search?max_results=1000`,
    undefined,
    signal,
  );
}

export function searchModelVersions(
  name: string,
  signal: AbortSignal,
): Promise<{ model_versions?: ModelVersionJson[] }> {
  const query = new URLSearchParams({
    filter: `name = '${name.replaceAll("'", "\\'")}'`,
    order_by: 'version_number DESC',
    max_results: '1000',
  });
  return requestJson('GET', `${MLFLOW_PREFIX}/model-versions/search?${query}`, undefined, signal);
}

export function listPolicies(signal: AbortSignal): Promise<{ policies: PromotionPolicyJson[] }> {
  return requestJson('GET', 'api/v1/registry/policies', undefined, signal);
}

export function savePolicy(policy: Omit<PromotionPolicyJson, 'updatedAtMs'>): Promise<unknown> {
  return requestJson('PUT', 'api/v1/registry/policies', policy);
}

export function listTransitions(
  name: string,
  signal: AbortSignal,
): Promise<{ transitions: StageTransitionJson[] }> {
  return requestJson(
    'GET',
    `api/v1/registry/transitions?name=${encodeURIComponent(name)}&limit=100`,
    undefined,
    signal,
  );
}

export function requestTransition(name: string, version: number, stage: string): Promise<unknown> {
  return requestJson('POST', 'api/v1/registry/transitions', {
    name,
    version,
    stage,
    archiveExistingVersions: stage === 'Production',
  });
}
