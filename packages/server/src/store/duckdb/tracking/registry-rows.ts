import type {
  KeyValue,
  ModelStage,
  ModelVersion,
  RegisteredModel,
} from '../../../tracking/entities.ts';
import { num, strOrNull, type Row, type TrackingDb } from './tracking-db.ts';

function toVersion(row: Row, tags: KeyValue[], aliases: string[]): ModelVersion {
  return {
    name: String(row.name),
    version: num(row.version),
    creationTimestampMs: num(row.creation_timestamp),
    lastUpdatedTimestampMs: num(row.last_updated_timestamp),
    userId: strOrNull(row.user_id),
    currentStage: row.current_stage as ModelStage,
    description: strOrNull(row.description),
    source: String(row.source),
    storageLocation: String(row.storage_location),
    runId: strOrNull(row.run_id),
    runLink: strOrNull(row.run_link),
    modelId: strOrNull(row.model_id),
    tags,
    aliases,
  };
}

const versionKey = (row: Row): string => `${String(row.name)}\u0000${num(row.version)}`;

/** Loads model versions with their tags and aliases, keeping the order of `rows`. */
export async function loadVersions(
  db: TrackingDb,
  projectId: string,
  rows: Row[],
): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const names = [...new Set(rows.map((row) => String(row.name)))];
  const placeholders = names.map((_, index) => `$${index + 2}`).join(', ');
  const tagRows = await db.all(
    `SELECT * FROM mlflow_model_version_tags
     WHERE project_id = $1 AND name IN (${placeholders}) ORDER BY key`,
    [projectId, ...names],
  );
  const aliasRows = await db.all(
    `SELECT * FROM mlflow_model_aliases
     WHERE project_id = $1 AND name IN (${placeholders}) ORDER BY alias`,
    [projectId, ...names],
  );
  return rows.map((row) => {
    const key = versionKey(row);
    const tags = tagRows
      .filter((tag) => versionKey(tag) === key)
      .map((tag) => ({ key: String(tag.key), value: String(tag.value) }));
    const aliases = aliasRows
      .filter((alias) => versionKey(alias) === key)
      .map((alias) => String(alias.alias));
    return toVersion(row, tags, aliases);
  });
}

/** Loads registered models with tags, aliases and the newest version in each stage. */
export async function loadRegisteredModels(
  db: TrackingDb,
  projectId: string,
  rows: Row[],
): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const names = rows.map((row) => String(row.name));
  const placeholders = names.map((_, index) => `$${index + 2}`).join(', ');
  const tagRows = await db.all(
    `SELECT * FROM mlflow_registered_model_tags
     WHERE project_id = $1 AND name IN (${placeholders}) ORDER BY key`,
    [projectId, ...names],
  );
  const aliasRows = await db.all(
    `SELECT * FROM mlflow_model_aliases
     WHERE project_id = $1 AND name IN (${placeholders}) ORDER BY alias`,
    [projectId, ...names],
  );
  const latestRows = await db.all(
    `SELECT * FROM mlflow_model_versions WHERE project_id = $1 AND name IN (${placeholders})
     QUALIFY row_number() OVER (PARTITION BY name, current_stage ORDER BY version DESC) = 1
     ORDER BY name, version`,
    [projectId, ...names],
  );
  const latest = await loadVersions(db, projectId, latestRows);
  return rows.map((row) => {
    const name = String(row.name);
    return {
      name,
      creationTimestampMs: num(row.creation_timestamp),
      lastUpdatedTimestampMs: num(row.last_updated_timestamp),
      userId: strOrNull(row.user_id),
      description: strOrNull(row.description),
      latestVersions: latest.filter((version) => version.name === name),
      tags: tagRows
        .filter((tag) => tag.name === name)
        .map((tag) => ({ key: String(tag.key), value: String(tag.value) })),
      aliases: aliasRows
        .filter((alias) => alias.name === name)
        .map((alias) => ({ alias: String(alias.alias), version: num(alias.version) })),
    };
  });
}
