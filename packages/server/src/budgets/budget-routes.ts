import type { FastifyInstance } from 'fastify';
import { requestScope } from '../auth/request-scope.ts';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { BudgetBook } from './budgets.ts';

/**
 * Registers `GET /api/v1/budgets`, `PUT` and `DELETE /api/v1/budgets/:tenant`. Each
 * request reads and changes the budgets of its own project only.
 */
export function registerBudgetRoutes(app: FastifyInstance, budgets: BudgetBook): void {
  app.get('/api/v1/budgets', async (request) => ({
    tenants: budgets.list(requestScope(request).projectId),
  }));

  app.put('/api/v1/budgets/:tenant', async (request) => {
    const { tenant } = request.params as { tenant: string };
    const body = request.body as { monthlyUsd?: unknown } | null;
    const monthlyUsd = body?.monthlyUsd;
    if (typeof monthlyUsd !== 'number' || !Number.isFinite(monthlyUsd) || monthlyUsd <= 0) {
      throw new InvalidRequestError(
        `field "monthlyUsd" has the invalid value ${JSON.stringify(monthlyUsd)}; send {"monthlyUsd": 500} with a positive number of USD`,
      );
    }
    budgets.set(requestScope(request).projectId, tenant, monthlyUsd);
    return { tenant, monthlyUsd };
  });

  app.delete('/api/v1/budgets/:tenant', async (request) => {
    const { tenant } = request.params as { tenant: string };
    const { projectId } = requestScope(request);
    if (budgets.get(projectId, tenant) === null)
      throw new NotFoundError(`tenant "${tenant}" has no budget`);
    budgets.set(projectId, tenant, null);
    return { tenant, deleted: true };
  });
}
