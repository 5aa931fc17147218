import type { KeyValue, ModelStage, ModelVersion } from '../../../tracking/entities.ts';
import type { NewModelVersion, Page, PageQuery } from '../../../tracking/tracking-store.ts';
import { compileFilter, compileOrderBy, ParamList, type FilterTarget } from './filter-sql.ts';
import { loadRegisteredModels, loadVersions } from './registry-rows.ts';
import { num, type SqlRunner, type TrackingDb } from './tracking-db.ts';
import type { RegisteredModel } from '../../../tracking/entities.ts';

const REGISTERED_MODEL_TARGET: FilterTarget = {
  alias: 'rm',
  idColumn: 'name',
  attributes: {
    name: 'rm.name',
    creation_timestamp: 'rm.creation_timestamp',
    last_updated_timestamp: 'rm.last_updated_timestamp',
  },
  tagTable: 'mlflow_registered_model_tags',
  childJoin: (child) => `${child}.name = rm.name AND ${child}.project_id = rm.project_id`,
  missingTagMatchesNotEqual: true,
};

const MODEL_VERSION_TARGET: FilterTarget = {
  alias: 'mv',
  idColumn: 'name',
  attributes: {
    name: 'mv.name',
    run_id: 'mv.run_id',
    source_path: 'mv.source',
    version_number: 'mv.version',
    creation_timestamp: 'mv.creation_timestamp',
    last_updated_timestamp: 'mv.last_updated_timestamp',
  },
  tagTable: 'mlflow_model_version_tags',
  childJoin: (child) =>
    `${child}.name = mv.name AND ${child}.version = mv.version AND ${child}.project_id = mv.project_id`,
};

/** Tables whose rows belong to a registered model through a `name` column. */
const MODEL_TABLES = [
  'mlflow_registered_models',
  'mlflow_registered_model_tags',
  'mlflow_model_versions',
  'mlflow_model_version_tags',
  'mlflow_model_aliases',
];

export async function renameModelRows(
  tx: SqlRunner,
  projectId: string,
  name: string,
  newName: string,
  nowMs: number,
): Promise<void> {
  for (const table of MODEL_TABLES) {
    await tx.run(`UPDATE ${table} SET name = $2 WHERE name = $1 AND project_id = $3`, [
      name,
      newName,
      projectId,
    ]);
  }
  await touchModel(tx, projectId, newName, nowMs);
}

export async function deleteModelRows(
  tx: SqlRunner,
  projectId: string,
  name: string,
): Promise<void> {
  for (const table of MODEL_TABLES) {
    await tx.run(`DELETE FROM ${table} WHERE name = $1 AND project_id = $2`, [name, projectId]);
  }
}

export async function touchModel(
  tx: SqlRunner,
  projectId: string,
  name: string,
  nowMs: number,
): Promise<void> {
  await tx.run(
    'UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1 AND project_id = $3',
    [name, nowMs, projectId],
  );
}

/** Replaces (or with a null value deletes) one tag of the owner; `owner` includes `project_id`. */
export async function replaceTag(
  tx: SqlRunner,
  table: string,
  owner: Record<string, string | number>,
  tag: KeyValue | { key: string; value: null },
): Promise<void> {
  const columns = Object.keys(owner);
  const values = Object.values(owner);
  const match = columns.map((column, index) => `${column} = $${index + 1}`).join(' AND ');
  await tx.run(`DELETE FROM ${table} WHERE ${match} AND key = $${columns.length + 1}`, [
    ...values,
    tag.key,
  ]);
  if (tag.value === null) return;
  const placeholders = [...columns, 'key', 'value'].map((_, index) => `$${index + 1}`).join(', ');
  await tx.run(
    `INSERT INTO ${table} (${columns.join(', ')}, key, value) VALUES (${placeholders})`,
    [...values, tag.key, tag.value],
  );
}

