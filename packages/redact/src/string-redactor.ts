import { isCredentialKey } from './detectors/credential.ts';
import { hasTriggerAfterEscape } from './json-escapes.ts';
import { redactionMarker, type TextScanner } from './text-scanner.ts';
import type { DetectorCounts } from './types.ts';

/** Nesting limit for JSON inside strings inside JSON; deeper strings are scanned as plain text. */
const MAX_JSON_DEPTH = 8;

export interface StringRedactor {
  /** Redacts one string; JSON text is parsed so that only its string leaves change. */
  redactString(text: string, counts: DetectorCounts): string;
  /** Redacts the strings inside a parsed JSON or attribute value, returning a new value when any changed. */
  redactValue<T>(value: T, counts: DetectorCounts): T;
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  const last = text.trimEnd().at(-1);
  return (first === '{' && last === '}') || (first === '[' && last === ']');
}

function addCounts(target: DetectorCounts, source: DetectorCounts): void {
  for (const name in source) target[name] = (target[name] ?? 0) + source[name]!;
}

/**
 * Builds the redactor for strings and nested values. For JSON text it first
 * scans the raw text. Only when that finds something, or a string escape comes
 * right before a trigger, does it parse, redact each string leaf (and each
 * value under a credential key) and serialize again. So most JSON without
 * sensitive data is scanned once and never parsed. Text that fails to parse,
 * such as JSON cut off by an attribute length limit, keeps the raw scan.
 */
export function createStringRedactor(scanner: TextScanner): StringRedactor {
  function redactString(text: string, counts: DetectorCounts, depth: number): string {
    if (depth >= MAX_JSON_DEPTH || !looksLikeJson(text)) return scanner.scan(text, counts);
    const rawCounts: DetectorCounts = {};
    const rawResult = scanner.scan(text, rawCounts);
    if (rawResult === text && !hasTriggerAfterEscape(text)) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      addCounts(counts, rawCounts);
      return rawResult;
    }
    return JSON.stringify(redactValue(parsed, counts, depth + 1));
  }

  function redactObject(
    value: Record<string, unknown>,
    counts: DetectorCounts,
    depth: number,
  ): Record<string, unknown> {
    const output: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = value[key];
      const outputKey = scanner.scan(key, counts);
      if (isCredentialKey(key) && (typeof item === 'string' || typeof item === 'number')) {
        output[outputKey] = redactionMarker('credential');
        counts.credential = (counts.credential ?? 0) + 1;
      } else {
        output[outputKey] = redactValue(item, counts, depth);
      }
    }
    return output;
  }

  function redactValue(value: unknown, counts: DetectorCounts, depth: number): unknown {
    if (typeof value === 'string') return redactString(value, counts, depth);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, counts, depth));
    if (typeof value === 'object' && value !== null) {
      return redactObject(value as Record<string, unknown>, counts, depth);
    }
    return value;
  }

  return {
    redactString: (text, counts) => redactString(text, counts, 0),
    redactValue: <T>(value: T, counts: DetectorCounts) => redactValue(value, counts, 0) as T,
  };
}
