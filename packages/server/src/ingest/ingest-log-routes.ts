import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { assertInstanceAdmin } from '../auth/instance-admin.ts';
import { requestScope } from '../auth/request-scope.ts';
import { FoghornError, NotFoundError } from '../errors.ts';
import type { SetAsideSummary, Store } from '../store/store.ts';

export interface IngestLogRouteOptions {
  store: Store;
  logger: Logger;
}

interface IngestLogOperations {
  setAsideSummary(): SetAsideSummary;
  retrySetAside(): Promise<{ batches: number; spans: number }>;
}

/** Returns the store's ingest log operations, or throws a 404 that names the backend's limit. */
function ingestLogOf(store: Store): IngestLogOperations {
  if (store.setAsideSummary === undefined || store.retrySetAside === undefined) {
    throw new NotFoundError(
      'this store has no ingest log: only the embedded DuckDB store sets batches aside, and the ClickHouse store responds to a failed batch with 503 so that its client sends it again',
    );
  }
  return {
    setAsideSummary: () => store.setAsideSummary!(),
    retrySetAside: () => store.retrySetAside!(),
  };
}

/**
 * Turns a failed retry into a 503 with the reason: the loader stopped, or ingest filled the
 * write queue. The batches retried before the failure are in the log, and the rest stay set aside.
 */
function retryFailure(error: unknown): FoghornError {
  // A stopped loader's reason is worded for ingest, so it gets the retry's context here.
  if (error instanceof FoghornError && error.code !== 'STORE_HALTED') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new FoghornError(
    'SET_ASIDE_RETRY_FAILED',
    `retrying the set-aside ingest batches stopped: ${reason}. The batches not retried yet stay set aside; retry again later.`,
    503,
  );
}

/**
 * Registers `GET /api/v1/ingest-log/set-aside` (the batches that the span loader set aside
 * after failed loads, and the copies of damaged log segments) and
 * `POST /api/v1/ingest-log/set-aside/retry` (loads the set-aside batches again). Both cover
 * every project, so only an admin of the `default` project may use them.
 */
export function registerIngestLogRoutes(
  app: FastifyInstance,
  options: IngestLogRouteOptions,
): void {
  app.get('/api/v1/ingest-log/set-aside', async (request) => {
    assertInstanceAdmin(requestScope(request), 'set-aside ingest batches', 'read');
    const summary = ingestLogOf(options.store).setAsideSummary();
    return {
      rejected: summary.rejected,
      damaged: summary.damaged.map((copy) => ({
        path: copy.path,
        bytes: copy.bytes,
        copiedAt: new Date(copy.copiedAtUnixMs).toISOString(),
      })),
    };
  });

  app.post('/api/v1/ingest-log/set-aside/retry', async (request) => {
    assertInstanceAdmin(requestScope(request), 'set-aside ingest batches');
    const retried = await ingestLogOf(options.store)
      .retrySetAside()
      .catch((error: unknown) => {
        throw retryFailure(error);
      });
    options.logger.info(retried, `retrying ${retried.batches} set-aside ingest batches`);
    return retried;
  });
}
