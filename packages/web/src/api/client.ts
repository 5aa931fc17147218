import { FILTER_NAMES, type Filters } from '../state/filters.ts';
import type { ResolvedTimeRange } from '../state/time-range.ts';
import { ApiError, apiErrorFromResponse } from './api-error.ts';
import type {
  CostResponse,
  DimensionsResponse,
  GroupBy,
  IngestInfo,
  SummaryResponse,
  TimeseriesResponse,
} from './types.ts';

/** The window and filters every LLM query takes. */
export interface QueryScope {
  range: ResolvedTimeRange;
  filters: Filters;
}

export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/** Builds the query string shared by the LLM endpoints, with `from` and `to` in Unix ms. */
export function buildScopeQuery(scope: QueryScope, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  params.set('from', String(Math.floor(scope.range.fromMs)));
  params.set('to', String(Math.floor(scope.range.toMs)));
  for (const name of FILTER_NAMES) {
    const value = scope.filters[name];
    if (value !== undefined) {
      params.set(name, value);
    }
  }
  for (const [name, value] of Object.entries(extra)) {
    params.set(name, value);
  }
  return params.toString();
}

/** GETs a path relative to the page and parses the JSON body; failures become ApiError. */
export async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  const routePath = path.split('?')[0] ?? path;
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      'NETWORK_ERROR',
      `${routePath} could not be reached (${reason}). Check that the Foghorn server is running.`,
      0,
    );
  }
  if (!response.ok) {
    throw await apiErrorFromResponse(response, routePath);
  }
  return (await response.json()) as T;
}

export function fetchSummary(
  scope: QueryScope,
  groupBy: GroupBy,
  signal: AbortSignal,
): Promise<SummaryResponse> {
  return getJson(`api/v1/llm/summary?${buildScopeQuery(scope, { groupBy })}`, signal);
}

export function fetchTimeseries(
  scope: QueryScope,
  groupBy: GroupBy,
  signal: AbortSignal,
): Promise<TimeseriesResponse> {
  return getJson(`api/v1/llm/timeseries?${buildScopeQuery(scope, { groupBy })}`, signal);
}

export function fetchCost(scope: QueryScope, signal: AbortSignal): Promise<CostResponse> {
  return getJson(`api/v1/llm/cost?${buildScopeQuery(scope)}`, signal);
}

/** Fetches filter menu values; filters are left out so every menu lists all choices. */
export function fetchDimensions(
  range: ResolvedTimeRange,
  signal: AbortSignal,
): Promise<DimensionsResponse> {
  return getJson(`api/v1/llm/dimensions?${buildScopeQuery({ range, filters: {} })}`, signal);
}

/**
 * Fetches where applications send spans. Servers without `/api/v1/info` get the default
 * OTLP/HTTP endpoint, so the empty state always has an address to show.
 */
export async function fetchIngestInfo(signal: AbortSignal): Promise<IngestInfo> {
  try {
    const body = await getJson<Record<string, unknown>>('api/v1/info', signal);
    return ingestInfoFromBody(body);
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    return ingestInfoFromEndpoint(DEFAULT_OTLP_ENDPOINT);
  }
}

/** Reads the OTLP endpoint from an info body, accepting a base URL or a `/v1/traces` URL. */
export function ingestInfoFromBody(body: Record<string, unknown>): IngestInfo {
  const candidates = [body.otlpTracesUrl, body.otlpHttpEndpoint, body.otlpEndpoint, body.otlp];
  for (const candidate of candidates) {
    const url = urlFromCandidate(candidate);
    if (url !== null) {
      return ingestInfoFromEndpoint(url.replace(/\/v1\/traces\/?$/, ''));
    }
  }
  return ingestInfoFromEndpoint(DEFAULT_OTLP_ENDPOINT);
}

function urlFromCandidate(candidate: unknown): string | null {
  if (typeof candidate === 'string' && /^https?:\/\//.test(candidate)) {
    return candidate;
  }
  if (candidate !== null && typeof candidate === 'object') {
    const nested = candidate as Record<string, unknown>;
    return urlFromCandidate(nested.tracesUrl) ?? urlFromCandidate(nested.endpoint);
  }
  return null;
}

function ingestInfoFromEndpoint(endpoint: string): IngestInfo {
  const base = endpoint.replace(/\/+$/, '');
  return { otlpEndpoint: base, otlpTracesUrl: `${base}/v1/traces` };
}
