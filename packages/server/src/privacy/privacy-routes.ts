import type { FastifyInstance } from 'fastify';
import type { SpanPrivacy } from './span-privacy.ts';

/** Registers `GET /api/v1/privacy/stats`: redaction counts since start, in total and per service. */
export function registerPrivacyRoutes(app: FastifyInstance, privacy: SpanPrivacy): void {
  app.get('/api/v1/privacy/stats', async () => {
    const stats = privacy.stats();
    return {
      since: new Date(stats.sinceUnixMs).toISOString(),
      totals: stats.totals,
      services: Object.entries(stats.byService).map(([service, counters]) => ({ service, ...counters })),
    };
  });
}
