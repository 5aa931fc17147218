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
  RunStatus,
  ViewType,
} from './entities.ts';
import type { OrderByClause } from './order-by.ts';
import type { PromotionPolicy } from './promotion-policy.ts';
import type { FilterClause } from './search-filter.ts';
import type {
  StageTransitionRecord,
  StageTransitionRequest,
  TransitionQuery,
} from './stage-transition.ts';

/** A page request: rows `offset` to `offset + maxResults`. */
export interface PageQuery {
  filter: FilterClause[];
  orderBy: OrderByClause[];
  maxResults: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  /** True when rows follow this page. */
  hasMore: boolean;
}

export interface ExperimentSearch extends PageQuery {
  viewType: ViewType;
}

export interface RunSearch extends PageQuery {
  experimentIds: string[];
  viewType: ViewType;
}

export interface LoggedModelSearch extends PageQuery {
  experimentIds: string[];
}

export interface NewExperiment {
  name: string;
  artifactLocation: string | null;
  tags: KeyValue[];
  nowMs: number;
}

export interface NewRun {
  runId: string;
  experimentId: string;
  userId: string;
  runName: string;
  startTimeMs: number | null;
  artifactUri: string;
  tags: KeyValue[];
}

export interface RunUpdate {
  status?: RunStatus;
  endTimeMs?: number;
  runName?: string;
}

export interface RunBatch {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** A new run with the params and metrics it starts with; `tags` holds the run's tags. */
export interface NewRunWithData extends NewRun {
  params: KeyValue[];
  metrics: Metric[];
}

export interface NewLoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  modelType: string | null;
  sourceRunId: string | null;
  creatorId: string | null;
  params: KeyValue[];
  tags: KeyValue[];
  nowMs: number;
}

export interface NewModelVersion {
  name: string;
  source: string;
  storageLocation: string;
  runId: string | null;
  runLink: string | null;
  modelId: string | null;
  description: string | null;
  userId: string | null;
  tags: KeyValue[];
  nowMs: number;
}

/**
 * Experiment tracking: experiments, runs and their data, logged models, the
 * model registry. A store reads and writes the data of one project; an id or
 * name of another project's entity is treated as missing.
 */
export interface TrackingStore {
  /** The same store for another project's data; every project has its own experiment 0. */
  forProject(projectId: string): TrackingStore;

  createExperiment(experiment: NewExperiment): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment | null>;
  /** Returns the active experiment of that name, else a deleted one, else null. */
  getExperimentByName(name: string): Promise<Experiment | null>;
  searchExperiments(search: ExperimentSearch): Promise<Page<Experiment>>;
  renameExperiment(experimentId: string, newName: string, nowMs: number): Promise<void>;
  setExperimentLifecycle(
    experimentId: string,
    stage: 'active' | 'deleted',
    nowMs: number,
  ): Promise<void>;
  setExperimentTag(experimentId: string, tag: KeyValue): Promise<void>;
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  createRun(run: NewRun): Promise<void>;
  /**
   * Creates many new runs with their data in one transaction, for imports and
   * seeding. Rejects a param key given two values; a run ID already stored
   * fails the whole call and writes nothing.
   */
  createRunsWithData(runs: readonly NewRunWithData[]): Promise<void>;
  getRun(runId: string): Promise<Run | null>;
  /** Returns the run's info without its data: a point lookup for checks before writes. */
  getRunInfo(runId: string): Promise<RunInfo | null>;
  updateRun(runId: string, update: RunUpdate): Promise<RunInfo>;
  setRunLifecycle(runId: string, stage: 'active' | 'deleted', nowMs: number): Promise<void>;
  /** Writes params, metrics and tags in one transaction; rejects a changed param value. */
  logBatch(runId: string, batch: RunBatch): Promise<void>;
  deleteRunTag(runId: string, key: string): Promise<void>;
  getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults: number; offset: number },
  ): Promise<Page<Metric>>;
  logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void>;
  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void>;
  searchRuns(search: RunSearch): Promise<Page<Run>>;

  createLoggedModel(model: NewLoggedModel): Promise<void>;
  getLoggedModel(modelId: string): Promise<LoggedModel | null>;
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus, nowMs: number): Promise<void>;
  setLoggedModelTags(modelId: string, tags: KeyValue[], nowMs: number): Promise<void>;
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>;
  logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void>;
  deleteLoggedModel(modelId: string, nowMs: number): Promise<void>;
  searchLoggedModels(search: LoggedModelSearch): Promise<Page<LoggedModel>>;

  createRegisteredModel(model: {
    name: string;
    description: string | null;
    tags: KeyValue[];
    nowMs: number;
  }): Promise<void>;
  getRegisteredModel(name: string): Promise<RegisteredModel | null>;
  renameRegisteredModel(name: string, newName: string, nowMs: number): Promise<void>;
  updateRegisteredModel(name: string, description: string, nowMs: number): Promise<void>;
  deleteRegisteredModel(name: string): Promise<void>;
  searchRegisteredModels(search: PageQuery): Promise<Page<RegisteredModel>>;
  setRegisteredModelTag(name: string, tag: KeyValue): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  /** Adds the next version number of the model and returns it. */
  createModelVersion(version: NewModelVersion): Promise<ModelVersion>;
  getModelVersion(name: string, version: number): Promise<ModelVersion | null>;
  updateModelVersion(
    name: string,
    version: number,
    description: string,
    nowMs: number,
  ): Promise<void>;
  deleteModelVersion(name: string, version: number): Promise<void>;
  /** Moves a version to `stage`; with `archiveExisting`, moves the others in that stage to Archived. */
  transitionStage(
    name: string,
    version: number,
    stage: ModelStage,
    archiveExisting: boolean,
    nowMs: number,
  ): Promise<void>;
  searchModelVersions(search: PageQuery): Promise<Page<ModelVersion>>;
  setModelVersionTag(name: string, version: number, tag: KeyValue): Promise<void>;
  deleteModelVersionTag(name: string, version: number, key: string): Promise<void>;
  setAlias(name: string, alias: string, version: number): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null>;

  listPromotionPolicies(): Promise<PromotionPolicy[]>;
  /** Returns the model's own policy, else the default policy (`modelName: null`), else null. */
  getEffectivePolicy(modelName: string): Promise<PromotionPolicy | null>;
  setPromotionPolicy(policy: PromotionPolicy): Promise<void>;
  /** Deletes the model's policy (null: the default) and returns whether it existed. */
  deletePromotionPolicy(modelName: string | null): Promise<boolean>;
  /** Moves a version and logs the move and every version it archived, in one transaction. */
  applyStageTransition(request: StageTransitionRequest): Promise<StageTransitionRecord[]>;
  recordStageTransition(record: StageTransitionRecord): Promise<void>;
  listStageTransitions(query: TransitionQuery): Promise<StageTransitionRecord[]>;

  close(): Promise<void>;
}
