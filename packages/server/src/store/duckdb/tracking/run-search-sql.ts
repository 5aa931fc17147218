import type { Run } from '../../../tracking/entities.ts';
import type { Page, RunSearch } from '../../../tracking/tracking-store.ts';
import { compileFilter, compileOrderBy, ParamList, type FilterTarget } from './filter-sql.ts';
import { lifecycleCondition } from './lifecycle.ts';
import { completeRuns } from './run-rows.ts';
import type { TrackingDb } from './tracking-db.ts';

const RUN_TARGET: FilterTarget = {
  alias: 'r',
  idColumn: 'run_id',
  attributes: {
    run_id: 'r.run_id',
    run_name: 'r.run_name',
    user_id: 'r.user_id',
    status: 'r.status',
    start_time: 'r.start_time',
    end_time: 'r.end_time',
    artifact_uri: 'r.artifact_uri',
    experiment_id: 'r.experiment_id',
  },
  tagTable: 'mlflow_tags',
  paramTable: 'mlflow_params',
  metricTable: 'mlflow_latest_metrics',
  datasetTable: 'mlflow_run_dataset_inputs',
};

/** Experiment IDs are integers in this store; other IDs match no run. */
function experimentIdList(experimentIds: readonly string[]): string {
  const ids = experimentIds.filter((id) => /^\d{1,18}$/.test(id));
  return ids.length === 0 ? '(NULL)' : `(${ids.join(', ')})`;
}

/**
 * Finds one page of runs. Order: the requested keys, then start time
 * (newest first) and run ID, as MLflow sorts.
 */
export async function searchRunRows(
  db: TrackingDb,
  projectId: string,
  search: RunSearch,
): Promise<Page<Run>> {
  const params = new ParamList();
  const project = params.add(projectId);
  const order = compileOrderBy(search.orderBy, RUN_TARGET, params);
  const where = compileFilter(search.filter, RUN_TARGET, params);
  const orderBy = [...order.orderBy, 'r.start_time DESC NULLS LAST', 'r.run_id ASC'];
  const rows = await db.all(
    `SELECT r.* FROM mlflow_runs r ${order.joins.join(' ')}
     WHERE r.project_id = ${project} AND r.experiment_id IN ${experimentIdList(search.experimentIds)}
       AND ${lifecycleCondition('r', search.viewType)} AND ${where}
     ORDER BY ${orderBy.join(', ')}
     LIMIT ${search.maxResults + 1} OFFSET ${search.offset}`,
    params.values,
  );
  const items = await completeRuns(db, rows.slice(0, search.maxResults));
  return { items, hasMore: rows.length > search.maxResults };
}
