import type { CustomPattern } from './custom-pattern.ts';
import type { ContentPolicy } from './content-policy.ts';

export type DenyAction = 'drop' | 'replace';

/** Everything the redactor can be told. Every field has a default in `DEFAULT_POLICY`. */
export interface RedactionPolicy {
  /** Built-in detectors to turn off, by id: secrets, credential, email, iban, payment_card, us_ssn, phone, ipv4, ipv6. */
  disabledDetectors: string[];
  customPatterns: CustomPattern[];
  /** Keys or globs whose values are never scanned. A key that is also denied is denied. */
  allowKeys: string[];
  /** Keys or globs whose values are removed (`drop`) or replaced by `[REDACTED:denied]` (`replace`). */
  denyKeys: string[];
  denyAction: DenyAction;
  content: ContentPolicy;
  /** Attribute keys that hold an end-user id; their values become HMAC pseudonyms. */
  userIdKeys: string[];
  pseudonymizeUserIds: boolean;
}

/** The defaults: every detector on, content kept after redaction, auth headers dropped, user ids pseudonymized. */
export const DEFAULT_POLICY: Readonly<RedactionPolicy> = Object.freeze({
  disabledDetectors: [],
  customPatterns: [],
  allowKeys: [],
  denyKeys: [
    'http.request.header.authorization',
    'http.request.header.proxy-authorization',
    'http.request.header.cookie',
    'http.request.header.x-api-key',
    'http.request.header.api-key',
    'http.response.header.set-cookie',
  ],
  denyAction: 'drop',
  content: { default: { mode: 'keep' }, rules: [] },
  userIdKeys: [
    'user.id',
    'enduser.id',
    'langfuse.user.id',
    'traceloop.association.properties.user_id',
    'ai.telemetry.metadata.userId',
    'gen_ai.user',
    'llm.user',
    'langfuse.trace.metadata.langfuse_user_id',
    'langfuse.observation.metadata.langfuse_user_id',
  ],
  pseudonymizeUserIds: true,
} satisfies RedactionPolicy);

/** Fills the fields `partial` leaves out from `DEFAULT_POLICY`; lists replace the defaults whole. */
export function resolvePolicy(partial: Partial<RedactionPolicy> = {}): RedactionPolicy {
  return {
    disabledDetectors: partial.disabledDetectors ?? [...DEFAULT_POLICY.disabledDetectors],
    customPatterns: partial.customPatterns ?? [],
    allowKeys: partial.allowKeys ?? [...DEFAULT_POLICY.allowKeys],
    denyKeys: partial.denyKeys ?? [...DEFAULT_POLICY.denyKeys],
    denyAction: partial.denyAction ?? DEFAULT_POLICY.denyAction,
    content: partial.content ?? { default: { mode: 'keep' }, rules: [] },
    userIdKeys: partial.userIdKeys ?? [...DEFAULT_POLICY.userIdKeys],
    pseudonymizeUserIds: partial.pseudonymizeUserIds ?? DEFAULT_POLICY.pseudonymizeUserIds,
  };
}
