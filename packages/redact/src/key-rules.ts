import { isContentKey } from './content-keys.ts';
import { isCredentialKey } from './detectors/credential.ts';
import { compileKeyPattern } from './key-pattern.ts';
import type { RedactionPolicy } from './policy.ts';

/** What the policy says about one attribute key. */
export interface KeyRule {
  denied: boolean;
  /** Skips detection; deny wins over allow. */
  allowed: boolean;
  content: boolean;
  userId: boolean;
  /** The key's last dot-separated part names a credential, such as `db.password`. */
  credential: boolean;
}

export interface KeyRules {
  classify(key: string, onEvent: boolean): KeyRule;
}

/** Distinct keys remembered per place; attribute keys repeat across spans, so the cache hit rate is high. */
const MAX_CACHED_KEYS = 8192;

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** Compiles the key lists of a policy and caches each key's rule. */
export function compileKeyRules(policy: RedactionPolicy): KeyRules {
  const deny = compileKeyPattern(policy.denyKeys);
  const allow = compileKeyPattern(policy.allowKeys);
  const userIdKeys = new Set(policy.userIdKeys);
  const caches = { span: new Map<string, KeyRule>(), event: new Map<string, KeyRule>() };

  function build(key: string, onEvent: boolean): KeyRule {
    const denied = deny.matches(key);
    return {
      denied,
      allowed: !denied && allow.matches(key),
      content: isContentKey(key, onEvent),
      userId: userIdKeys.has(key),
      credential: isCredentialKey(lastSegment(key)),
    };
  }

  return {
    classify(key, onEvent) {
      const cache = onEvent ? caches.event : caches.span;
      let rule = cache.get(key);
      if (rule === undefined) {
        rule = build(key, onEvent);
        if (cache.size >= MAX_CACHED_KEYS) cache.clear();
        cache.set(key, rule);
      }
      return rule;
    },
  };
}
