import type { DuckDBInstance } from '@duckdb/node-api';
import type {
  DatasetInput,
  Experiment,
  KeyValue,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  Run,
  RunInfo,
} from '../../../tracking/entities.ts';
import type {
  ExperimentSearch,
  LoggedModelSearch,
  NewExperiment,
  NewLoggedModel,
  NewModelVersion,
  NewRun,
  Page,
  PageQuery,
  RunBatch,
  RunSearch,
  RunUpdate,
  TrackingStore,
} from '../../../tracking/tracking-store.ts';
import {
  ensureDefaultExperiment,
  insertExperiment,
  searchExperimentRows,
  selectExperiment,
  upsertExperimentTag,
} from './experiments-sql.ts';
import {
  insertLoggedModel,
  searchLoggedModelRows,
  selectLoggedModel,
} from './logged-models-sql.ts';
import {
  deleteModelRows,
  insertVersion,
  renameModelRows,
  replaceTag,
  searchRegisteredModelRows,
  searchVersionRows,
  selectRegisteredModel,
  selectVersion,
  touchModel,
  transitionRows,
} from './registry-sql.ts';
import { loadRunInfo, loadRuns, toMetric } from './run-rows.ts';
import { searchRunRows } from './run-search-sql.ts';
import {
  insertDatasetInputs,
  insertModelIo,
  insertRun,
  updateRunRow,
  upsertKeyValues,
  writeBatch,
} from './runs-sql.ts';
import { TRACKING_SCHEMA_STATEMENTS } from './schema.ts';
import { TrackingDb } from './tracking-db.ts';

/** Opens the tracking tables on an open DuckDB instance, creating them and the Default experiment. */
export async function openDuckDbTrackingStore(
  instance: DuckDBInstance,
  nowMs: number,
): Promise<TrackingStore> {
  const writeConnection = await instance.connect();
  const readConnection = await instance.connect();
  const db = new TrackingDb(writeConnection, readConnection);
  await db.transaction(async (tx) => {
    for (const statement of TRACKING_SCHEMA_STATEMENTS) await tx.run(statement);
    await ensureDefaultExperiment(tx, nowMs);
  });
  return new DuckDbTrackingStore(db);
}

class DuckDbTrackingStore implements TrackingStore {
  constructor(private readonly db: TrackingDb) {}

  createExperiment(experiment: NewExperiment): Promise<string> {
    return this.db.transaction((tx) => insertExperiment(tx, experiment));
  }

  getExperiment(experimentId: string): Promise<Experiment | null> {
    if (!/^\d{1,18}$/.test(experimentId)) return Promise.resolve(null);
    return selectExperiment(this.db, 'experiment_id = $1', [Number(experimentId)]);
  }

  getExperimentByName(name: string): Promise<Experiment | null> {
    return selectExperiment(this.db, 'name = $1', [name]);
  }

  searchExperiments(search: ExperimentSearch): Promise<Page<Experiment>> {
    return searchExperimentRows(this.db, search);
  }

