import type { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_PROJECT_ID } from '../../../auth/request-scope.ts';
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
  NewRunWithData,
  Page,
  PageQuery,
  RunBatch,
  RunSearch,
  RunUpdate,
  TrackingStore,
} from '../../../tracking/tracking-store.ts';
import type { PromotionPolicy } from '../../../tracking/promotion-policy.ts';
import type {
  StageTransitionRecord,
  StageTransitionRequest,
  TransitionQuery,
} from '../../../tracking/stage-transition.ts';
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
import { TRACKING_INDEX_STATEMENTS } from './indexes.ts';
import {
  applyTransitionRows,
  deletePolicyRow,
  insertTransition,
  POLICY_SCHEMA_STATEMENTS,
  selectEffectivePolicy,
  selectPolicies,
  selectTransitions,
  upsertPolicy,
} from './policy-sql.ts';
import { loadRunInfo, loadRuns, toMetric } from './run-rows.ts';
import { searchRunRows } from './run-search-sql.ts';
import { appendRunsWithData } from './run-bulk-sql.ts';
import {
  checkParamConflicts,
  insertDatasetInputs,
  insertModelIo,
  insertRun,
  updateRunRow,
  upsertKeyValues,
  writeBatch,
} from './runs-sql.ts';
import { ProjectDefaults } from './project-defaults.ts';
import { migrateTrackingProjects } from './project-schema.ts';
import { TRACKING_SCHEMA_STATEMENTS } from './schema.ts';
import { TrackingDb } from './tracking-db.ts';

/**
 * Opens the tracking tables on an open DuckDB instance, creating them and the
 * Default experiment. The returned store works on the default project; its
 * `forProject` gives the store of any other project.
 */
export async function openDuckDbTrackingStore(
  instance: DuckDBInstance,
  nowMs: number,
): Promise<TrackingStore> {
  const writeConnection = await instance.connect();
  const readConnection = await instance.connect();
  const db = new TrackingDb(writeConnection, readConnection);
  await db.transaction(async (tx) => {
    for (const statement of TRACKING_SCHEMA_STATEMENTS) await tx.run(statement);
    for (const statement of POLICY_SCHEMA_STATEMENTS) await tx.run(statement);
    await migrateTrackingProjects(tx);
    for (const statement of TRACKING_INDEX_STATEMENTS) await tx.run(statement);
    await ensureDefaultExperiment(tx, DEFAULT_PROJECT_ID, nowMs);
  });
  return new DuckDbTrackingStore(db, DEFAULT_PROJECT_ID, new ProjectDefaults(db, nowMs));
}

/**
 * The tracking data of one project. Every statement filters or stamps
 * `project_id`, so a row of another project is never read or changed.
 */
class DuckDbTrackingStore implements TrackingStore {
  constructor(
    private readonly db: TrackingDb,
    private readonly projectId: string,
    private readonly defaults: ProjectDefaults,
  ) {}

  forProject(projectId: string): TrackingStore {
    if (projectId === this.projectId) return this;
    return new DuckDbTrackingStore(this.db, projectId, this.defaults);
  }

  async createExperiment(experiment: NewExperiment): Promise<string> {
    await this.defaults.ensure(this.projectId);
    return this.db.transaction((tx) => insertExperiment(tx, this.projectId, experiment));
  }

  async getExperiment(experimentId: string): Promise<Experiment | null> {
    if (!/^\d{1,18}$/.test(experimentId)) return null;
    await this.defaults.ensure(this.projectId);
    return selectExperiment(this.db, this.projectId, 'experiment_id = $2', [Number(experimentId)]);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    await this.defaults.ensure(this.projectId);
    return selectExperiment(this.db, this.projectId, 'name = $2', [name]);
  }

  async searchExperiments(search: ExperimentSearch): Promise<Page<Experiment>> {
    await this.defaults.ensure(this.projectId);
    return searchExperimentRows(this.db, this.projectId, search);
  }

