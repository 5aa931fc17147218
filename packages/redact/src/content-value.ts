import { hashContent, truncateContent, type ContentSetting } from './content-policy.ts';
import type { ServiceCounters } from './redaction-stats.ts';
import type { StringRedactor } from './string-redactor.ts';
import type { AttributeValue } from './types.ts';

function stringForm(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Applies a content mode to one content value (an attribute or a log body) and
 * counts it: returns the redacted value, its hash or its first `maxChars`
 * characters, or undefined when the mode drops content. `skipDetection` keeps
 * an allowed key's value as sent before hashing or truncating.
 */
export function applyContentMode(
  value: AttributeValue,
  setting: ContentSetting,
  counters: ServiceCounters,
  strings: StringRedactor,
  skipDetection: boolean,
): AttributeValue | undefined {
  if (setting.mode === 'drop') {
    counters.droppedContent++;
    return undefined;
  }
  const redacted = skipDetection ? value : strings.redactValue(value, counters.byDetector);
  if (setting.mode === 'keep') return redacted;
  const text = stringForm(redacted);
  if (setting.mode === 'hash') {
    counters.hashedContent++;
    return hashContent(text);
  }
  const maxChars = setting.maxChars ?? text.length;
  if (text.length > maxChars) counters.truncatedContent++;
  return truncateContent(text, maxChars);
}
