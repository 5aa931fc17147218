import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbTrackingStore } from '../../src/store/duckdb/tracking/duckdb-tracking-store.ts';
import { POLICY_SCHEMA_STATEMENTS } from '../../src/store/duckdb/tracking/policy-sql.ts';
import { TRACKING_SCHEMA_STATEMENTS } from '../../src/store/duckdb/tracking/schema.ts';

const RUN_ID = '5f1c0ffee5f1c0ffee5f1c0ffee5f1c0';
const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';
const CREATED_MS = Date.UTC(2026, 0, 5, 10, 0, 0);

/** Rows as a store from before projects wrote them; the create statements still have that layout. */
const LEGACY_ROWS = [
  `INSERT INTO mlflow_experiments VALUES
     (0, 'Default', 'mlflow-artifacts:/0', 'active', ${CREATED_MS}, ${CREATED_MS}),
     (5, 'legacy experiment', 'mlflow-artifacts:/5', 'active', ${CREATED_MS}, ${CREATED_MS})`,
  "INSERT INTO mlflow_experiment_tags VALUES (5, 'team', 'search')",
  `INSERT INTO mlflow_runs VALUES ('${RUN_ID}', 5, 'legacy-run', 'ana', 'FINISHED', ${CREATED_MS},
     ${CREATED_MS + 1000}, 'mlflow-artifacts:/5/${RUN_ID}/artifacts', 'active', NULL)`,
  `INSERT INTO mlflow_params VALUES ('${RUN_ID}', 'alpha', '0.5')`,
  `INSERT INTO mlflow_tags VALUES ('${RUN_ID}', 'mlflow.runName', 'legacy-run')`,
  `INSERT INTO mlflow_metrics VALUES ('${RUN_ID}', 'accuracy', 0.75, ${CREATED_MS}, 3, NULL, NULL, NULL)`,
  `INSERT INTO mlflow_latest_metrics VALUES
     ('${RUN_ID}', 'accuracy', 0.75, ${CREATED_MS}, 3, NULL, NULL, NULL)`,
  `INSERT INTO mlflow_logged_models VALUES ('${MODEL_ID}', 5, 'model', 'mlflow-artifacts:/5/models/${MODEL_ID}/artifacts',
     'LOGGED_MODEL_READY', NULL, 'ana', NULL, '${RUN_ID}', 'active', ${CREATED_MS}, ${CREATED_MS})`,
  `INSERT INTO mlflow_registered_models VALUES ('legacy-model', ${CREATED_MS}, ${CREATED_MS}, NULL, 'kept')`,
  "INSERT INTO mlflow_registered_model_tags VALUES ('legacy-model', 'owner', 'ana')",
  `INSERT INTO mlflow_model_versions VALUES ('legacy-model', 1, ${CREATED_MS}, ${CREATED_MS}, NULL,
     'Production', NULL, 'runs:/${RUN_ID}/model', 'mlflow-artifacts:/5/${RUN_ID}/artifacts/model',
     '${RUN_ID}', NULL, NULL)`,
  "INSERT INTO mlflow_model_version_tags VALUES ('legacy-model', 1, 'approved', 'yes')",
  "INSERT INTO mlflow_model_aliases VALUES ('legacy-model', 'champion', 1)",
  `INSERT INTO mlflow_promotion_policies VALUES ('legacy-model', 'accuracy', '>=', 0.7, true, false, ${CREATED_MS})`,
  `INSERT INTO mlflow_stage_transitions VALUES ('legacy-model', 1, 'None', 'Production', 'user',
     'legacy move', 'applied', ${CREATED_MS})`,
];

async function writeLegacyFile(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  // The create statements never had `project_id`; stripping it keeps this file legacy if they gain it.
  for (const statement of [...TRACKING_SCHEMA_STATEMENTS, ...POLICY_SCHEMA_STATEMENTS]) {
    await connection.run(statement.replaceAll(/,\s*project_id VARCHAR[^,)]*/g, ''));
  }
  await connection.run("SELECT nextval('mlflow_experiment_ids') FROM range(5)");
  for (const statement of LEGACY_ROWS) await connection.run(statement);
  connection.closeSync();
  instance.closeSync();
}