  renameExperiment(experimentId: string, newName: string, nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        'UPDATE mlflow_experiments SET name = $2, last_update_time = $3 WHERE experiment_id = $1',
        [BigInt(experimentId), newName, nowMs],
      ),
    );
  }

  setExperimentLifecycle(
    experimentId: string,
    stage: 'active' | 'deleted',
    nowMs: number,
  ): Promise<void> {
    return this.db.transaction(async (tx) => {
      const id = BigInt(experimentId);
      await tx.run(
        'UPDATE mlflow_experiments SET lifecycle_stage = $2, last_update_time = $3 WHERE experiment_id = $1',
        [id, stage, nowMs],
      );
      await tx.run(
        `UPDATE mlflow_runs SET lifecycle_stage = $2, deleted_time = $3 WHERE experiment_id = $1`,
        [id, stage, stage === 'deleted' ? nowMs : null],
      );
    });
  }

  setExperimentTag(experimentId: string, tag: KeyValue): Promise<void> {
    return this.db.transaction((tx) => upsertExperimentTag(tx, experimentId, tag));
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run('DELETE FROM mlflow_experiment_tags WHERE experiment_id = $1 AND key = $2', [
        BigInt(experimentId),
        key,
      ]),
    );
  }

  createRun(run: NewRun): Promise<void> {
    return this.db.transaction((tx) => insertRun(tx, run));
  }

  async getRun(runId: string): Promise<Run | null> {
    const [run] = await loadRuns(this.db, [runId]);
    return run ?? null;
  }

  getRunInfo(runId: string): Promise<RunInfo | null> {
    return loadRunInfo(this.db, runId);
  }

  async updateRun(runId: string, update: RunUpdate): Promise<RunInfo> {
    await this.db.transaction((tx) => updateRunRow(tx, runId, update));
    return (await loadRunInfo(this.db, runId))!;
  }

  setRunLifecycle(runId: string, stage: 'active' | 'deleted', nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run('UPDATE mlflow_runs SET lifecycle_stage = $2, deleted_time = $3 WHERE run_id = $1', [
        runId,
        stage,
        stage === 'deleted' ? nowMs : null,
      ]),
    );
  }

  logBatch(runId: string, batch: RunBatch): Promise<void> {
    return this.db.transaction((tx) => writeBatch(tx, runId, batch));
  }

  deleteRunTag(runId: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run('DELETE FROM mlflow_tags WHERE run_id = $1 AND key = $2', [runId, key]),
    );
  }

  async getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults: number; offset: number },
  ): Promise<Page<Metric>> {
    const rows = await this.db.all(
      `SELECT * FROM mlflow_metrics WHERE run_id = $1 AND key = $2
       ORDER BY step, timestamp, value LIMIT ${page.maxResults + 1} OFFSET ${page.offset}`,
      [runId, key],
    );
    const items = rows.slice(0, page.maxResults).map((row) => ({ ...toMetric(row), runId }));
    return { items, hasMore: rows.length > page.maxResults };
  }

  logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      await insertDatasetInputs(tx, runId, datasets);
      await insertModelIo(
        tx,
        runId,
        'input',
        modelIds.map((modelId) => ({ modelId, step: 0 })),
      );
    });
  }

  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    return this.db.transaction((tx) => insertModelIo(tx, runId, 'output', models));
  }

  searchRuns(search: RunSearch): Promise<Page<Run>> {
    return searchRunRows(this.db, search);
  }

  createLoggedModel(model: NewLoggedModel): Promise<void> {
    return this.db.transaction((tx) => insertLoggedModel(tx, model));
  }

  getLoggedModel(modelId: string): Promise<LoggedModel | null> {
    return selectLoggedModel(this.db, modelId);
  }

  finalizeLoggedModel(modelId: string, status: LoggedModelStatus, nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        'UPDATE mlflow_logged_models SET status = $2, last_updated_timestamp = $3 WHERE model_id = $1',
        [modelId, status, nowMs],
      ),
    );
  }

  setLoggedModelTags(modelId: string, tags: KeyValue[], nowMs: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await upsertKeyValues(tx, 'mlflow_logged_model_tags', modelId, tags);
      await tx.run(
        'UPDATE mlflow_logged_models SET last_updated_timestamp = $2 WHERE model_id = $1',
        [modelId, nowMs],
      );
    });
  }

  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run('DELETE FROM mlflow_logged_model_tags WHERE model_id = $1 AND key = $2', [
        modelId,
        key,
      ]),
    );
  }

  logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void> {
    return this.db.transaction((tx) =>
      upsertKeyValues(tx, 'mlflow_logged_model_params', modelId, params),
    );
  }

  deleteLoggedModel(modelId: string, nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        `UPDATE mlflow_logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp = $2
         WHERE model_id = $1`,
        [modelId, nowMs],
      ),
    );
  }

  searchLoggedModels(search: LoggedModelSearch): Promise<Page<LoggedModel>> {
    return searchLoggedModelRows(this.db, search);
  }

  createRegisteredModel(model: {
    name: string;
    description: string | null;
    tags: KeyValue[];
    nowMs: number;
  }): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO mlflow_registered_models VALUES ($1, $2, $2, NULL, $3)', [
        model.name,
        model.nowMs,
        model.description,
      ]);
      for (const tag of model.tags) {
        await replaceTag(tx, 'mlflow_registered_model_tags', { name: model.name }, tag);
      }
    });
  }

  getRegisteredModel(name: string): Promise<RegisteredModel | null> {
    return selectRegisteredModel(this.db, name);
  }

  renameRegisteredModel(name: string, newName: string, nowMs: number): Promise<void> {
    return this.db.transaction((tx) => renameModelRows(tx, name, newName, nowMs));
  }

  updateRegisteredModel(name: string, description: string, nowMs: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('UPDATE mlflow_registered_models SET description = $2 WHERE name = $1', [
        name,
        description,
      ]);
      await touchModel(tx, name, nowMs);
    });
  }

  deleteRegisteredModel(name: string): Promise<void> {
    return this.db.transaction((tx) => deleteModelRows(tx, name));
  }

  searchRegisteredModels(search: PageQuery): Promise<Page<RegisteredModel>> {
    return searchRegisteredModelRows(this.db, search);
  }

  setRegisteredModelTag(name: string, tag: KeyValue): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_registered_model_tags', { name }, tag),
    );
  }

  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_registered_model_tags', { name }, { key, value: null }),
    );
  }

  async createModelVersion(version: NewModelVersion): Promise<ModelVersion> {
    const number = await this.db.transaction((tx) => insertVersion(tx, version));
    return (await selectVersion(this.db, version.name, number))!;
  }

  getModelVersion(name: string, version: number): Promise<ModelVersion | null> {
    return selectVersion(this.db, name, version);
  }

  updateModelVersion(
    name: string,
    version: number,
    description: string,
    nowMs: number,
  ): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        `UPDATE mlflow_model_versions SET description = $3, last_updated_timestamp = $4
         WHERE name = $1 AND version = $2`,
        [name, version, description, nowMs],
      ),
    );
  }

  deleteModelVersion(name: string, version: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      for (const table of [
        'mlflow_model_versions',
        'mlflow_model_version_tags',
        'mlflow_model_aliases',
      ]) {
        await tx.run(`DELETE FROM ${table} WHERE name = $1 AND version = $2`, [name, version]);
      }
    });
  }

  transitionStage(
    name: string,
    version: number,
    stage: ModelStage,
    archiveExisting: boolean,
    nowMs: number,
  ): Promise<void> {
    return this.db.transaction((tx) =>
      transitionRows(tx, name, version, stage, archiveExisting, nowMs),
    );
  }

  searchModelVersions(search: PageQuery): Promise<Page<ModelVersion>> {
    return searchVersionRows(this.db, search);
  }

  setModelVersionTag(name: string, version: number, tag: KeyValue): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_model_version_tags', { name, version }, tag),
    );
  }

  deleteModelVersionTag(name: string, version: number, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_model_version_tags', { name, version }, { key, value: null }),
    );
  }

  setAlias(name: string, alias: string, version: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM mlflow_model_aliases WHERE name = $1 AND alias = $2', [
        name,
        alias,
      ]);
      await tx.run('INSERT INTO mlflow_model_aliases VALUES ($1, $2, $3)', [name, alias, version]);
    });
  }

  deleteAlias(name: string, alias: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run('DELETE FROM mlflow_model_aliases WHERE name = $1 AND alias = $2', [name, alias]),
    );
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const rows = await this.db.all(
      'SELECT version FROM mlflow_model_aliases WHERE name = $1 AND alias = $2',
      [name, alias],
    );
    if (rows.length === 0) return null;
    return selectVersion(this.db, name, Number(rows[0]!.version));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
