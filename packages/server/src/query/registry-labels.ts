import type { ModelStage } from '../tracking/entities.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';

/** The registry state of one registered model version when the query ran. */
export interface RegistryLabel {
  /** `None`, `Staging`, `Production` or `Archived`, as MLflow names stages. */
  stage: ModelStage;
  aliases: string[];
}

/** Splits `<name>/<version>` at its last slash. Returns null unless the version is a positive integer. */
export function parseRegisteredModel(key: string): { name: string; version: number } | null {
  const slash = key.lastIndexOf('/');
  if (slash <= 0) return null;
  const versionText = key.slice(slash + 1);
  if (!/^[1-9][0-9]*$/.test(versionText)) return null;
  return { name: key.slice(0, slash), version: Number(versionText) };
}

/** Looks up the stage and aliases of a registered model version in the project's registry. */
export async function lookupRegistryLabel(
  tracking: TrackingStore,
  key: string,
): Promise<RegistryLabel | null> {
  const parsed = parseRegisteredModel(key);
  if (parsed === null) return null;
  const version = await tracking.getModelVersion(parsed.name, parsed.version);
  if (version === null) return null;
  return { stage: version.currentStage, aliases: [...version.aliases].sort() };
}

/**
 * Adds `registry` to each group keyed by a registered model version: its stage and
 * aliases in the tracking registry of `projectId`. It is null for the null key, for a
 * version the registry does not have, and on a server without a tracking store.
 */
export async function withRegistryLabels<G extends { key: string | null }>(
  groups: readonly G[],
  tracking: TrackingStore | null,
  projectId: string,
): Promise<(G & { registry: RegistryLabel | null })[]> {
  const store = tracking?.forProject(projectId) ?? null;
  const labelled: (G & { registry: RegistryLabel | null })[] = [];
  for (const group of groups) {
    const registry =
      store === null || group.key === null ? null : await lookupRegistryLabel(store, group.key);
    labelled.push({ ...group, registry });
  }
  return labelled;
}
