import type { ModelStage } from '../../../tracking/entities.ts';
import {
  DEFAULT_POLICY_MODEL,
  type PolicyComparator,
  type PromotionPolicy,
} from '../../../tracking/promotion-policy.ts';
import type {
  StageTransitionRecord,
  StageTransitionRequest,
  TransitionQuery,
} from '../../../tracking/stage-transition.ts';
import { transitionRows } from './registry-sql.ts';
import { num, type Row, type SqlRunner, type TrackingDb } from './tracking-db.ts';

/** Promotion policies (one per model, `''` for the default) and the stage transition log. */
export const POLICY_SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS mlflow_promotion_policies (
    model_name VARCHAR PRIMARY KEY, metric_key VARCHAR NOT NULL, comparator VARCHAR NOT NULL,
    threshold DOUBLE NOT NULL, auto_promote BOOLEAN NOT NULL, archive_previous BOOLEAN NOT NULL,
    updated_time BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mlflow_stage_transitions (
    name VARCHAR NOT NULL, version INTEGER NOT NULL, from_stage VARCHAR NOT NULL,
    to_stage VARCHAR NOT NULL, actor VARCHAR NOT NULL, reason VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL, timestamp BIGINT NOT NULL)`,
];

function toPolicy(row: Row): PromotionPolicy {
  const modelName = String(row.model_name);
  return {
    modelName: modelName === DEFAULT_POLICY_MODEL ? null : modelName,
    metricKey: String(row.metric_key),
    comparator: row.comparator as PolicyComparator,
    threshold: Number(row.threshold),
    autoPromote: row.auto_promote === true,
    archivePrevious: row.archive_previous === true,
    updatedAtMs: num(row.updated_time),
  };
}

function toTransition(row: Row): StageTransitionRecord {
  return {
    name: String(row.name),
    version: num(row.version),
    fromStage: String(row.from_stage),
    toStage: row.to_stage as ModelStage,
    actor: String(row.actor),
    reason: String(row.reason),
    outcome: row.outcome === 'rejected' ? 'rejected' : 'applied',
    timestampMs: num(row.timestamp),
  };
}

export async function selectPolicies(
  db: TrackingDb,
  projectId: string,
): Promise<PromotionPolicy[]> {
  const rows = await db.all(
    'SELECT * FROM mlflow_promotion_policies WHERE project_id = $1 ORDER BY model_name',
    [projectId],
  );
  return rows.map(toPolicy);
}

/** Returns the model's own policy, else the project's default policy, else null. */
export async function selectEffectivePolicy(
  db: TrackingDb,
  projectId: string,
  modelName: string,
): Promise<PromotionPolicy | null> {
  const rows = await db.all(
    `SELECT * FROM mlflow_promotion_policies WHERE model_name IN ($1, $2) AND project_id = $3
     ORDER BY model_name = $2`,
    [modelName, DEFAULT_POLICY_MODEL, projectId],
  );
  return rows.length === 0 ? null : toPolicy(rows[0]!);
}

export async function upsertPolicy(
  tx: SqlRunner,
  projectId: string,
  policy: PromotionPolicy,
): Promise<void> {
  await tx.run(
    `INSERT INTO mlflow_promotion_policies VALUES ($1, $2, $3, $4::DOUBLE, $5, $6, $7, $8)
     ON CONFLICT (project_id, model_name) DO UPDATE SET metric_key = excluded.metric_key,
       comparator = excluded.comparator, threshold = excluded.threshold,
       auto_promote = excluded.auto_promote, archive_previous = excluded.archive_previous,
       updated_time = excluded.updated_time`,
    [
      policy.modelName ?? DEFAULT_POLICY_MODEL,
      policy.metricKey,
      policy.comparator,
      String(policy.threshold),
      policy.autoPromote,
      policy.archivePrevious,
      policy.updatedAtMs,
      projectId,
    ],
  );
}

/** Deletes a policy and returns whether one existed. */
export async function deletePolicyRow(
  tx: SqlRunner,
  projectId: string,
  modelName: string | null,
): Promise<boolean> {
  const rows = await tx.all(
    `DELETE FROM mlflow_promotion_policies WHERE model_name = $1 AND project_id = $2
     RETURNING model_name`,
    [modelName ?? DEFAULT_POLICY_MODEL, projectId],
  );
  return rows.length > 0;
}

export async function insertTransition(
  tx: SqlRunner,
  projectId: string,
  record: StageTransitionRecord,
): Promise<void> {
  await tx.run('INSERT INTO mlflow_stage_transitions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
    record.name,
    record.version,
    record.fromStage,
    record.toStage,
    record.actor,
    record.reason,
    record.outcome,
    record.timestampMs,
    projectId,
  ]);
}

/**
 * Moves a version to its new stage and logs the move, plus one row per
 * version that `archiveExisting` moved to Archived, in the caller's transaction.
 */
export async function applyTransitionRows(
  tx: SqlRunner,
  projectId: string,
  request: StageTransitionRequest,
): Promise<StageTransitionRecord[]> {
  const before = await tx.all(
    `SELECT version, current_stage FROM mlflow_model_versions
     WHERE name = $1 AND (version = $2 OR ($3 AND current_stage = $4)) AND project_id = $5`,
    [request.name, request.version, request.archiveExisting, request.stage, projectId],
  );
  await transitionRows(
    tx,
    projectId,
    request.name,
    request.version,
    request.stage,
    request.archiveExisting,
    request.nowMs,
  );
  const records = before.map((row): StageTransitionRecord => {
    const version = num(row.version);
    const moved = version === request.version;
    return {
      name: request.name,
      version,
      fromStage: String(row.current_stage),
      toStage: moved ? request.stage : 'Archived',
      actor: request.actor,
      reason: moved
        ? request.reason
        : `archived because version ${request.version} moved to ${request.stage}`,
      outcome: 'applied',
      timestampMs: request.nowMs,
    };
  });
  // The requested move is logged first and the archivals it caused after it.
  records.sort(
    (a, b) => Number(b.version === request.version) - Number(a.version === request.version),
  );
  for (const record of records) await insertTransition(tx, projectId, record);
  return records;
}

/** Lists transitions, newest first. */
export async function selectTransitions(
  db: TrackingDb,
  projectId: string,
  query: TransitionQuery,
): Promise<StageTransitionRecord[]> {
  const rows = await db.all(
    `SELECT * FROM mlflow_stage_transitions
     WHERE project_id = $3 AND ($1::VARCHAR IS NULL OR name = $1)
       AND ($2::INTEGER IS NULL OR version = $2)
     ORDER BY timestamp DESC, rowid DESC LIMIT ${query.limit}`,
    [query.name, query.version, projectId],
  );
  return rows.map(toTransition);
}
