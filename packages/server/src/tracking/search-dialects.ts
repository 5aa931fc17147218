/** Entity types a search clause can name, after resolving MLflow's aliases. */
export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/** What one search API accepts, following `mlflow/utils/search_utils.py` (3.x). */
export interface SearchDialect {
  /** Entity prefixes by spelling (`metrics`, `params`, `attr` ...). */
  entityTypes: ReadonlyMap<string, EntityType>;
  /** Canonical attribute keys by spelling, for filters. */
  filterAttributes: ReadonlyMap<string, string>;
  /** Canonical attribute keys by spelling, for order_by. */
  orderAttributes: ReadonlyMap<string, string>;
  numericAttributes: ReadonlySet<string>;
  /** Attributes compared with `IN ('a', 'b')` lists. */
  listAttributes: ReadonlySet<string>;
  datasetKeys: ReadonlySet<string>;
}

const RUN_ENTITY_TYPES = new Map<string, EntityType>([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['param', 'param'],
  ['params', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);

const TAG_AND_ATTRIBUTE_TYPES = new Map<string, EntityType>([
  ['attribute', 'attribute'],
  ['tag', 'tag'],
  ['tags', 'tag'],
]);

function keys(...names: string[]): Map<string, string> {
  return new Map(names.map((name) => [name, name]));
}

const RUN_SEARCH_ATTRIBUTES = new Map([
  ...keys('run_id', 'run_name', 'user_id', 'status', 'start_time', 'end_time', 'artifact_uri'),
  ['created', 'start_time'],
  ['Created', 'start_time'],
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
]);

export const RUN_DIALECT: SearchDialect = {
  entityTypes: RUN_ENTITY_TYPES,
  filterAttributes: RUN_SEARCH_ATTRIBUTES,
  orderAttributes: new Map([
    ...keys('run_id', 'run_name', 'user_id', 'status', 'start_time', 'end_time'),
    ...keys('artifact_uri', 'experiment_id'),
    ['created', 'start_time'],
    ['Created', 'start_time'],
  ]),
  numericAttributes: new Set(['start_time', 'end_time']),
  listAttributes: new Set(['run_id']),
  datasetKeys: new Set(['name', 'digest', 'context']),
};

export const EXPERIMENT_DIALECT: SearchDialect = {
  entityTypes: TAG_AND_ATTRIBUTE_TYPES,
  filterAttributes: keys('name', 'creation_time', 'last_update_time'),
  orderAttributes: keys('name', 'experiment_id', 'creation_time', 'last_update_time'),
  numericAttributes: new Set(['creation_time', 'last_update_time']),
  listAttributes: new Set(),
  datasetKeys: new Set(),
};

export const REGISTERED_MODEL_DIALECT: SearchDialect = {
  entityTypes: TAG_AND_ATTRIBUTE_TYPES,
  filterAttributes: keys('name'),
  orderAttributes: new Map([
    ...keys('name', 'creation_timestamp', 'last_updated_timestamp'),
    ['timestamp', 'creation_timestamp'],
  ]),
  numericAttributes: new Set(['creation_timestamp', 'last_updated_timestamp']),
  listAttributes: new Set(),
  datasetKeys: new Set(),
};

export const MODEL_VERSION_DIALECT: SearchDialect = {
  entityTypes: TAG_AND_ATTRIBUTE_TYPES,
  filterAttributes: keys('name', 'run_id', 'source_path', 'version_number'),
  orderAttributes: new Map([
    ...keys('name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'),
    ['timestamp', 'creation_timestamp'],
  ]),
  numericAttributes: new Set(['version_number', 'creation_timestamp', 'last_updated_timestamp']),
  listAttributes: new Set(['run_id', 'name']),
  datasetKeys: new Set(),
};

const LOGGED_MODEL_ATTRIBUTES = new Map([
  ...keys('name', 'model_id', 'model_type', 'status', 'source_run_id'),
  ...keys('creation_timestamp', 'last_updated_timestamp'),
  ['creation_time', 'creation_timestamp'],
  ['last_updated_time', 'last_updated_timestamp'],
]);

export const LOGGED_MODEL_DIALECT: SearchDialect = {
  entityTypes: new Map([...RUN_ENTITY_TYPES].filter(([, type]) => type !== 'dataset')),
  filterAttributes: LOGGED_MODEL_ATTRIBUTES,
  orderAttributes: LOGGED_MODEL_ATTRIBUTES,
  numericAttributes: new Set(['creation_timestamp', 'last_updated_timestamp']),
  listAttributes: new Set(['name', 'model_id', 'model_type', 'status', 'source_run_id']),
  datasetKeys: new Set(),
};
