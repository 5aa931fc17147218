import type { FastifyInstance } from 'fastify';
import { requestScope } from '../auth/request-scope.ts';
import { EXPOSITION_CONTENT_TYPE } from './exposition.ts';
import type { LlmMetrics } from './llm-metrics.ts';

/**
 * Serves the span-derived metrics at `GET /metrics` for Prometheus to scrape:
 * the series of the caller's project only, each with its `project` label. With
 * auth off every request has the default project, which then contains all data.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: LlmMetrics): void {
  app.get('/metrics', async (request, reply) => {
    const text = metrics.render(requestScope(request).projectId);
    return reply.header('content-type', EXPOSITION_CONTENT_TYPE).send(text);
  });
}
