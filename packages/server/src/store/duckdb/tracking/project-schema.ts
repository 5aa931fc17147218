import { DEFAULT_PROJECT_ID } from '../../../auth/request-scope.ts';
import type { SqlRunner } from './tracking-db.ts';

/** Every tracking table; each row belongs to the project in its `project_id` column. */
const PROJECT_TABLES = [
  'mlflow_experiments',
  'mlflow_experiment_tags',
  'mlflow_runs',
  'mlflow_params',
  'mlflow_tags',
  'mlflow_metrics',
  'mlflow_latest_metrics',
  'mlflow_run_dataset_inputs',
  'mlflow_run_model_io',
  'mlflow_logged_models',
  'mlflow_logged_model_tags',
  'mlflow_logged_model_params',
  'mlflow_registered_models',
  'mlflow_registered_model_tags',
  'mlflow_model_versions',
  'mlflow_model_version_tags',
  'mlflow_model_aliases',
  'mlflow_promotion_policies',
  'mlflow_stage_transitions',
];

/**
 * Tables whose primary key must contain the project: every project has its own
 * experiment 0 and its own model names. DuckDB cannot change a primary key in
 * place, so these are copied into a new table. `project_id` stays the last
 * column, which positional inserts rely on.
 *
 * NOTE: these column lists repeat the create statements of schema.ts and
 * policy-sql.ts. A column added there must be added here too, or the rebuild
 * fails on the copy because the new table lacks it.
 */
const KEYED_TABLES: readonly { name: string; columns: string; key: string }[] = [
  {
    name: 'mlflow_experiments',
    columns: `experiment_id BIGINT NOT NULL, name VARCHAR NOT NULL,
      artifact_location VARCHAR NOT NULL, lifecycle_stage VARCHAR NOT NULL,
      creation_time BIGINT, last_update_time BIGINT`,
    key: 'project_id, experiment_id',
  },
  {
    name: 'mlflow_experiment_tags',
    columns: 'experiment_id BIGINT NOT NULL, key VARCHAR NOT NULL, value VARCHAR',
    key: 'project_id, experiment_id, key',
  },
  {
    name: 'mlflow_registered_models',
    columns: `name VARCHAR NOT NULL, creation_timestamp BIGINT, last_updated_timestamp BIGINT,
      user_id VARCHAR, description VARCHAR`,
    key: 'project_id, name',
  },
  {
    name: 'mlflow_model_versions',
    columns: `name VARCHAR NOT NULL, version INTEGER NOT NULL, creation_timestamp BIGINT,
      last_updated_timestamp BIGINT, user_id VARCHAR, current_stage VARCHAR, description VARCHAR,
      source VARCHAR, storage_location VARCHAR, run_id VARCHAR, run_link VARCHAR,
      model_id VARCHAR`,
    key: 'project_id, name, version',
  },
  {
    name: 'mlflow_promotion_policies',
    columns: `model_name VARCHAR NOT NULL, metric_key VARCHAR NOT NULL,
      comparator VARCHAR NOT NULL, threshold DOUBLE NOT NULL, auto_promote BOOLEAN NOT NULL,
      archive_previous BOOLEAN NOT NULL, updated_time BIGINT NOT NULL`,
    key: 'project_id, model_name',
  },
];

const PROJECT_COLUMN = `project_id VARCHAR NOT NULL DEFAULT '${DEFAULT_PROJECT_ID}'`;

async function primaryKeyOf(tx: SqlRunner, table: string): Promise<string> {
  const rows = await tx.all(
    `SELECT array_to_string(constraint_column_names, ', ') AS key FROM duckdb_constraints()
     WHERE table_name = $1 AND constraint_type = 'PRIMARY KEY'`,
    [table],
  );
  return rows.length === 0 ? '' : String(rows[0]!.key);
}

/** Copies a table into one keyed by `key`, matching columns by name; `project_id` comes last. */
async function rebuildWithKey(
  tx: SqlRunner,
  table: { name: string; columns: string; key: string },
): Promise<void> {
  const copy = `${table.name}_by_project`;
  await tx.run(`DROP TABLE IF EXISTS ${copy}`);
  await tx.run(
    `CREATE TABLE ${copy} (${table.columns}, ${PROJECT_COLUMN}, PRIMARY KEY (${table.key}))`,
  );
  await tx.run(`INSERT INTO ${copy} BY NAME SELECT * FROM ${table.name}`);
  await tx.run(`DROP TABLE ${table.name}`);
  await tx.run(`ALTER TABLE ${copy} RENAME TO ${table.name}`);
}

/**
 * Gives every tracking table a `project_id` column (existing rows move to the
 * default project) and rebuilds the tables whose key must contain it. Runs in
 * the caller's transaction after the tables exist; a second run changes nothing.
 */
export async function migrateTrackingProjects(tx: SqlRunner): Promise<void> {
  for (const table of PROJECT_TABLES) {
    await tx.run(
      `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT '${DEFAULT_PROJECT_ID}'`,
    );
  }
  for (const table of KEYED_TABLES) {
    if ((await primaryKeyOf(tx, table.name)) !== table.key) await rebuildWithKey(tx, table);
  }
}
