import type { Labels } from './labels.ts';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** An Alertmanager-style label matcher. A missing label matches as the empty string. */
export interface Matcher {
  name: string;
  operator: MatchOperator;
  value: string;
}

const MATCHER_TEXT =
  /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s{}!=~,\\"'`]*))\s*$/;

/** Parses `name="value"`, `name!=value`, `name=~"re"` or `name!~"re"`; throws naming the text and the form. */
export function parseMatcher(text: string): Matcher {
  const match = MATCHER_TEXT.exec(text);
  if (!match) {
    throw new Error(
      `matcher "${text}" is invalid; write name="value", name!="value", name=~"regex" or name!~"regex"`,
    );
  }
  const quoted = match[3];
  const value = quoted === undefined ? (match[4] ?? '') : (JSON.parse(`"${quoted}"`) as string);
  const matcher: Matcher = { name: match[1]!, operator: match[2] as MatchOperator, value };
  if (matcher.operator.endsWith('~')) compileAnchored(matcher.value);
  return matcher;
}

const regexCache = new Map<string, RegExp>();

/** Regex matchers are fully anchored, as in Alertmanager. */
function compileAnchored(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`);
    regexCache.set(pattern, regex);
  }
  return regex;
}

export function matchesOne(matcher: Matcher, labels: Labels): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return compileAnchored(matcher.value).test(value);
    case '!~':
      return !compileAnchored(matcher.value).test(value);
  }
}

/** True when every matcher matches; an empty list matches everything. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((matcher) => matchesOne(matcher, labels));
}

export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.operator}${JSON.stringify(matcher.value)}`;
}
