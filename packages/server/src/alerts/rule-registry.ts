import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { FoghornError, InvalidRequestError, NotFoundError } from '../errors.ts';
import type { AlertStore } from './alert-store.ts';
import type { CompiledRule } from './compiled-rule.ts';
import { DEFAULT_PACK_YAML } from './default-pack.ts';
import { checkRule } from './rule-check.ts';
import { formatRuleFileProblem, parseRuleFiles, type RuleFileProblem } from './rule-file.ts';

export const RULES_DIR_NAME = 'alerts';
export const DEFAULT_PACK_FILE_NAME = 'default.yaml';

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
      const result = checkRule(stored.spec, { kind: 'api' });
      if (result.ok) this.apiRules.push(result.rule);
      else
        this.logger.error(
          { ruleId: stored.id, problems: result.problems },
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

  rules(): CompiledRule[] {
    const fileIds = new Set(this.fileRules.map((rule) => rule.id));
    return [...this.fileRules, ...this.apiRules.filter((rule) => !fileIds.has(rule.id))];
  }

  problems(): RuleFileProblem[] {
    return [...this.fileProblems];
  }

  find(id: string): CompiledRule | undefined {
    return this.rules().find((rule) => rule.id === id);
  }

  /** Creates (`replace` false) or replaces an API rule; throws with every problem found. */
  async save(input: unknown, nowMs: number, replaceId: string | null): Promise<CompiledRule> {
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
    this.assertWritable(rule.id, replaceId === null);
    await this.store.upsertApiRule({ id: rule.id, spec: input, updatedMs: nowMs });
    this.apiRules = [...this.apiRules.filter((existing) => existing.id !== rule.id), rule];
    return rule;
  }

  async remove(id: string): Promise<void> {
    this.assertWritable(id, false);
    if (!(await this.store.deleteApiRule(id)))
      throw new NotFoundError(`alert rule "${id}" was not found`);
    this.apiRules = this.apiRules.filter((rule) => rule.id !== id);
  }

  private assertWritable(id: string, creating: boolean): void {
    const fileRule = this.fileRules.find((rule) => rule.id === id);
    if (fileRule !== undefined && fileRule.origin.kind === 'file') {
      throw new RuleConflictError(
        `alert rule "${id}" is defined in ${fileRule.origin.path}; edit that file instead`,
      );
    }
    const exists = this.apiRules.some((rule) => rule.id === id);
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
