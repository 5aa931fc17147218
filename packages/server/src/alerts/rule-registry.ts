import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { FoghornError, InvalidRequestError, NotFoundError } from '../errors.ts';
import type { AlertStore } from './alert-store.ts';
import { ruleKey, type CompiledRule } from './compiled-rule.ts';
import { DEFAULT_PACK_YAML } from './default-pack.ts';
import { checkRule } from './rule-check.ts';
import { formatRuleFileProblem, parseRuleFiles, type RuleFileProblem } from './rule-file.ts';

export const RULES_DIR_NAME = 'alerts';
export const DEFAULT_PACK_FILE_NAME = 'default.yaml';

/** Returns the rule body with its `project` set to `projectId`, or any other body unchanged for the check to reject. */
function withProject(body: unknown, projectId: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, project: projectId };
}

/** A rule id that exists already, or that belongs to a file. */
export class RuleConflictError extends FoghornError {
  constructor(message: string) {
    super('RULE_CONFLICT', message, 409);
  }
}

/**
 * The rules in force: every `*.yaml` under `<dataDir>/alerts`, reloaded when a
 * file changes, plus the rules created through the API, stored in DuckDB.
 */
export class RuleRegistry {
  private fileRules: CompiledRule[] = [];
  private apiRules: CompiledRule[] = [];
  private fileProblems: RuleFileProblem[] = [];
  private signature = '';
  readonly rulesDir: string;

  constructor(
    dataDir: string,
    private readonly store: AlertStore,
    private readonly logger: Logger,
  ) {
    this.rulesDir = join(dataDir, RULES_DIR_NAME);
  }

  /** Writes the default pack when the rules folder does not exist yet, so a first start has alarms. */
  ensureDefaultPack(): void {
    if (existsSync(this.rulesDir)) return;
    mkdirSync(this.rulesDir, { recursive: true });
    writeFileSync(join(this.rulesDir, DEFAULT_PACK_FILE_NAME), DEFAULT_PACK_YAML);
    this.logger.info(
      { path: join(this.rulesDir, DEFAULT_PACK_FILE_NAME) },
      'wrote the default alarm pack',
    );
  }

  async load(): Promise<void> {
    this.reloadFiles();
    this.apiRules = [];
    for (const stored of await this.store.listApiRules()) {
      const result = checkRule(withProject(stored.spec, stored.projectId), { kind: 'api' });
      if (result.ok) this.apiRules.push(result.rule);
      else
        this.logger.error(
          { ruleId: stored.id, projectId: stored.projectId, problems: result.problems },
          `stored alert rule ${stored.id} is invalid and is skipped`,
        );
    }
  }

  /** Rereads the rule files when their names, sizes or modification times changed. */
  reloadFiles(): void {
    const files = this.listFiles();
    const signature = files
      .map((file) => `${file}:${statSync(file).mtimeMs}:${statSync(file).size}`)
      .join('|');
    if (signature === this.signature) return;
    this.signature = signature;
    const { rules, problems } = parseRuleFiles(
      files.map((path) => ({ path, text: readFileSync(path, 'utf8') })),
    );
    this.fileRules = rules;
    this.fileProblems = problems;
    for (const problem of problems) this.logger.error(formatRuleFileProblem(problem));
    this.logger.info(
      { rules: this.fileRules.length, files: files.length, problems: problems.length },
      'loaded alert rule files',
    );
  }

  /** Every project's rules; a file rule hides an API rule of the same project and id. */
  rules(): CompiledRule[] {
    const fileKeys = new Set(this.fileRules.map((rule) => ruleKey(rule.projectId, rule.id)));
    return [
      ...this.fileRules,
      ...this.apiRules.filter((rule) => !fileKeys.has(ruleKey(rule.projectId, rule.id))),
    ];
  }

  /** The rules of one project. */
  projectRules(projectId: string): CompiledRule[] {
    return this.rules().filter((rule) => rule.projectId === projectId);
  }

  problems(): RuleFileProblem[] {
    return [...this.fileProblems];
  }

  find(projectId: string, id: string): CompiledRule | undefined {
    return this.projectRules(projectId).find((rule) => rule.id === id);
  }

  /**
   * Creates (`replaceId` null) or replaces an API rule of `projectId`; throws with every
   * problem found. The rule belongs to the caller's project whatever project its body names.
   */
  async save(
    projectId: string,
    body: unknown,
    nowMs: number,
    replaceId: string | null,
  ): Promise<CompiledRule> {
    const input = withProject(body, projectId);
    const result = checkRule(input, { kind: 'api' });
    if (!result.ok) {
      const text = result.problems
        .map((problem) => `${problem.path.join('.') || '(rule)'}: ${problem.message}`)
        .join('; ');
      throw new InvalidRequestError(`the alert rule is invalid: ${text}`, 'INVALID_RULE');
    }
    const rule = result.rule;
    if (replaceId !== null && rule.id !== replaceId) {
      throw new InvalidRequestError(
        `the rule id "${rule.id}" in the body differs from "${replaceId}" in the path; send the same id`,
      );
    }
    this.assertWritable(projectId, rule.id, replaceId === null);
    await this.store.upsertApiRule({ projectId, id: rule.id, spec: input, updatedMs: nowMs });
    const key = ruleKey(projectId, rule.id);
    this.apiRules = [
      ...this.apiRules.filter((existing) => ruleKey(existing.projectId, existing.id) !== key),
      rule,
    ];
    return rule;
  }

  async remove(projectId: string, id: string): Promise<void> {
    this.assertWritable(projectId, id, false);
    if (!(await this.store.deleteApiRule(projectId, id)))
      throw new NotFoundError(`alert rule "${id}" was not found`);
    const key = ruleKey(projectId, id);
    this.apiRules = this.apiRules.filter((rule) => ruleKey(rule.projectId, rule.id) !== key);
  }

  private assertWritable(projectId: string, id: string, creating: boolean): void {
    const fileRule = this.fileRules.find((rule) => rule.projectId === projectId && rule.id === id);
    if (fileRule !== undefined && fileRule.origin.kind === 'file') {
      throw new RuleConflictError(
        `alert rule "${id}" is defined in ${fileRule.origin.path}; edit that file instead`,
      );
    }
    const exists = this.apiRules.some((rule) => rule.projectId === projectId && rule.id === id);
    if (creating && exists)
      throw new RuleConflictError(
        `alert rule "${id}" exists already; use PUT /api/v1/alerts/rules/${id} to replace it`,
      );
    if (!creating && !exists) throw new NotFoundError(`alert rule "${id}" was not found`);
  }

  private listFiles(): string[] {
    if (!existsSync(this.rulesDir)) return [];
    return readdirSync(this.rulesDir)
      .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
      .sort()
      .map((name) => join(this.rulesDir, name));
  }
}
