import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requestScope } from '../auth/request-scope.ts';
import { eraseUserData } from '../erasure/erasure-service.ts';
import { InvalidRequestError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { SpanPrivacy } from './span-privacy.ts';

const MAX_USER_ID_CHARS = 1024;

const erasureBody = z
  .object({
    userId: z.string().min(1).max(MAX_USER_ID_CHARS),
    requestedBy: z.string().min(1).max(200).optional(),
  })
  .strict();

export interface PrivacyRouteOptions {
  privacy: SpanPrivacy;
  store: Store;
  logger: Logger;
  now: () => number;
}

function parseErasure(body: unknown): z.infer<typeof erasureBody> {
  const parsed = erasureBody.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  throw new InvalidRequestError(
    `${field} is invalid: ${issue.message}; send {"userId": "<raw id or anon:… pseudonym>", "requestedBy": "<who asks>"}`,
  );
}

/**
 * Registers `GET /api/v1/privacy/stats` (the caller's project's redaction counts
 * since start, in total and per service) and `POST /api/v1/privacy/erasure` (deletes one user's data
 * and returns the rows deleted per table).
 */
export function registerPrivacyRoutes(app: FastifyInstance, options: PrivacyRouteOptions): void {
  app.get('/api/v1/privacy/stats', async (request) => {
    const stats = options.privacy.stats(requestScope(request).projectId);
    return {
      since: new Date(stats.sinceUnixMs).toISOString(),
      totals: stats.totals,
      services: Object.entries(stats.byService).map(([service, counters]) => ({
        service,
        ...counters,
      })),
    };
  });

  app.post('/api/v1/privacy/erasure', async (request) => {
    const { userId, requestedBy } = parseErasure(request.body);
    const command = {
      projectId: requestScope(request).projectId,
      userId,
      requestedBy: requestedBy ?? 'api',
    };
    const entry = await eraseUserData(
      options.store,
      options.privacy.userIdentity,
      command,
      options.logger,
      options.now(),
    );
    return {
      erasureId: entry.id,
      requestedAt: new Date(entry.requestedAtUnixMs).toISOString(),
      requestedBy: entry.requestedBy,
      user: entry.loggedUserId,
      counts: entry.counts,
    };
  });
}
