import type { Experiment, KeyValue, LifecycleStage } from '../../../tracking/entities.ts';
import type { ExperimentSearch, NewExperiment, Page } from '../../../tracking/tracking-store.ts';
import { DEFAULT_ARTIFACT_ROOT } from '../../../tracking/artifact-uri.ts';
import { compileFilter, compileOrderBy, ParamList, type FilterTarget } from './filter-sql.ts';
import { num, type Row, type SqlRunner, type TrackingDb } from './tracking-db.ts';
import { lifecycleCondition } from './lifecycle.ts';

const EXPERIMENT_TARGET: FilterTarget = {
  alias: 'e',
  idColumn: 'experiment_id',
  attributes: {
    name: 'e.name',
    experiment_id: 'e.experiment_id',
    creation_time: 'e.creation_time',
    last_update_time: 'e.last_update_time',
  },
  tagTable: 'mlflow_experiment_tags',
  // Every project has an experiment 0, so tags match on the project too.
  childJoin: (child) =>
    `${child}.experiment_id = e.experiment_id AND ${child}.project_id = e.project_id`,
};

function toExperiment(row: Row, tags: KeyValue[]): Experiment {
  return {
    experimentId: String(num(row.experiment_id)),
    name: String(row.name),
    artifactLocation: String(row.artifact_location),
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTimeMs: num(row.creation_time),
    lastUpdateTimeMs: num(row.last_update_time),
    tags,
  };
}

async function withTags(db: TrackingDb, projectId: string, rows: Row[]): Promise<Experiment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => num(row.experiment_id));
  const tagRows = await db.all(
    `SELECT experiment_id, key, value FROM mlflow_experiment_tags
     WHERE project_id = $1 AND experiment_id IN (${ids.join(', ')}) ORDER BY key`,
    [projectId],
  );
  const tagsById = new Map<number, KeyValue[]>();
  for (const row of tagRows) {
    const id = num(row.experiment_id);
    const list = tagsById.get(id) ?? [];
    list.push({ key: String(row.key), value: String(row.value) });
    tagsById.set(id, list);
  }
  return rows.map((row) => toExperiment(row, tagsById.get(num(row.experiment_id)) ?? []));
}

/** Creates the project's Default experiment (id 0) when it is missing. */
export async function ensureDefaultExperiment(
  tx: SqlRunner,
  projectId: string,
  nowMs: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO mlflow_experiments VALUES (0, 'Default', $1, 'active', $2, $2, $3)
     ON CONFLICT DO NOTHING`,
    [`${DEFAULT_ARTIFACT_ROOT}/0`, nowMs, projectId],
  );
}

/** Inserts an experiment; its id comes from one sequence, so it is unique across projects. */
export async function insertExperiment(
  tx: SqlRunner,
  projectId: string,
  experiment: NewExperiment,
): Promise<string> {
  const [row] = await tx.all("SELECT nextval('mlflow_experiment_ids') AS id");
  const id = num(row!.id);
  const location = experiment.artifactLocation ?? `${DEFAULT_ARTIFACT_ROOT}/${id}`;
  await tx.run(`INSERT INTO mlflow_experiments VALUES ($1, $2, $3, 'active', $4, $4, $5)`, [
    id,
    experiment.name,
    location,
    experiment.nowMs,
    projectId,
  ]);
  for (const tag of experiment.tags) await upsertExperimentTag(tx, projectId, String(id), tag);
  return String(id);
}

export async function upsertExperimentTag(
  tx: SqlRunner,
  projectId: string,
  id: string,
  tag: KeyValue,
): Promise<void> {
  await tx.run(
    `INSERT INTO mlflow_experiment_tags VALUES ($1, $2, $3, $4)
     ON CONFLICT (project_id, experiment_id, key) DO UPDATE SET value = excluded.value`,
    [BigInt(id), tag.key, tag.value, projectId],
  );
}

/** Selects one experiment of the project; `where` uses parameters from `$2` on. */
export async function selectExperiment(
  db: TrackingDb,
  projectId: string,
  where: string,
  params: (string | number)[],
): Promise<Experiment | null> {
  const rows = await db.all(
    `SELECT * FROM mlflow_experiments e WHERE project_id = $1 AND ${where}
     ORDER BY (lifecycle_stage = 'active') DESC, experiment_id LIMIT 1`,
    [projectId, ...params],
  );
  const [experiment] = await withTags(db, projectId, rows);
  return experiment ?? null;
}

export async function searchExperimentRows(
  db: TrackingDb,
  projectId: string,
  search: ExperimentSearch,
): Promise<Page<Experiment>> {
  const params = new ParamList();
  const project = params.add(projectId);
  const where = compileFilter(search.filter, EXPERIMENT_TARGET, params);
  const order = compileOrderBy(search.orderBy, EXPERIMENT_TARGET, params);
  const defaultOrder = search.orderBy.length === 0 ? ['e.creation_time DESC'] : [];
  const tieBreak = search.orderBy.some((clause) => clause.key === 'experiment_id')
    ? []
    : ['e.experiment_id ASC'];
  const rows = await db.all(
    `SELECT e.* FROM mlflow_experiments e
     WHERE e.project_id = ${project} AND ${lifecycleCondition('e', search.viewType)} AND ${where}
     ORDER BY ${[...order.orderBy, ...defaultOrder, ...tieBreak].join(', ')}
     LIMIT ${search.maxResults + 1} OFFSET ${search.offset}`,
    params.values,
  );
  const items = await withTags(db, projectId, rows.slice(0, search.maxResults));
  return { items, hasMore: rows.length > search.maxResults };
}
