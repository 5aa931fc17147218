import type { FastifyInstance } from 'fastify';
import { requestScope } from '../auth/request-scope.ts';
import {
  assertKnownParams,
  parseGroupBy,
  parseLlmQuery,
  parseTime,
  type QueryString,
} from '../query/params.ts';
import { costProjection } from '../query/cost.ts';
import { FILTER_NAMES, type Store } from '../store/store.ts';

export interface CostProjectionRouteOptions {
  store: Store;
  now: () => number;
  /** Monthly budget of a tenant of a project in USD, or null. */
  budgetOf: (projectId: string, tenant: string) => number | null;
}

/**
 * Registers `GET /api/v1/llm/cost/projection?groupBy=tenant&at=`: this month's
 * projected cost per group and in total, with each tenant's budget. `at` (RFC 3339
 * or Unix milliseconds, default now) sets the time the projection is made at.
 */
export function registerCostProjectionRoutes(
  app: FastifyInstance,
  options: CostProjectionRouteOptions,
): void {
  app.get('/api/v1/llm/cost/projection', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...FILTER_NAMES, 'groupBy', 'at']);
    const rawAt = params.at;
    const nowMs = typeof rawAt === 'string' ? parseTime('at', rawAt) : options.now();
    const { groupBy: _groupBy, at: _at, ...filterParams } = params;
    const { projectId } = requestScope(request);
    const { filters } = parseLlmQuery(filterParams, nowMs, projectId);
    return costProjection(options.store, {
      projectId,
      filters,
      groupBy: parseGroupBy(params, false),
      nowMs,
      budgetOf: (key) => (key === null ? null : options.budgetOf(projectId, key)),
    });
  });
}
