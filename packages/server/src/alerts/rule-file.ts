import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ruleKey, type CompiledRule, type RuleProblem } from './compiled-rule.ts';
import { checkRule } from './rule-check.ts';

/** A problem in a rule file, located by 1-based line and column. */
export interface RuleFileProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, such as `rules[2].threshold`. */
  field: string;
  /** The value found there, as YAML text; null when the field is missing. */
  value: string | null;
  message: string;
}

export interface RuleFileResult {
  rules: CompiledRule[];
  problems: RuleFileProblem[];
}

/** Formats a problem as `file:line:column: field: message (value: ...)`. */
export function formatRuleFileProblem(problem: RuleFileProblem): string {
  const value = problem.value === null ? '' : ` (value: ${problem.value})`;
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.field}: ${problem.message}${value}`;
}

/** Parses the text of one rule file and checks every rule in it. */
export function parseRuleFile(text: string, file: string): RuleFileResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  if (document.errors.length > 0) {
    return {
      rules: [],
      problems: document.errors.map((error) => yamlProblem(file, error, locate)),
    };
  }
  const root = document.contents;
  if (root === null) return { rules: [], problems: [] };
  const rulesNode = isMap(root) ? root.get('rules', true) : undefined;
  if (!isMap(root) || (rulesNode !== undefined && !isSeq(rulesNode))) {
    const at = locate(rangeStart(root as Node));
    return {
      rules: [],
      problems: [
        {
          file,
          line: at.line,
          column: at.col,
          field: 'rules',
          value: null,
          message: 'a rule file is a mapping with a list under "rules:"',
        },
      ],
    };
  }
  return checkRuleNodes(document, file, locate);
}

function checkRuleNodes(
  document: Document,
  file: string,
  locate: (offset: number) => { line: number; col: number },
): RuleFileResult {
  const rules: CompiledRule[] = [];
  const problems: RuleFileProblem[] = [];
  const data = document.toJS() as { rules?: unknown[] };
  (data.rules ?? []).forEach((input, index) => {
    const idAt = locate(
      rangeStart(document.getIn(['rules', index, 'id'], true) as Node | undefined),
    );
    const result = checkRule(input, {
      kind: 'file',
      path: file,
      line: idAt.line,
      column: idAt.col,
    });
    if (result.ok) {
      rules.push(result.rule);
      return;
    }
    for (const problem of result.problems) {
      problems.push(locateProblem(document, file, index, problem, locate));
    }
  });
  return { rules, problems };
}

function locateProblem(
  document: Document,
  file: string,
  index: number,
  problem: RuleProblem,
  locate: (offset: number) => { line: number; col: number },
): RuleFileProblem {
  const fullPath = ['rules', index, ...problem.path];
  let node: unknown = undefined;
  let depth = fullPath.length;
  while (depth > 0 && node === undefined) {
    node = document.getIn(fullPath.slice(0, depth), true);
    if (node === undefined) depth--;
  }
  const at = locate(rangeStart(node as Node | undefined));
  const found = depth === fullPath.length && node !== undefined;
  return {
    file,
    line: at.line,
    column: at.col,
    field: formatPath(fullPath),
    value: found ? String((node as Node).toString()).trim() : null,
    message: depth === fullPath.length ? problem.message : `missing: ${problem.message}`,
  };
}

function rangeStart(node: Node | undefined): number {
  return node?.range?.[0] ?? 0;
}

function formatPath(path: (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function yamlProblem(
  file: string,
  error: { message: string; pos: [number, number] },
  locate: (offset: number) => { line: number; col: number },
): RuleFileProblem {
  const at = locate(error.pos[0]);
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return {
    file,
    line: at.line,
    column: at.col,
    field: '(yaml)',
    value: null,
    message: `invalid YAML: ${firstLine}`,
  };
}

/** Parses several rule files and reports every rule id defined twice at the line of the later definition. */
export function parseRuleFiles(files: readonly { path: string; text: string }[]): RuleFileResult {
  const rules: CompiledRule[] = [];
  const problems: RuleFileProblem[] = [];
  for (const file of files) {
    const result = parseRuleFile(file.text, file.path);
    rules.push(...result.rules);
    problems.push(...result.problems);
  }
  return { rules: dropDuplicateIds(rules, problems), problems };
}

/**
 * Keeps the first rule of each id within a project and reports the later ones where their
 * `id` is written. Two projects may use the same id.
 */
function dropDuplicateIds(rules: CompiledRule[], problems: RuleFileProblem[]): CompiledRule[] {
  const seen = new Map<string, CompiledRule>();
  for (const rule of rules) {
    const key = ruleKey(rule.projectId, rule.id);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, rule);
      continue;
    }
    if (rule.origin.kind !== 'file') continue;
    problems.push({
      file: rule.origin.path,
      line: rule.origin.line ?? 1,
      column: rule.origin.column ?? 1,
      field: 'id',
      value: rule.id,
      message: `duplicate rule id; ${describeOrigin(first)} defines it already, so this rule is skipped`,
    });
  }
  return [...seen.values()];
}

function describeOrigin(rule: CompiledRule): string {
  if (rule.origin.kind !== 'file') return 'the rules API';
  return rule.origin.line === undefined
    ? rule.origin.path
    : `${rule.origin.path}:${rule.origin.line}`;
}
