import { createRedactor, type RedactionPolicy } from '@foghorn/redact';

/** One message in the OTel GenAI shape of `gen_ai.input.messages` and `gen_ai.output.messages`. */
export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  finish_reason?: string;
}

export type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id?: string; name: string; arguments?: unknown }
  | { type: 'tool_call_response'; id?: string; response: unknown }
  | { type: 'reasoning'; content: string };

/** Redacts captured prompts and completions before they become span attributes. */
export interface ContentRecorder {
  /** Returns the messages as a JSON string with every free-text value redacted. */
  serialize(messages: readonly GenAiMessage[] | readonly GenAiPart[]): string;
}

/** Keys whose values are structure, not content, and stay as they are. */
const STRUCTURAL_KEYS: ReadonlySet<string> = new Set([
  'type',
  'role',
  'id',
  'name',
  'finish_reason',
]);

/**
 * Builds a recorder on `@foghorn/redact`. User-id pseudonyms are off because
 * the recorder only scans free text, which carries no user-id attribute keys.
 */
export function createContentRecorder(policy: Partial<RedactionPolicy> = {}): ContentRecorder {
  const redactor = createRedactor({ policy: { ...policy, pseudonymizeUserIds: false } });
  const redactValue = (value: unknown, key: string | null): unknown => {
    if (typeof value === 'string') {
      return key !== null && STRUCTURAL_KEYS.has(key) ? value : redactor.redactText(value);
    }
    if (Array.isArray(value)) return value.map((entry) => redactValue(entry, null));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([entryKey, entry]) => [entryKey, redactValue(entry, entryKey)]),
      );
    }
    return value;
  };
  return {
    serialize: (messages) => JSON.stringify(redactValue(messages, null)),
  };
}
