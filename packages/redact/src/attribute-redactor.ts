import type { ContentSetting } from './content-policy.ts';
import { applyContentMode } from './content-value.ts';
import type { KeyRule, KeyRules } from './key-rules.ts';
import type { Pseudonymizer } from './pseudonym.ts';
import type { DenyAction } from './policy.ts';
import type { ServiceCounters } from './redaction-stats.ts';
import type { StringRedactor } from './string-redactor.ts';
import { redactionMarker } from './text-scanner.ts';
import type { AttributeValue, Attributes } from './types.ts';

/** The per-span inputs of attribute redaction. */
export interface AttributeContext {
  counters: ServiceCounters;
  content: ContentSetting;
  onEvent: boolean;
}

export interface AttributeRedactorParts {
  keyRules: KeyRules;
  strings: StringRedactor;
  pseudonymizer: Pseudonymizer | null;
  denyAction: DenyAction;
}

export interface AttributeRedactor {
  /** Rewrites `attributes` in place. */
  redactAttributes(attributes: Attributes, context: AttributeContext): void;
}

export function createAttributeRedactor(parts: AttributeRedactorParts): AttributeRedactor {
  const { keyRules, strings, pseudonymizer } = parts;

  function applyContent(
    attributes: Attributes,
    key: string,
    rule: KeyRule,
    context: AttributeContext,
  ): void {
    const value = applyContentMode(
      attributes[key]!,
      context.content,
      context.counters,
      strings,
      rule.allowed,
    );
    if (value === undefined) delete attributes[key];
    else attributes[key] = value;
  }

  function redactOne(attributes: Attributes, key: string, context: AttributeContext): void {
    const rule = keyRules.classify(key, context.onEvent);
    const value = attributes[key]!;
    const counters = context.counters;
    if (rule.denied) {
      if (parts.denyAction === 'drop') delete attributes[key];
      else attributes[key] = redactionMarker('denied');
      counters.deniedAttributes++;
    } else if (rule.userId && pseudonymizer !== null && isScalarId(value)) {
      attributes[key] = pseudonymizer.pseudonymize(String(value));
      counters.pseudonymizedValues++;
    } else if (rule.content) {
      applyContent(attributes, key, rule, context);
    } else if (rule.allowed) {
      return;
    } else if (rule.credential && value !== null && value !== '') {
      attributes[key] = redactionMarker('credential');
      counters.byDetector.credential = (counters.byDetector.credential ?? 0) + 1;
    } else if (typeof value === 'string') {
      attributes[key] = strings.redactString(value, counters.byDetector);
    } else if (typeof value === 'object' && value !== null) {
      attributes[key] = strings.redactValue(value, counters.byDetector);
    }
  }

  return {
    redactAttributes(attributes, context) {
      for (const key in attributes) redactOne(attributes, key, context);
    },
  };
}

function isScalarId(value: AttributeValue): value is string | number {
  return (typeof value === 'string' && value !== '') || typeof value === 'number';
}
