import { isCredentialKey } from './detectors/credential.ts';
import { hasTriggerAfterEscape } from './json-escapes.ts';
import { ResultCache } from './result-cache.ts';
import { redactionMarker, type TextScanner } from './text-scanner.ts';
import type { DetectorCounts } from './types.ts';

/** Nesting limit for JSON inside strings inside JSON; deeper strings are scanned as plain text. */
const MAX_JSON_DEPTH = 8;
/** Shorter strings are scanned again instead of cached: a lookup would cost about as much. */
const MIN_CACHED_CHARS = 32;

export interface StringRedactor {
  /** Redacts one string; JSON text is parsed so that only its string leaves change. */
  redactString(text: string, counts: DetectorCounts): string;
  /** Redacts the strings inside a parsed JSON or attribute value, returning a new value when any changed. */
  redactValue<T>(value: T, counts: DetectorCounts): T;
}

function isJsonBlank(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** True for text that starts with `{` and ends with `}`, or `[` and `]`, after JSON whitespace. */
function looksLikeJson(text: string): boolean {
  let first = 0;
  while (first < text.length && isJsonBlank(text.charCodeAt(first))) first++;
  let last = text.length - 1;
  while (last > first && isJsonBlank(text.charCodeAt(last))) last--;
  if (last <= first) return false;
  const open = text.charCodeAt(first);
  const close = text.charCodeAt(last);
  return (open === 123 && close === 125) || (open === 91 && close === 93);
}

function addCounts(target: DetectorCounts, source: DetectorCounts): void {
  for (const name in source) target[name] = (target[name] ?? 0) + source[name]!;
}

function hasCounts(counts: DetectorCounts): boolean {
  for (const _name in counts) return true;
  return false;
}

/**
 * Builds the redactor for strings and nested values. A string that fails the
 * scanner's prefilter comes back as it is. JSON text that passes it, or that
 * has a string escape right before a trigger, is parsed. Then each string leaf
 * and each value under a credential key is redacted, and the value is
 * serialized again only when something was replaced. Text that fails to
 * parse, such as JSON cut off by an attribute length limit, is scanned as
 * plain text. Results of strings that passed the prefilter are kept in a
 * bounded LRU cache, because prompts and tool definitions repeat across spans.
 */
export function createStringRedactor(scanner: TextScanner): StringRedactor {
  const cache = new ResultCache();

  function redactJsonText(text: string, counts: DetectorCounts, depth: number): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return scanner.scan(text, counts);
    }
    const leafCounts: DetectorCounts = {};
    const redacted = redactValue(parsed, leafCounts, depth + 1);
    if (!hasCounts(leafCounts)) return text;
    addCounts(counts, leafCounts);
    return JSON.stringify(redacted);
  }

  function redactUncached(text: string, counts: DetectorCounts, depth: number): string {
    if (depth >= MAX_JSON_DEPTH || !looksLikeJson(text)) return scanner.scan(text, counts);
    return redactJsonText(text, counts, depth);
  }

  /** JSON results depend on the nesting left below `depth`, so only depth 0 and plain text are cached. */
  function isCacheable(text: string, depth: number): boolean {
    return text.length >= MIN_CACHED_CHARS && (depth === 0 || !looksLikeJson(text));
  }

  function redactString(text: string, counts: DetectorCounts, depth: number): string {
    if (!scanner.mayReplace(text) && !(looksLikeJson(text) && hasTriggerAfterEscape(text))) {
      return text;
    }
    if (!isCacheable(text, depth)) return redactUncached(text, counts, depth);
    const cached = cache.get(text);
    if (cached !== undefined) {
      addCounts(counts, cached.counts);
      return cached.output;
    }
    const ownCounts: DetectorCounts = {};
    const output = redactUncached(text, ownCounts, depth);
    cache.set(text, { output, counts: ownCounts });
    addCounts(counts, ownCounts);
    return output;
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
      let redacted: unknown;
      if (isCredentialKey(key) && (typeof item === 'string' || typeof item === 'number')) {
        redacted = redactionMarker('credential');
        counts.credential = (counts.credential ?? 0) + 1;
      } else {
        redacted = redactValue(item, counts, depth);
      }
      if (outputKey === '__proto__') {
        // Defined, not assigned, so the key stays an entry instead of setting the prototype.
        Object.defineProperty(output, outputKey, {
          value: redacted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        output[outputKey] = redacted;
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
