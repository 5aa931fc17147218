import { createHash } from 'node:crypto';

/**
 * What happens to content attributes: `keep` redacts sensitive values and keeps
 * the text, `drop` removes content attributes and content events, `hash` stores
 * `sha256:<hex>` of the redacted text, and `truncate` keeps the first
 * `maxChars` characters of the redacted text.
 */
export type ContentMode = 'keep' | 'drop' | 'hash' | 'truncate';

export interface ContentSetting {
  mode: ContentMode;
  /** Characters kept by `truncate`; required for that mode. */
  maxChars?: number;
}

/** A setting for one service, one environment or both; unset fields match any value. */
export interface ContentRule extends ContentSetting {
  service?: string;
  environment?: string;
}

export interface ContentPolicy {
  default: ContentSetting;
  rules: ContentRule[];
}

const CONTENT_MODES: readonly ContentMode[] = ['keep', 'drop', 'hash', 'truncate'];

/** Throws naming the field when a setting has an unknown mode or `truncate` lacks a positive `maxChars`. */
export function validateContentSetting(setting: ContentSetting, where: string): void {
  if (!CONTENT_MODES.includes(setting.mode)) {
    throw new Error(
      `${where}.mode is "${String(setting.mode)}"; use one of ${CONTENT_MODES.join(', ')}`,
    );
  }
  if (setting.mode !== 'truncate') return;
  const maxChars = setting.maxChars;
  if (maxChars === undefined || !Number.isInteger(maxChars) || maxChars < 1) {
    throw new Error(
      `${where}.maxChars is ${String(maxChars)}; truncate needs a whole number of characters of at least 1`,
    );
  }
}

function specificity(rule: ContentRule): number {
  return (rule.service !== undefined ? 2 : 0) + (rule.environment !== undefined ? 1 : 0);
}

function ruleMatches(rule: ContentRule, service: string, environment: string | null): boolean {
  if (rule.service !== undefined && rule.service !== service) return false;
  return rule.environment === undefined || rule.environment === environment;
}

/**
 * Picks the setting for a service and environment. The most specific matching
 * rule wins: service and environment, then service, then environment; among
 * equally specific rules the first listed wins; with no match, the default.
 */
export function selectContentSetting(
  policy: ContentPolicy,
  service: string,
  environment: string | null,
): ContentSetting {
  let best: ContentRule | null = null;
  for (const rule of policy.rules) {
    if (!ruleMatches(rule, service, environment)) continue;
    if (best === null || specificity(rule) > specificity(best)) best = rule;
  }
  return best ?? policy.default;
}

/** Returns `sha256:` and the lowercase hex SHA-256 of the UTF-8 text. */
export function hashContent(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Keeps the first `maxChars` UTF-16 code units, without splitting a surrogate pair. */
export function truncateContent(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const lastCode = text.charCodeAt(maxChars - 1);
  const end = lastCode >= 0xd800 && lastCode <= 0xdbff ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}
