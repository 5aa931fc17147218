import type { Labels } from './labels.ts';

/** Values an annotation template can use. */
export interface TemplateData {
  labels: Labels;
  value: number;
  threshold: number;
}

const ACTION = /\{\{\s*([^}]*?)\s*\}\}/g;
const PIPES = ['humanize', 'percent'] as const;

/**
 * Expands `{{ $labels.NAME }}`, `{{ $value }}` and `{{ $threshold }}`, each
 * optionally piped through `humanize` (four significant digits) or `percent`
 * (a ratio shown as a percentage). A bad action becomes
 * `<error expanding template: ...>` instead of failing the rule.
 */
export function expandTemplate(template: string, data: TemplateData): string {
  return template.replace(ACTION, (_whole, action: string) => {
    try {
      return evaluateAction(action, data);
    } catch (error) {
      return `<error expanding template: ${(error as Error).message}>`;
    }
  });
}

/** Returns a message for each action of `template` that cannot expand, for rule checks. */
export function checkTemplate(template: string): string[] {
  const problems: string[] = [];
  const opens = template.split('{{').length - 1;
  const closes = template.split('}}').length - 1;
  if (opens !== closes) problems.push('unbalanced "{{" and "}}"');
  for (const match of template.matchAll(ACTION)) {
    try {
      evaluateAction(match[1] ?? '', { labels: {}, value: 0, threshold: 0 });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

function evaluateAction(action: string, data: TemplateData): string {
  const [head = '', ...pipes] = action.split('|').map((part) => part.trim());
  let value: string | number;
  if (head === '$value') value = data.value;
  else if (head === '$threshold') value = data.threshold;
  else if (head.startsWith('$labels.')) value = data.labels[head.slice('$labels.'.length)] ?? '';
  else throw new Error(`unknown value "${head}"; use $value, $threshold or $labels.NAME`);
  for (const pipe of pipes) value = applyPipe(pipe, value);
  return typeof value === 'number' ? formatNumber(value) : value;
}

function applyPipe(pipe: string, value: string | number): string {
  if (!(PIPES as readonly string[]).includes(pipe)) {
    throw new Error(`unknown function "${pipe}"; use ${PIPES.join(' or ')}`);
  }
  const number = typeof value === 'number' ? value : Number(value);
  if (pipe === 'percent') return `${formatNumber(number * 100)}%`;
  return formatNumber(number);
}

/** Formats with at most four significant digits and no exponent for everyday magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
