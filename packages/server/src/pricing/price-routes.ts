import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertInstanceAdmin } from '../auth/instance-admin.ts';
import { requestScope } from '../auth/request-scope.ts';
import { InvalidRequestError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { PriceBook } from './price-book.ts';
import { azureDeploymentsSchema, writePriceSettings } from './prices-file.ts';
import { priceOverrideSchema } from './overrides.ts';
import { repriceWindow } from './reprice.ts';
import { parseRepriceWindow } from './reprice-window.ts';

export interface PriceRouteOptions {
  book: PriceBook;
  dataDir: string;
  store: Store;
  now: () => number;
}

const overridesBodySchema = z.strictObject({ overrides: z.array(priceOverrideSchema) });
const deploymentsBodySchema = z.strictObject({ deployments: azureDeploymentsSchema });
const repriceBodySchema = z.strictObject({
  from: z.union([z.string(), z.number()]).optional(),
  to: z.union([z.string(), z.number()]).optional(),
});
const resolveQuerySchema = z.strictObject({
  model: z.string().min(1),
  provider: z.string().min(1).optional(),
  at: z.string().optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequestError(
    `field "${issue?.path.join('.') || '(body)'}" is invalid: ${issue?.message ?? 'invalid'}; send ${example}`,
  );
}

/**
 * Registers `GET`/`PUT /api/v1/prices/overrides`, `GET`/`PUT /api/v1/prices/azure-deployments`,
 * `GET /api/v1/prices/resolve` and `POST /api/v1/prices/reprice`. Overrides and the
 * Azure mapping are instance-wide: every project reads them, and only an admin of the
 * `default` project changes them. Changes are written to `<dataDir>/prices.yaml` and
 * price spans ingested from then on; stored spans keep their cost until their own
 * project re-prices them.
 */
export function registerPriceRoutes(app: FastifyInstance, options: PriceRouteOptions): void {
  const { book, dataDir } = options;
  app.get('/api/v1/prices/overrides', async () => ({ overrides: book.overrides() }));

  app.put('/api/v1/prices/overrides', async (request) => {
    assertInstanceAdmin(requestScope(request), 'price overrides');
    const body = parseBody(
      overridesBodySchema,
      request.body,
      '{"overrides": [{"model": "gpt-4o", "input": 2.5, "output": 10}]}',
    );
    book.setOverrides(body.overrides);
    writePriceSettings(dataDir, book);
    return { overrides: book.overrides() };
  });

  app.get('/api/v1/prices/azure-deployments', async () => ({
    deployments: book.azureDeployments(),
  }));

  app.put('/api/v1/prices/azure-deployments', async (request) => {
    assertInstanceAdmin(requestScope(request), 'Azure deployment mappings');
    const body = parseBody(
      deploymentsBodySchema,
      request.body,
      '{"deployments": {"prod-chat": "gpt-4o-2024-08-06"}}',
    );
    book.setAzureDeployments(body.deployments);
    writePriceSettings(dataDir, book);
    return { deployments: book.azureDeployments() };
  });

  app.get('/api/v1/prices/resolve', async (request) => {
    const query = parseBody(
      resolveQuerySchema,
      request.query,
      '?model=gpt-4o&provider=openai&at=2026-03-01',
    );
    const atUnixMs = query.at === undefined ? options.now() : Date.parse(query.at);
    if (!Number.isFinite(atUnixMs)) {
      throw new InvalidRequestError(
        `parameter "at" has the invalid value "${query.at}"; use an RFC 3339 time or a day such as 2026-03-01`,
      );
    }
    const resolved = book.resolve(
      query.model,
      query.provider ?? null,
      BigInt(atUnixMs) * 1_000_000n,
    );
    return { model: query.model, provider: query.provider ?? null, resolved };
  });

  app.post('/api/v1/prices/reprice', async (request) => {
    const body = parseBody(
      repriceBodySchema,
      request.body,
      '{"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}',
    );
    const window = parseRepriceWindow(body.from, body.to, options.now());
    return repriceWindow(options.store, book, {
      ...window,
      projectId: requestScope(request).projectId,
    });
  });
}
