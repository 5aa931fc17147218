import type { FastifyInstance } from 'fastify';
import { requestScope } from '../auth/request-scope.ts';
import { NotFoundError, InvalidRequestError } from '../errors.ts';
import { costOverview } from '../query/cost.ts';
import { inflightSeries } from '../query/inflight.ts';
import {
  summaryFromSpansOrMetrics,
  timeToFirstTokenFromSpansOrMetrics,
  timeseriesFromSpansOrMetrics,
} from '../query/panel-source.ts';
import { withRegistryLabels } from '../query/registry-labels.ts';
import { TRACE_SEARCH_PARAMS, parseTraceSearch } from '../query/trace-search-params.ts';
import {
  WINDOW_PARAMS,
  assertKnownParams,
  parseGroupBy,
  parseLlmQuery,
  parseStepMs,
  type QueryString,
} from '../query/params.ts';
import type { GroupBy, LlmQuery, Store } from '../store/store.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';
import { logToJson, spanToJson } from './span-json.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;

function windowJson(query: LlmQuery): { from: string; to: string } {
  return {
    from: new Date(query.fromUnixMs).toISOString(),
    to: new Date(query.toUnixMs).toISOString(),
  };
}

/** Adds the registry stage and aliases to groups keyed by a registered model version. */
async function labelGroups<G extends { key: string | null }>(
  groups: readonly G[],
  groupBy: GroupBy | null,
  tracking: TrackingStore | null,
  query: LlmQuery,
): Promise<readonly G[]> {
  if (groupBy !== 'registeredModel') return groups;
  return withRegistryLabels(groups, tracking, query.projectId);
}

/**
 * Registers the query API under /api/v1. With `tracking`, groups by registered model carry
 * the version's stage and aliases from the model registry.
 */
export function registerQueryRoutes(
  app: FastifyInstance,
  store: Store,
  now: () => number,
  tracking: TrackingStore | null = null,
): void {
  app.get('/api/v1/llm/summary', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...WINDOW_PARAMS, 'groupBy']);
    const query = parseLlmQuery(params, now(), requestScope(request).projectId);
    const groupBy = parseGroupBy(params, true)!;
    // Applications that send metrics but no spans still get their panels.
    const { source, data } = await summaryFromSpansOrMetrics(store, query, groupBy);
    const groups = source === 'spans' ? await labelGroups(data, groupBy, tracking, query) : data;
    return { ...windowJson(query), groupBy, source, groups };
  });

  app.get('/api/v1/llm/timeseries', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...WINDOW_PARAMS, 'groupBy', 'stepMs']);
    const query = parseLlmQuery(params, now(), requestScope(request).projectId);
    const groupBy = parseGroupBy(params, false);
    const stepMs = parseStepMs(params, query.toUnixMs - query.fromUnixMs);
    const { source, data } = await timeseriesFromSpansOrMetrics(store, query, groupBy, stepMs);
    const series = source === 'spans' ? await labelGroups(data, groupBy, tracking, query) : data;
    return { ...windowJson(query), groupBy, stepMs, source, series };
  });

  app.get('/api/v1/llm/cost', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, WINDOW_PARAMS);
    const query = parseLlmQuery(params, now(), requestScope(request).projectId);
    return { ...windowJson(query), ...(await costOverview(store, query, now())) };
  });

  app.get('/api/v1/llm/dimensions', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, ['from', 'to']);
    const query = parseLlmQuery(params, now(), requestScope(request).projectId);
    return { ...windowJson(query), ...(await store.dimensions(query)) };
  });

  app.get('/api/v1/llm/inflight', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...WINDOW_PARAMS, 'stepMs']);
    const query = parseLlmQuery(params, now(), requestScope(request).projectId);
    const stepMs = parseStepMs(params, query.toUnixMs - query.fromUnixMs);
    return { ...windowJson(query), stepMs, ...(await inflightSeries(store, query, stepMs)) };
  });

  app.get('/api/v1/llm/ttft', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...WINDOW_PARAMS, 'groupBy', 'stepMs']);
    const query = parseLlmQuery(params, now(), requestScope(request).projectId);
    const groupBy = parseGroupBy(params, false);
    const stepMs = parseStepMs(params, query.toUnixMs - query.fromUnixMs);
    const { source, data: series } = await timeToFirstTokenFromSpansOrMetrics(
      store,
      query,
      groupBy,
      stepMs,
    );
    return { ...windowJson(query), groupBy, stepMs, source, series };
  });

  app.get('/api/v1/traces', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...WINDOW_PARAMS, ...TRACE_SEARCH_PARAMS]);
    const search = parseTraceSearch(params, now(), requestScope(request).projectId);
    return { ...windowJson(search), traces: await store.listTraces(search) };
  });

  app.get('/api/v1/traces/:traceId', async (request) => {
    assertKnownParams(request.query as QueryString, []);
    const { traceId } = request.params as { traceId: string };
    const normalized = traceId.toLowerCase();
    if (!TRACE_ID.test(normalized)) {
      throw new InvalidRequestError(
        `trace id "${traceId}" is invalid; use 32 hexadecimal characters`,
      );
    }
    const { projectId } = requestScope(request);
    const spans = await store.getTrace(projectId, normalized);
    const logs = await store.traceLogs(projectId, normalized);
    if (spans.length === 0 && logs.length === 0)
      throw new NotFoundError(`trace ${normalized} was not found`);
    const spanIds = new Set(spans.map((span) => span.spanId));
    return {
      traceId: normalized,
      // Log records, GenAI events among them, sit on their span; the rest belong to the trace only.
      spans: spans.map((span) => ({
        ...spanToJson(span),
        logs: logs.filter((record) => record.spanId === span.spanId).map(logToJson),
      })),
      logs: logs.filter((record) => !spanIds.has(record.spanId)).map(logToJson),
    };
  });
}
