import type { DatasetInput, KeyValue, Metric } from '../../../tracking/entities.ts';
import { invalidParameter } from '../../../tracking/mlflow-error.ts';
import type { NewRun, RunBatch, RunUpdate } from '../../../tracking/tracking-store.ts';
import { doubleLiteral, type SqlParam, type SqlRunner } from './tracking-db.ts';

export async function insertRun(tx: SqlRunner, run: NewRun): Promise<void> {
  await tx.run(
    `INSERT INTO mlflow_runs VALUES ($1, $2, $3, $4, 'RUNNING', $5, NULL, $6, 'active', NULL)`,
    [
      run.runId,
      BigInt(run.experimentId),
      run.runName,
      run.userId,
      run.startTimeMs,
      run.artifactUri,
    ],
  );
  await upsertKeyValues(tx, 'mlflow_tags', run.runId, run.tags);
}

/** Inserts or replaces `(owner, key, value)` rows; the last value of a repeated key wins. */
export async function upsertKeyValues(
  tx: SqlRunner,
  table: string,
  ownerId: string,
  pairs: readonly KeyValue[],
): Promise<void> {
  const latest = new Map(pairs.map((pair) => [pair.key, pair.value]));
  if (latest.size === 0) return;
  const params: SqlParam[] = [ownerId];
  const rows = [...latest].map(([key, value]) => {
    params.push(key, value);
    return `($1, $${params.length - 1}, $${params.length})`;
  });
  await tx.run(
    `INSERT INTO ${table} VALUES ${rows.join(', ')}
     ON CONFLICT DO UPDATE SET value = excluded.value`,
    params,
  );
}

function describeConflicts(
  conflicts: { key: string; oldValue: string; newValue: string }[],
): string {
  return conflicts
    .map(
      ({ key, oldValue, newValue }) =>
        `{'key': '${key}', 'old_value': '${oldValue}', 'new_value': '${newValue}'}`,
    )
    .join(', ');
}

/** Inserts params, rejecting any key whose stored (or batched) value differs: params are immutable. */
export async function insertParams(
  tx: SqlRunner,
  runId: string,
  params: readonly KeyValue[],
): Promise<void> {
  if (params.length === 0) return;
  const wanted = new Map<string, string>();
  const conflicts: { key: string; oldValue: string; newValue: string }[] = [];
  for (const { key, value } of params) {
    const earlier = wanted.get(key);
    if (earlier !== undefined && earlier !== value)
      conflicts.push({ key, oldValue: earlier, newValue: value });
    wanted.set(key, value);
  }
  const keyParams = [...wanted.keys()];
  const stored = await tx.all(
    `SELECT key, value FROM mlflow_params WHERE run_id = $1 AND key IN (${keyParams.map((_, i) => `$${i + 2}`).join(', ')})`,
    [runId, ...keyParams],
  );
  for (const row of stored) {
    const newValue = wanted.get(String(row.key))!;
    if (newValue !== row.value)
      conflicts.push({ key: String(row.key), oldValue: String(row.value), newValue });
  }
  if (conflicts.length > 0) {
    throw invalidParameter(
      `Changing param values is not allowed. Params were already logged='[${describeConflicts(conflicts)}]' for run ID='${runId}'.`,
    );
  }
  const fresh = [...wanted].filter(([key]) => !stored.some((row) => row.key === key));
  if (fresh.length === 0) return;
  await upsertKeyValues(
    tx,
    'mlflow_params',
    runId,
    fresh.map(([key, value]) => ({ key, value })),
  );
}

async function appendMetricHistory(
  tx: SqlRunner,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  const appender = await tx.connection.createAppender('mlflow_metrics');
  try {
    for (const metric of metrics) {
      appender.appendVarchar(runId);
      appender.appendVarchar(metric.key);
      appender.appendDouble(metric.value);
      appender.appendBigInt(BigInt(metric.timestampMs));
      appender.appendBigInt(BigInt(metric.step));
      for (const text of [metric.datasetName, metric.datasetDigest, metric.modelId]) {
        if (text === undefined) appender.appendNull();
        else appender.appendVarchar(text);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** True when `a` replaces `b` as the latest value: MLflow orders by (step, timestamp, value). */
function isNewer(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs > b.timestampMs;
  return a.value > b.value || (Number.isNaN(b.value) && !Number.isNaN(a.value));
}

async function updateLatestMetrics(
  tx: SqlRunner,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  const latest = new Map<string, Metric>();
  for (const metric of metrics) {
    const current = latest.get(metric.key);
    if (current === undefined || isNewer(metric, current)) latest.set(metric.key, metric);
  }
  const params: SqlParam[] = [runId];
  const add = (value: string | undefined): string => {
    if (value === undefined) return 'NULL';
    params.push(value);
    return `$${params.length}`;
  };
  const rows = [...latest.values()].map(
    (m) =>
      `($1, ${add(m.key)}, ${doubleLiteral(m.value)}, ${m.timestampMs}, ${m.step}, ` +
      `${add(m.datasetName)}, ${add(m.datasetDigest)}, ${add(m.modelId)})`,
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
export async function writeBatch(tx: SqlRunner, runId: string, batch: RunBatch): Promise<void> {
  await insertParams(tx, runId, batch.params);
  if (batch.metrics.length > 0) {
    await appendMetricHistory(tx, runId, batch.metrics);
    await updateLatestMetrics(tx, runId, batch.metrics);
  }
  await upsertKeyValues(tx, 'mlflow_tags', runId, batch.tags);
}

export async function updateRunRow(tx: SqlRunner, runId: string, update: RunUpdate): Promise<void> {
  await tx.run(
    `UPDATE mlflow_runs SET status = coalesce($2, status), end_time = coalesce($3, end_time),
       run_name = coalesce($4, run_name) WHERE run_id = $1`,
    [runId, update.status ?? null, update.endTimeMs ?? null, update.runName ?? null],
  );
  if (update.runName !== undefined) {
    await upsertKeyValues(tx, 'mlflow_tags', runId, [
      { key: 'mlflow.runName', value: update.runName },
    ]);
  }
}

export async function insertDatasetInputs(
  tx: SqlRunner,
  runId: string,
  inputs: readonly DatasetInput[],
): Promise<void> {
  for (const { dataset, tags } of inputs) {
    const context = tags.find((tag) => tag.key === 'mlflow.data.context')?.value ?? null;
    await tx.run(
      `INSERT INTO mlflow_run_dataset_inputs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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
      ],
    );
  }
}

export async function insertModelIo(
  tx: SqlRunner,
  runId: string,
  direction: 'input' | 'output',
  models: readonly { modelId: string; step: number }[],
): Promise<void> {
  for (const model of models) {
    await tx.run(
      `INSERT INTO mlflow_run_model_io VALUES ($1, $2, $3, $4)
       ON CONFLICT DO UPDATE SET step = excluded.step`,
      [runId, direction, model.modelId, model.step],
    );
  }
}