async function primaryKeys(instance: DuckDBInstance): Promise<Record<string, string>> {
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT table_name, array_to_string(constraint_column_names, ', ') AS key
     FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN
       ('mlflow_experiments', 'mlflow_experiment_tags', 'mlflow_registered_models',
        'mlflow_model_versions', 'mlflow_promotion_policies')`,
  );
  connection.closeSync();
  const rows = reader.getRowObjectsJS() as { table_name: string; key: string }[];
  return Object.fromEntries(rows.map((row) => [row.table_name, row.key]));
}

describe('tracking file from before projects', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-tracking-migrate-'));
  const path = join(dataDir, 'foghorn.duckdb');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('moves rows to the default project on every start', async () => {
    await writeLegacyFile(path);
    for (let start = 0; start < 2; start++) {
      const instance = await DuckDBInstance.create(path);
      const store = await openDuckDbTrackingStore(instance, CREATED_MS + start);
      const other = store.forProject('other');
      try {
        const run = await store.getRun(RUN_ID);
        expect(run?.info.experimentId).toBe('5');
        expect(run?.data.params).toEqual([{ key: 'alpha', value: '0.5' }]);
        expect(run?.data.metrics.map((metric) => [metric.key, metric.value])).toEqual([
          ['accuracy', 0.75],
        ]);
        const history = await store.getMetricHistory(RUN_ID, 'accuracy', {
          maxResults: 10,
          offset: 0,
        });
        expect(history.items.map((metric) => metric.step)).toEqual([3]);
        expect(await other.getRun(RUN_ID)).toBeNull();

        const experiment = await store.getExperiment('5');
        expect(experiment?.tags).toEqual([{ key: 'team', value: 'search' }]);
        expect(await other.getExperiment('5')).toBeNull();
        expect((await other.getExperiment('0'))?.name).toBe('Default');

        expect((await store.getLoggedModel(MODEL_ID))?.sourceRunId).toBe(RUN_ID);
        expect(await other.getLoggedModel(MODEL_ID)).toBeNull();

        const model = await store.getRegisteredModel('legacy-model');
        expect(model?.description).toBe('kept');
        expect(model?.tags).toEqual([{ key: 'owner', value: 'ana' }]);
        expect(model?.aliases).toEqual([{ alias: 'champion', version: 1 }]);
        const version = await store.getVersionByAlias('legacy-model', 'champion');
        expect(version?.tags).toEqual([{ key: 'approved', value: 'yes' }]);
        expect(await other.getRegisteredModel('legacy-model')).toBeNull();

        expect((await store.listPromotionPolicies()).map((policy) => policy.modelName)).toEqual([
          'legacy-model',
        ]);
        expect(await other.listPromotionPolicies()).toEqual([]);
        const transitions = await store.listStageTransitions({
          name: 'legacy-model',
          version: null,
          limit: 10,
        });
        expect(transitions.map((transition) => transition.reason)).toEqual(['legacy move']);
        expect(
          await other.listStageTransitions({ name: 'legacy-model', version: null, limit: 10 }),
        ).toEqual([]);

        expect(await primaryKeys(instance)).toEqual({
          mlflow_experiments: 'project_id, experiment_id',
          mlflow_experiment_tags: 'project_id, experiment_id, key',
          mlflow_registered_models: 'project_id, name',
          mlflow_model_versions: 'project_id, name, version',
          mlflow_promotion_policies: 'project_id, model_name',
        });
      } finally {
        await store.close();
        instance.closeSync();
      }
    }
  });

  it('reuses model names and continues experiment ids', async () => {
    const instance = await DuckDBInstance.create(path);
    const store = await openDuckDbTrackingStore(instance, CREATED_MS);
    const other = store.forProject('other');
    try {
      await other.createRegisteredModel({
        name: 'legacy-model',
        description: 'other',
        tags: [],
        nowMs: CREATED_MS,
      });
      expect((await other.getRegisteredModel('legacy-model'))?.description).toBe('other');
      expect((await store.getRegisteredModel('legacy-model'))?.description).toBe('kept');
      const id = await other.createExperiment({
        name: 'after migration',
        artifactLocation: null,
        tags: [],
        nowMs: CREATED_MS,
      });
      expect(Number(id)).toBe(6);
      expect(await store.getExperiment(id)).toBeNull();
    } finally {
      await store.close();
      instance.closeSync();
    }
  });
});
