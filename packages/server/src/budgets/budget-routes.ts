import type { FastifyInstance } from 'fastify';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { BudgetBook } from './budgets.ts';

/** Registers `GET /api/v1/budgets`, `PUT` and `DELETE /api/v1/budgets/:tenant`. */
export function registerBudgetRoutes(app: FastifyInstance, budgets: BudgetBook): void {
  app.get('/api/v1/budgets', async () => ({ tenants: budgets.list() }));

  app.put('/api/v1/budgets/:tenant', async (request) => {
    const { tenant } = request.params as { tenant: string };
    const body = request.body as { monthlyUsd?: unknown } | null;
    const monthlyUsd = body?.monthlyUsd;
    if (typeof monthlyUsd !== 'number' || !Number.isFinite(monthlyUsd) || monthlyUsd <= 0) {
      throw new InvalidRequestError(
        `field "monthlyUsd" has the invalid value ${JSON.stringify(monthlyUsd)}; send {"monthlyUsd": 500} with a positive number of USD`,
      );
    }
    budgets.set(tenant, monthlyUsd);
    return { tenant, monthlyUsd };
  });

  app.delete('/api/v1/budgets/:tenant', async (request) => {
    const { tenant } = request.params as { tenant: string };
    if (budgets.get(tenant) === null) throw new NotFoundError(`tenant "${tenant}" has no budget`);
    budgets.set(tenant, null);
    return { tenant, deleted: true };
  });
}
