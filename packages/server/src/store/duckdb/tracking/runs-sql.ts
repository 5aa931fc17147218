import type { DatasetInput, KeyValue, Metric } from '../../../tracking/entities.ts';
import { invalidParameter } from '../../../tracking/mlflow-error.ts';
import type { NewRun, RunBatch, RunUpdate } from '../../../tracking/tracking-store.ts';
import { fillAppender } from '../appender-values.ts';
import { appendMetricRow, latestByKey } from './run-bulk-sql.ts';
import { doubleLiteral, type SqlParam, type SqlRunner } from './tracking-db.ts';

export async function insertRun(tx: SqlRunner, projectId: string, run: NewRun): Promise<void> {
  await tx.run(
    `INSERT INTO mlflow_runs VALUES ($1, $2, $3, $4, 'RUNNING', $5, NULL, $6, 'active', NULL, $7)`,
    [
      run.runId,
      BigInt(run.experimentId),
      run.runName,
      run.userId,
      run.startTimeMs,
      run.artifactUri,
      projectId,
    ],
  );
  await upsertKeyValues(tx, projectId, 'mlflow_tags', run.runId, run.tags);
}

/**
 * Inserts or replaces `(owner, key, value, project_id)` rows; the last value of a
 * repeated key wins. Owner ids (run and logged model ids) are unique across projects.
 */
export async function upsertKeyValues(
  tx: SqlRunner,
  projectId: string,
  table: string,
  ownerId: string,
  pairs: readonly KeyValue[],
): Promise<void> {
  const latest = new Map(pairs.map((pair) => [pair.key, pair.value]));
  if (latest.size === 0) return;
  const params: SqlParam[] = [ownerId, projectId];
  const rows = [...latest].map(([key, value]) => {
    params.push(key, value);
    return `($1, $${params.length - 1}, $${params.length}, $2)`;
  });
  await tx.run(
    `INSERT INTO ${table} VALUES ${rows.join(', ')}
     ON CONFLICT DO UPDATE SET value = excluded.value`,
    params,
  );
}

function describeConflicts(conflicts: ParamConflict[]): string {
  return conflicts
    .map(
      ({ key, oldValue, newValue }) =>
        `{'key': '${key}', 'old_value': '${oldValue}', 'new_value': '${newValue}'}`,
    )
    .join(', ');
}

interface ParamConflict {
  key: string;
  oldValue: string;
  newValue: string;
}

/** The last value of each param key, and the keys given two different values. */
function paramsByKey(params: readonly KeyValue[]): {
  requested: Map<string, string>;
  conflicts: ParamConflict[];
} {
  const requested = new Map<string, string>();
  const conflicts: ParamConflict[] = [];
  for (const { key, value } of params) {
    const earlier = requested.get(key);
    if (earlier !== undefined && earlier !== value)
      conflicts.push({ key, oldValue: earlier, newValue: value });
    requested.set(key, value);
  }
  return { requested, conflicts };
}

/** Rejects params that give one key two different values, with MLflow's message. */
export function checkParamConflicts(runId: string, params: readonly KeyValue[]): void {
  const { conflicts } = paramsByKey(params);
  if (conflicts.length > 0) throw paramConflictError(runId, conflicts);
}

function paramConflictError(runId: string, conflicts: ParamConflict[]): Error {
  return invalidParameter(
    `Changing param values is not allowed. Params were already logged='[${describeConflicts(conflicts)}]' for run ID='${runId}'.`,
  );
}

/** Inserts params, rejecting any key whose stored (or batched) value differs: params are immutable. */
export async function insertParams(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  params: readonly KeyValue[],
): Promise<void> {
  if (params.length === 0) return;
  const { requested, conflicts } = paramsByKey(params);
  const keyParams = [...requested.keys()];
  const stored = await tx.all(
    `SELECT key, value FROM mlflow_params WHERE run_id = $1 AND key IN (${keyParams.map((_, i) => `$${i + 2}`).join(', ')})`,
    [runId, ...keyParams],
  );
  for (const row of stored) {
    const newValue = requested.get(String(row.key))!;
    if (newValue !== row.value)
      conflicts.push({ key: String(row.key), oldValue: String(row.value), newValue });
  }
  if (conflicts.length > 0) throw paramConflictError(runId, conflicts);
  const fresh = [...requested].filter(([key]) => !stored.some((row) => row.key === key));
  if (fresh.length === 0) return;
  await upsertKeyValues(
    tx,
    projectId,
    'mlflow_params',
    runId,
    fresh.map(([key, value]) => ({ key, value })),
  );
}

