import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** The budgets file inside the data directory. */
export const BUDGETS_FILE_NAME = 'budgets.yaml';

const budgetSchema = z.strictObject({
  monthly_usd: z.number().positive('a monthly budget is a positive number of USD'),
});

const budgetsFileSchema = z.strictObject({
  tenants: z.record(z.string().min(1), budgetSchema).default({}),
});

/** Monthly budgets in USD by tenant. */
export type Budgets = Record<string, number>;

/**
 * Budgets of tenants, read from `<dataDir>/budgets.yaml` and changed through the
 * API. API changes are written back to the file, so it stays the only source.
 */
export class BudgetBook {
  private budgets: Budgets = {};
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, BUDGETS_FILE_NAME);
  }

  /** Reads the file; a missing file means no budgets. Throws naming the file and the field. */
  load(): Budgets {
    if (!existsSync(this.path)) {
      this.budgets = {};
      return this.list();
    }
    const parsed = budgetsFileSchema.safeParse(parse(readFileSync(this.path, 'utf8')) ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(
        `${this.path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}; write tenants: {TENANT: {monthly_usd: 500}}`,
      );
    }
    this.budgets = Object.fromEntries(
      Object.entries(parsed.data.tenants).map(([tenant, budget]) => [tenant, budget.monthly_usd]),
    );
    return this.list();
  }

  list(): Budgets {
    return { ...this.budgets };
  }

  get(tenant: string): number | null {
    return this.budgets[tenant] ?? null;
  }

  /** Sets or, with null, removes a tenant's budget and rewrites the file. */
  set(tenant: string, monthlyUsd: number | null): void {
    const next = { ...this.budgets };
    if (monthlyUsd === null) delete next[tenant];
    else next[tenant] = monthlyUsd;
    const tenants = Object.fromEntries(
      Object.entries(next).map(([name, usd]) => [name, { monthly_usd: usd }]),
    );
    const temporary = `${this.path}.tmp`;
    writeFileSync(
      temporary,
      `# Monthly budgets in USD by tenant; the projected-cost alarm compares against them.\n${stringify({ tenants })}`,
    );
    renameSync(temporary, this.path);
    this.budgets = next;
  }
}
