import type {
  KeyValue,
  LifecycleStage,
  LoggedModel,
  LoggedModelStatus,
} from '../../../tracking/entities.ts';
import type { LoggedModelSearch, NewLoggedModel, Page } from '../../../tracking/tracking-store.ts';
import { compileFilter, compileOrderBy, ParamList, type FilterTarget } from './filter-sql.ts';
import { toMetric } from './run-rows.ts';
import { upsertKeyValues } from './runs-sql.ts';
import {
  num,
  strOrNull,
  stringList,
  type Row,
  type SqlRunner,
  type TrackingDb,
} from './tracking-db.ts';

/** The latest value of each metric logged against a model, as a derived table. */
const MODEL_LATEST_METRICS = `(SELECT project_id, model_id, key,
    arg_max(value, (step, timestamp, value)) AS value FROM mlflow_metrics
    WHERE model_id IS NOT NULL GROUP BY project_id, model_id, key)`;

const LOGGED_MODEL_TARGET: FilterTarget = {
  alias: 'lm',
  idColumn: 'model_id',
  attributes: {
    name: 'lm.name',
    model_id: 'lm.model_id',
    model_type: 'lm.model_type',
    status: 'lm.status',
    source_run_id: 'lm.source_run_id',
    creation_timestamp: 'lm.creation_timestamp',
    last_updated_timestamp: 'lm.last_updated_timestamp',
  },
  tagTable: 'mlflow_logged_model_tags',
  paramTable: 'mlflow_logged_model_params',
  metricTable: MODEL_LATEST_METRICS,
  // A run of another project may name this model id in its metrics; those never count.
  childJoin: (child) => `${child}.model_id = lm.model_id AND ${child}.project_id = lm.project_id`,
};

export async function insertLoggedModel(
  tx: SqlRunner,
  projectId: string,
  model: NewLoggedModel,
): Promise<void> {
  await tx.run(
    `INSERT INTO mlflow_logged_models VALUES ($1, $2, $3, $4, 'LOGGED_MODEL_PENDING', NULL, $5, $6, $7,
       'active', $8, $8, $9)`,
    [
      model.modelId,
      BigInt(model.experimentId),
      model.name,
      model.artifactUri,
      model.creatorId,
      model.modelType,
      model.sourceRunId,
      model.nowMs,
      projectId,
    ],
  );
  await upsertKeyValues(tx, projectId, 'mlflow_logged_model_tags', model.modelId, model.tags);
  await upsertKeyValues(tx, projectId, 'mlflow_logged_model_params', model.modelId, model.params);
}

const toKeyValue = (row: Row): KeyValue => ({ key: String(row.key), value: String(row.value) });

async function loadLoggedModels(
  db: TrackingDb,
  projectId: string,
  rows: Row[],
): Promise<LoggedModel[]> {
  if (rows.length === 0) return [];
  const ids = stringList(rows.map((row) => String(row.model_id)));
  const tags = await db.all(
    `SELECT * FROM mlflow_logged_model_tags WHERE model_id IN ${ids} ORDER BY key`,
  );
  const params = await db.all(
    `SELECT * FROM mlflow_logged_model_params WHERE model_id IN ${ids} ORDER BY key`,
  );
  const metrics = await db.all(
    `SELECT model_id, run_id, key, arg_max(value, (step, timestamp, value)) AS value,
       max(step) AS step, max(timestamp) AS timestamp, any_value(dataset_name) AS dataset_name,
       any_value(dataset_digest) AS dataset_digest
     FROM mlflow_metrics WHERE model_id IN ${ids} AND project_id = $1
     GROUP BY model_id, run_id, key ORDER BY key`,
    [projectId],
  );
  return rows.map((row) => {
    const id = String(row.model_id);
    return {
      modelId: id,
      experimentId: String(num(row.experiment_id)),
      name: String(row.name),
      creationTimestampMs: num(row.creation_timestamp),
      lastUpdatedTimestampMs: num(row.last_updated_timestamp),
      artifactUri: String(row.artifact_uri),
      status: row.status as LoggedModelStatus,
      statusMessage: strOrNull(row.status_message),
      creatorId: strOrNull(row.creator_id),
      modelType: strOrNull(row.model_type),
      sourceRunId: strOrNull(row.source_run_id),
      lifecycleStage: row.lifecycle_stage as LifecycleStage,
      tags: tags.filter((tag) => tag.model_id === id).map(toKeyValue),
      params: params.filter((param) => param.model_id === id).map(toKeyValue),
      metrics: metrics
        .filter((metric) => metric.model_id === id)
        .map((metric) => ({ ...toMetric(metric), modelId: id, runId: String(metric.run_id) })),
    };
  });
}

export async function selectLoggedModel(
  db: TrackingDb,
  projectId: string,
  modelId: string,
): Promise<LoggedModel | null> {
  const rows = await db.all(
    'SELECT * FROM mlflow_logged_models WHERE model_id = $1 AND project_id = $2',
    [modelId, projectId],
  );
  const [model] = await loadLoggedModels(db, projectId, rows);
  return model ?? null;
}

export async function searchLoggedModelRows(
  db: TrackingDb,
  projectId: string,
  search: LoggedModelSearch,
): Promise<Page<LoggedModel>> {
  const params = new ParamList();
  const project = params.add(projectId);
  const order = compileOrderBy(search.orderBy, LOGGED_MODEL_TARGET, params);
  const where = compileFilter(search.filter, LOGGED_MODEL_TARGET, params);
  const ids = search.experimentIds.filter((id) => /^\d{1,18}$/.test(id));
  const rows = await db.all(
    `SELECT lm.* FROM mlflow_logged_models lm ${order.joins.join(' ')}
     WHERE lm.project_id = ${project}
       AND lm.experiment_id IN (${ids.length > 0 ? ids.join(', ') : 'NULL'})
       AND lm.lifecycle_stage = 'active' AND ${where}
     ORDER BY ${[...order.orderBy, 'lm.creation_timestamp DESC', 'lm.model_id'].join(', ')}
     LIMIT ${search.maxResults + 1} OFFSET ${search.offset}`,
    params.values,
  );
  const items = await loadLoggedModels(db, projectId, rows.slice(0, search.maxResults));
  return { items, hasMore: rows.length > search.maxResults };
}
