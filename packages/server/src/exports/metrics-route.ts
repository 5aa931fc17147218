import type { FastifyInstance } from 'fastify';
import { EXPOSITION_CONTENT_TYPE } from './exposition.ts';
import type { LlmMetrics } from './llm-metrics.ts';

/** Serves the span-derived metrics at `GET /metrics` for Prometheus to scrape. */
export function registerMetricsRoute(app: FastifyInstance, metrics: LlmMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', EXPOSITION_CONTENT_TYPE).send(metrics.render());
  });
}
