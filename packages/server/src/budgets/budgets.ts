import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { ConfigError, InvalidRequestError } from '../errors.ts';

/** The budgets file inside the data directory. */
export const BUDGETS_FILE_NAME = 'budgets.yaml';

const budgetSchema = z.strictObject({
  monthly_usd: z.number().positive('a monthly budget is a positive number of USD'),
});

const tenantsSchema = z.record(z.string().min(1), budgetSchema).default({});

const budgetsFileSchema = z.strictObject({
  /** Budgets of the `default` project. */
  tenants: tenantsSchema,
  /** Budgets of other projects, by project id. */
  projects: z.record(z.string().min(1), z.strictObject({ tenants: tenantsSchema })).default({}),
});

type TenantsSection = Record<string, { monthly_usd: number }>;

/** Monthly budgets in USD by tenant. */
export type Budgets = Record<string, number>;

function fromSection(section: TenantsSection): Budgets {
  return Object.fromEntries(
    Object.entries(section).map(([tenant, budget]) => [tenant, budget.monthly_usd]),
  );
}

function toSection(budgets: Budgets): TenantsSection {
  return Object.fromEntries(
    Object.entries(budgets).map(([tenant, usd]) => [tenant, { monthly_usd: usd }]),
  );
}

/**
 * Budgets of tenants per project, read from `<dataDir>/budgets.yaml` and changed through
 * the API. The file's top-level `tenants` belong to the `default` project and
 * `projects.<id>.tenants` to the others. API changes are written back to the file, so it
 * stays the only source.
 */
export class BudgetBook {
  private budgets = new Map<string, Budgets>();
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, BUDGETS_FILE_NAME);
  }

  /** Reads the file; a missing file means no budgets. Throws naming the file and the field. */
  load(): void {
    this.budgets = new Map();
    if (!existsSync(this.path)) return;
    const parsed = budgetsFileSchema.safeParse(parse(readFileSync(this.path, 'utf8')) ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(
        `${this.path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}; write tenants: {TENANT: {monthly_usd: 500}} or projects: {PROJECT: {tenants: {TENANT: {monthly_usd: 500}}}}`,
      );
    }
    this.budgets.set(DEFAULT_PROJECT_ID, fromSection(parsed.data.tenants));
    for (const [projectId, project] of Object.entries(parsed.data.projects)) {
      if (projectId !== DEFAULT_PROJECT_ID)
        this.budgets.set(projectId, fromSection(project.tenants));
    }
  }

  /** The budgets of one project's tenants. */
  list(projectId: string): Budgets {
    return { ...this.budgets.get(projectId) };
  }

  get(projectId: string, tenant: string): number | null {
    const budgets = this.budgets.get(projectId);
    return budgets !== undefined && Object.hasOwn(budgets, tenant) ? budgets[tenant]! : null;
  }

  /** Sets or, with null, removes a tenant's budget in one project and rewrites the file. */
  set(projectId: string, tenant: string, monthlyUsd: number | null): void {
    // The file is read back into plain objects, where this key would set the prototype.
    if (tenant === '__proto__') {
      throw new InvalidRequestError(
        'tenant "__proto__" cannot have a budget; use another tenant id',
      );
    }
    const next = this.list(projectId);
    if (monthlyUsd === null) delete next[tenant];
    else next[tenant] = monthlyUsd;
    const all = new Map(this.budgets).set(projectId, next);
    const projects = Object.fromEntries(
      [...all]
        .filter(([id, budgets]) => id !== DEFAULT_PROJECT_ID && Object.keys(budgets).length > 0)
        .map(([id, budgets]) => [id, { tenants: toSection(budgets) }]),
    );
    const file: Record<string, unknown> = { tenants: toSection(all.get(DEFAULT_PROJECT_ID) ?? {}) };
    if (Object.keys(projects).length > 0) file.projects = projects;
    const temporary = `${this.path}.tmp`;
    writeFileSync(
      temporary,
      `# Monthly budgets in USD by tenant, per project; the projected-cost alarm compares against them.\n${stringify(file)}`,
    );
    renameSync(temporary, this.path);
    this.budgets = all;
  }
}