export async function insertVersion(
  tx: SqlRunner,
  projectId: string,
  version: NewModelVersion,
): Promise<number> {
  const [row] = await tx.all(
    `SELECT coalesce(max(version), 0) + 1 AS next FROM mlflow_model_versions
     WHERE name = $1 AND project_id = $2`,
    [version.name, projectId],
  );
  const number = num(row!.next);
  await tx.run(
    `INSERT INTO mlflow_model_versions
     VALUES ($1, $2, $3, $3, $4, 'None', $5, $6, $7, $8, $9, $10, $11)`,
    [
      version.name,
      number,
      version.nowMs,
      version.userId,
      version.description,
      version.source,
      version.storageLocation,
      version.runId,
      version.runLink,
      version.modelId,
      projectId,
    ],
  );
  const owner = { project_id: projectId, name: version.name, version: number };
  for (const tag of version.tags) await replaceTag(tx, 'mlflow_model_version_tags', owner, tag);
  await touchModel(tx, projectId, version.name, version.nowMs);
  return number;
}

export async function transitionRows(
  tx: SqlRunner,
  projectId: string,
  name: string,
  version: number,
  stage: ModelStage,
  archiveExisting: boolean,
  nowMs: number,
): Promise<void> {
  if (archiveExisting) {
    await tx.run(
      `UPDATE mlflow_model_versions SET current_stage = 'Archived', last_updated_timestamp = $3
       WHERE name = $1 AND version <> $2 AND current_stage = $4 AND project_id = $5`,
      [name, version, nowMs, stage, projectId],
    );
  }
  await tx.run(
    `UPDATE mlflow_model_versions SET current_stage = $3, last_updated_timestamp = $4
     WHERE name = $1 AND version = $2 AND project_id = $5`,
    [name, version, stage, nowMs, projectId],
  );
  await touchModel(tx, projectId, name, nowMs);
}

export async function selectVersion(
  db: TrackingDb,
  projectId: string,
  name: string,
  version: number,
): Promise<ModelVersion | null> {
  const rows = await db.all(
    'SELECT * FROM mlflow_model_versions WHERE name = $1 AND version = $2 AND project_id = $3',
    [name, version, projectId],
  );
  const [found] = await loadVersions(db, projectId, rows);
  return found ?? null;
}

export async function selectRegisteredModel(
  db: TrackingDb,
  projectId: string,
  name: string,
): Promise<RegisteredModel | null> {
  const rows = await db.all(
    'SELECT * FROM mlflow_registered_models WHERE name = $1 AND project_id = $2',
    [name, projectId],
  );
  const [found] = await loadRegisteredModels(db, projectId, rows);
  return found ?? null;
}

export async function searchRegisteredModelRows(
  db: TrackingDb,
  projectId: string,
  search: PageQuery,
): Promise<Page<RegisteredModel>> {
  const params = new ParamList();
  const project = params.add(projectId);
  const order = compileOrderBy(search.orderBy, REGISTERED_MODEL_TARGET, params);
  const where = compileFilter(search.filter, REGISTERED_MODEL_TARGET, params);
  const rows = await db.all(
    `SELECT rm.* FROM mlflow_registered_models rm WHERE rm.project_id = ${project} AND ${where}
     ORDER BY ${[...order.orderBy, 'rm.name ASC'].join(', ')}
     LIMIT ${search.maxResults + 1} OFFSET ${search.offset}`,
    params.values,
  );
  const items = await loadRegisteredModels(db, projectId, rows.slice(0, search.maxResults));
  return { items, hasMore: rows.length > search.maxResults };
}

export async function searchVersionRows(
  db: TrackingDb,
  projectId: string,
  search: PageQuery,
): Promise<Page<ModelVersion>> {
  const params = new ParamList();
  const project = params.add(projectId);
  const order = compileOrderBy(search.orderBy, MODEL_VERSION_TARGET, params);
  const where = compileFilter(search.filter, MODEL_VERSION_TARGET, params);
  const defaultOrder = search.orderBy.length === 0 ? ['mv.name ASC', 'mv.version DESC'] : [];
  const rows = await db.all(
    `SELECT mv.* FROM mlflow_model_versions mv WHERE mv.project_id = ${project} AND ${where}
     ORDER BY ${[...order.orderBy, ...defaultOrder, 'mv.name ASC', 'mv.version DESC'].join(', ')}
     LIMIT ${search.maxResults + 1} OFFSET ${search.offset}`,
    params.values,
  );
  const items = await loadVersions(db, projectId, rows.slice(0, search.maxResults));
  return { items, hasMore: rows.length > search.maxResults };
}