  renameExperiment(experimentId: string, newName: string, nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        `UPDATE mlflow_experiments SET name = $2, last_update_time = $3
         WHERE experiment_id = $1 AND project_id = $4`,
        [BigInt(experimentId), newName, nowMs, this.projectId],
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
        `UPDATE mlflow_experiments SET lifecycle_stage = $2, last_update_time = $3
         WHERE experiment_id = $1 AND project_id = $4`,
        [id, stage, nowMs, this.projectId],
      );
      await tx.run(
        `UPDATE mlflow_runs SET lifecycle_stage = $2, deleted_time = $3
         WHERE experiment_id = $1 AND project_id = $4`,
        [id, stage, stage === 'deleted' ? nowMs : null, this.projectId],
      );
    });
  }

  setExperimentTag(experimentId: string, tag: KeyValue): Promise<void> {
    return this.db.transaction((tx) => upsertExperimentTag(tx, this.projectId, experimentId, tag));
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        'DELETE FROM mlflow_experiment_tags WHERE experiment_id = $1 AND key = $2 AND project_id = $3',
        [BigInt(experimentId), key, this.projectId],
      ),
    );
  }

  createRun(run: NewRun): Promise<void> {
    return this.db.transaction((tx) => insertRun(tx, this.projectId, run));
  }

  async createRunsWithData(runs: readonly NewRunWithData[]): Promise<void> {
    for (const run of runs) checkParamConflicts(run.runId, run.params);
    await this.db.transaction((tx) => appendRunsWithData(tx, this.projectId, runs));
  }

  async getRun(runId: string): Promise<Run | null> {
    const [run] = await loadRuns(this.db, this.projectId, [runId]);
    return run ?? null;
  }

  getRunInfo(runId: string): Promise<RunInfo | null> {
    return loadRunInfo(this.db, this.projectId, runId);
  }

  async updateRun(runId: string, update: RunUpdate): Promise<RunInfo> {
    await this.db.transaction((tx) => updateRunRow(tx, this.projectId, runId, update));
    return (await loadRunInfo(this.db, this.projectId, runId))!;
  }

  setRunLifecycle(runId: string, stage: 'active' | 'deleted', nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        `UPDATE mlflow_runs SET lifecycle_stage = $2, deleted_time = $3
         WHERE run_id = $1 AND project_id = $4`,
        [runId, stage, stage === 'deleted' ? nowMs : null, this.projectId],
      ),
    );
  }

  logBatch(runId: string, batch: RunBatch): Promise<void> {
    return this.db.transaction((tx) => writeBatch(tx, this.projectId, runId, batch));
  }

  deleteRunTag(runId: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run('DELETE FROM mlflow_tags WHERE run_id = $1 AND key = $2 AND project_id = $3', [
        runId,
        key,
        this.projectId,
      ]),
    );
  }

  async getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults: number; offset: number },
  ): Promise<Page<Metric>> {
    const rows = await this.db.all(
      `SELECT * FROM mlflow_metrics WHERE run_id = $1 AND key = $2 AND project_id = $3
       ORDER BY step, timestamp, value LIMIT ${page.maxResults + 1} OFFSET ${page.offset}`,
      [runId, key, this.projectId],
    );
    const items = rows.slice(0, page.maxResults).map((row) => ({ ...toMetric(row), runId }));
    return { items, hasMore: rows.length > page.maxResults };
  }

  logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      await insertDatasetInputs(tx, this.projectId, runId, datasets);
      await insertModelIo(
        tx,
        this.projectId,
        runId,
        'input',
        modelIds.map((modelId) => ({ modelId, step: 0 })),
      );
    });
  }

  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    return this.db.transaction((tx) => insertModelIo(tx, this.projectId, runId, 'output', models));
  }

  searchRuns(search: RunSearch): Promise<Page<Run>> {
    return searchRunRows(this.db, this.projectId, search);
  }

  createLoggedModel(model: NewLoggedModel): Promise<void> {
    return this.db.transaction((tx) => insertLoggedModel(tx, this.projectId, model));
  }

  getLoggedModel(modelId: string): Promise<LoggedModel | null> {
    return selectLoggedModel(this.db, this.projectId, modelId);
  }

  finalizeLoggedModel(modelId: string, status: LoggedModelStatus, nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        `UPDATE mlflow_logged_models SET status = $2, last_updated_timestamp = $3
         WHERE model_id = $1 AND project_id = $4`,
        [modelId, status, nowMs, this.projectId],
      ),
    );
  }

  setLoggedModelTags(modelId: string, tags: KeyValue[], nowMs: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await upsertKeyValues(tx, this.projectId, 'mlflow_logged_model_tags', modelId, tags);
      await tx.run(
        'UPDATE mlflow_logged_models SET last_updated_timestamp = $2 WHERE model_id = $1 AND project_id = $3',
        [modelId, nowMs, this.projectId],
      );
    });
  }

  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        'DELETE FROM mlflow_logged_model_tags WHERE model_id = $1 AND key = $2 AND project_id = $3',
        [modelId, key, this.projectId],
      ),
    );
  }

  logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void> {
    return this.db.transaction((tx) =>
      upsertKeyValues(tx, this.projectId, 'mlflow_logged_model_params', modelId, params),
    );
  }

  deleteLoggedModel(modelId: string, nowMs: number): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        `UPDATE mlflow_logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp = $2
         WHERE model_id = $1 AND project_id = $3`,
        [modelId, nowMs, this.projectId],
      ),
    );
  }

  searchLoggedModels(search: LoggedModelSearch): Promise<Page<LoggedModel>> {
    return searchLoggedModelRows(this.db, this.projectId, search);
  }

  createRegisteredModel(model: {
    name: string;
    description: string | null;
    tags: KeyValue[];
    nowMs: number;
  }): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO mlflow_registered_models VALUES ($1, $2, $2, NULL, $3, $4)', [
        model.name,
        model.nowMs,
        model.description,
        this.projectId,
      ]);
      for (const tag of model.tags) {
        await replaceTag(tx, 'mlflow_registered_model_tags', this.modelOwner(model.name), tag);
      }
    });
  }

  getRegisteredModel(name: string): Promise<RegisteredModel | null> {
    return selectRegisteredModel(this.db, this.projectId, name);
  }

  renameRegisteredModel(name: string, newName: string, nowMs: number): Promise<void> {
    return this.db.transaction((tx) => renameModelRows(tx, this.projectId, name, newName, nowMs));
  }

  updateRegisteredModel(name: string, description: string, nowMs: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        'UPDATE mlflow_registered_models SET description = $2 WHERE name = $1 AND project_id = $3',
        [name, description, this.projectId],
      );
      await touchModel(tx, this.projectId, name, nowMs);
    });
  }

  deleteRegisteredModel(name: string): Promise<void> {
    return this.db.transaction((tx) => deleteModelRows(tx, this.projectId, name));
  }

  searchRegisteredModels(search: PageQuery): Promise<Page<RegisteredModel>> {
    return searchRegisteredModelRows(this.db, this.projectId, search);
  }

  setRegisteredModelTag(name: string, tag: KeyValue): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_registered_model_tags', this.modelOwner(name), tag),
    );
  }

  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_registered_model_tags', this.modelOwner(name), { key, value: null }),
    );
  }

  async createModelVersion(version: NewModelVersion): Promise<ModelVersion> {
    const number = await this.db.transaction((tx) => insertVersion(tx, this.projectId, version));
    return (await selectVersion(this.db, this.projectId, version.name, number))!;
  }

  getModelVersion(name: string, version: number): Promise<ModelVersion | null> {
    return selectVersion(this.db, this.projectId, name, version);
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
         WHERE name = $1 AND version = $2 AND project_id = $5`,
        [name, version, description, nowMs, this.projectId],
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
        await tx.run(`DELETE FROM ${table} WHERE name = $1 AND version = $2 AND project_id = $3`, [
          name,
          version,
          this.projectId,
        ]);
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
      transitionRows(tx, this.projectId, name, version, stage, archiveExisting, nowMs),
    );
  }

  searchModelVersions(search: PageQuery): Promise<Page<ModelVersion>> {
    return searchVersionRows(this.db, this.projectId, search);
  }

  setModelVersionTag(name: string, version: number, tag: KeyValue): Promise<void> {
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_model_version_tags', { ...this.modelOwner(name), version }, tag),
    );
  }

  deleteModelVersionTag(name: string, version: number, key: string): Promise<void> {
    const owner = { ...this.modelOwner(name), version };
    return this.db.transaction((tx) =>
      replaceTag(tx, 'mlflow_model_version_tags', owner, { key, value: null }),
    );
  }

  setAlias(name: string, alias: string, version: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        'DELETE FROM mlflow_model_aliases WHERE name = $1 AND alias = $2 AND project_id = $3',
        [name, alias, this.projectId],
      );
      await tx.run('INSERT INTO mlflow_model_aliases VALUES ($1, $2, $3, $4)', [
        name,
        alias,
        version,
        this.projectId,
      ]);
    });
  }

  deleteAlias(name: string, alias: string): Promise<void> {
    return this.db.transaction((tx) =>
      tx.run(
        'DELETE FROM mlflow_model_aliases WHERE name = $1 AND alias = $2 AND project_id = $3',
        [name, alias, this.projectId],
      ),
    );
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const rows = await this.db.all(
      'SELECT version FROM mlflow_model_aliases WHERE name = $1 AND alias = $2 AND project_id = $3',
      [name, alias, this.projectId],
    );
    if (rows.length === 0) return null;
    return selectVersion(this.db, this.projectId, name, Number(rows[0]!.version));
  }

  listPromotionPolicies(): Promise<PromotionPolicy[]> {
    return selectPolicies(this.db, this.projectId);
  }

  getEffectivePolicy(modelName: string): Promise<PromotionPolicy | null> {
    return selectEffectivePolicy(this.db, this.projectId, modelName);
  }

  setPromotionPolicy(policy: PromotionPolicy): Promise<void> {
    return this.db.transaction((tx) => upsertPolicy(tx, this.projectId, policy));
  }

  deletePromotionPolicy(modelName: string | null): Promise<boolean> {
    return this.db.transaction((tx) => deletePolicyRow(tx, this.projectId, modelName));
  }

  applyStageTransition(request: StageTransitionRequest): Promise<StageTransitionRecord[]> {
    return this.db.transaction((tx) => applyTransitionRows(tx, this.projectId, request));
  }

  recordStageTransition(record: StageTransitionRecord): Promise<void> {
    return this.db.transaction((tx) => insertTransition(tx, this.projectId, record));
  }

  listStageTransitions(query: TransitionQuery): Promise<StageTransitionRecord[]> {
    return selectTransitions(this.db, this.projectId, query);
  }

  /** The key columns of a registered model's child rows. */
  private modelOwner(name: string): { project_id: string; name: string } {
    return { project_id: this.projectId, name };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
