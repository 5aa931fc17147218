import type { DuckDBAppender } from '@duckdb/node-api';
import type { KeyValue, Metric } from '../../../tracking/entities.ts';
import type { NewRunWithData } from '../../../tracking/tracking-store.ts';
import { fillAppender } from '../appender-values.ts';
import type { SqlRunner } from './tracking-db.ts';

function appendText(appender: DuckDBAppender, text: string | null | undefined): void {
  if (text === null || text === undefined) appender.appendNull();
  else appender.appendVarchar(text);
}

function appendBigIntOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendBigInt(BigInt(value));
}

/** Appends rows through one appender on `table`, flushing and closing it even when a row throws. */
async function appendRows<T>(
  tx: SqlRunner,
  table: string,
  items: Iterable<T>,
  appendRow: (appender: DuckDBAppender, item: T) => void,
): Promise<void> {
  await fillAppender(tx.connection, table, (appender) => {
    for (const item of items) {
      appendRow(appender, item);
      appender.endRow();
    }
  });
}

/** Appends one metric row (history or latest) without its `project_id`. */
export function appendMetricRow(appender: DuckDBAppender, runId: string, metric: Metric): void {
  appender.appendVarchar(runId);
  appender.appendVarchar(metric.key);
  appender.appendDouble(metric.value);
  appender.appendBigInt(BigInt(metric.timestampMs));
  appender.appendBigInt(BigInt(metric.step));
  appendText(appender, metric.datasetName);
  appendText(appender, metric.datasetDigest);
  appendText(appender, metric.modelId);
}

/** True when `a` replaces `b` as the latest value: MLflow orders by (step, timestamp, value). */
export function isNewerMetric(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs > b.timestampMs;
  return a.value > b.value || (Number.isNaN(b.value) && !Number.isNaN(a.value));
}

/** The latest metric of each key in `metrics`. */
export function latestByKey(metrics: readonly Metric[]): Metric[] {
  const latest = new Map<string, Metric>();
  for (const metric of metrics) {
    const current = latest.get(metric.key);
    if (current === undefined || isNewerMetric(metric, current)) latest.set(metric.key, metric);
  }
  return [...latest.values()];
}

/** The pairs with unique keys, the last value of a repeated key winning. */
function lastValueByKey(pairs: readonly KeyValue[]): KeyValue[] {
  return [...new Map(pairs.map((pair) => [pair.key, pair])).values()];
}

type OwnedPair = { runId: string; pair: KeyValue };

function ownedPairs(runs: readonly NewRunWithData[], pick: (run: NewRunWithData) => KeyValue[]) {
  return runs.flatMap((run) =>
    lastValueByKey(pick(run)).map((pair): OwnedPair => ({ runId: run.runId, pair })),
  );
}

/**
 * Inserts new runs with their tags, params and metrics through appenders,
 * inside the caller's transaction. Every run ID must be new: a repeated ID
 * violates the primary key and fails the whole transaction.
 */
export async function appendRunsWithData(
  tx: SqlRunner,
  projectId: string,
  runs: readonly NewRunWithData[],
): Promise<void> {
  await appendRows(tx, 'mlflow_runs', runs, (appender, run) => {
    appender.appendVarchar(run.runId);
    appender.appendBigInt(BigInt(run.experimentId));
    appender.appendVarchar(run.runName);
    appender.appendVarchar(run.userId);
    appender.appendVarchar('RUNNING');
    appendBigIntOrNull(appender, run.startTimeMs);
    appender.appendNull();
    appender.appendVarchar(run.artifactUri);
    appender.appendVarchar('active');
    appender.appendNull();
    appender.appendVarchar(projectId);
  });
  const appendPair = (appender: DuckDBAppender, { runId, pair }: OwnedPair): void => {
    appender.appendVarchar(runId);
    appender.appendVarchar(pair.key);
    appender.appendVarchar(pair.value);
    appender.appendVarchar(projectId);
  };
  await appendRows(
    tx,
    'mlflow_tags',
    ownedPairs(runs, (run) => run.tags),
    appendPair,
  );
  await appendRows(
    tx,
    'mlflow_params',
    ownedPairs(runs, (run) => run.params),
    appendPair,
  );
  const appendMetric = (appender: DuckDBAppender, [runId, metric]: [string, Metric]): void => {
    appendMetricRow(appender, runId, metric);
    appender.appendVarchar(projectId);
  };
  const history = runs.flatMap((run) => run.metrics.map((m): [string, Metric] => [run.runId, m]));
  await appendRows(tx, 'mlflow_metrics', history, appendMetric);
  const latest = runs.flatMap((run) =>
    latestByKey(run.metrics).map((m): [string, Metric] => [run.runId, m]),
  );
  await appendRows(tx, 'mlflow_latest_metrics', latest, appendMetric);
}
