import type { RegistryLabel } from '../api/types.ts';

/** Shown for calls that carry no registered model. */
export const NO_REGISTERED_MODEL = '(no registered model)';

/**
 * Labels a registered model version with its registry state, such as
 * `iris-classifier/3 (Production, @champion)`. The stage `None` is left out, and a
 * version missing from the registry keeps its bare key.
 */
export function registeredModelLabel(
  key: string | null,
  registry: RegistryLabel | null | undefined,
): string {
  if (key === null) return NO_REGISTERED_MODEL;
  if (registry === null || registry === undefined) return key;
  const parts = registry.stage === 'None' ? [] : [registry.stage];
  parts.push(...registry.aliases.map((alias) => `@${alias}`));
  return parts.length === 0 ? key : `${key} (${parts.join(', ')})`;
}