async function appendMetricHistory(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  await fillAppender(tx.connection, 'mlflow_metrics', (appender) => {
    for (const metric of metrics) {
      appendMetricRow(appender, runId, metric);
      appender.appendVarchar(projectId);
      appender.endRow();
    }
  });
}

async function updateLatestMetrics(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  const params: SqlParam[] = [runId, projectId];
  const add = (value: string | undefined): string => {
    if (value === undefined) return 'NULL';
    params.push(value);
    return `$${params.length}`;
  };
  const rows = latestByKey(metrics).map(
    (m) =>
      `($1, ${add(m.key)}, ${doubleLiteral(m.value)}, ${m.timestampMs}, ${m.step}, ` +
      `${add(m.datasetName)}, ${add(m.datasetDigest)}, ${add(m.modelId)}, $2)`,
  );
  const current = 'mlflow_latest_metrics';
  await tx.run(
    `INSERT INTO mlflow_latest_metrics VALUES ${rows.join(', ')}
     ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp,
       step = excluded.step, dataset_name = excluded.dataset_name,
       dataset_digest = excluded.dataset_digest, model_id = excluded.model_id
     WHERE excluded.step > ${current}.step
       OR (excluded.step = ${current}.step AND excluded.timestamp > ${current}.timestamp)
       OR (excluded.step = ${current}.step AND excluded.timestamp = ${current}.timestamp
           AND excluded.value > ${current}.value)`,
    params,
  );
}

/** Writes a log-batch: params first (so a conflict writes nothing), then metrics and tags. */
export async function writeBatch(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  batch: RunBatch,
): Promise<void> {
  await insertParams(tx, projectId, runId, batch.params);
  if (batch.metrics.length > 0) {
    await appendMetricHistory(tx, projectId, runId, batch.metrics);
    await updateLatestMetrics(tx, projectId, runId, batch.metrics);
  }
  await upsertKeyValues(tx, projectId, 'mlflow_tags', runId, batch.tags);
}

export async function updateRunRow(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  update: RunUpdate,
): Promise<void> {
  await tx.run(
    `UPDATE mlflow_runs SET status = coalesce($2, status), end_time = coalesce($3, end_time),
       run_name = coalesce($4, run_name) WHERE run_id = $1 AND project_id = $5`,
    [runId, update.status ?? null, update.endTimeMs ?? null, update.runName ?? null, projectId],
  );
  if (update.runName !== undefined) {
    await upsertKeyValues(tx, projectId, 'mlflow_tags', runId, [
      { key: 'mlflow.runName', value: update.runName },
    ]);
  }
}

export async function insertDatasetInputs(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  inputs: readonly DatasetInput[],
): Promise<void> {
  for (const { dataset, tags } of inputs) {
    const context = tags.find((tag) => tag.key === 'mlflow.data.context')?.value ?? null;
    await tx.run(
      `INSERT INTO mlflow_run_dataset_inputs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT DO NOTHING`,
      [
        runId,
        dataset.name,
        dataset.digest,
        dataset.sourceType,
        dataset.source,
        dataset.schema ?? null,
        dataset.profile ?? null,
        JSON.stringify(tags),
        context,
        projectId,
      ],
    );
  }
}

export async function insertModelIo(
  tx: SqlRunner,
  projectId: string,
  runId: string,
  direction: 'input' | 'output',
  models: readonly { modelId: string; step: number }[],
): Promise<void> {
  for (const model of models) {
    await tx.run(
      `INSERT INTO mlflow_run_model_io VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO UPDATE SET step = excluded.step`,
      [runId, direction, model.modelId, model.step, projectId],
    );
  }
}
