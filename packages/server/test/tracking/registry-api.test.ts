import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { mlflowHttp, type MlflowHttp } from './mlflow-http.ts';

let server: TestServer;
let api: MlflowHttp;
let runId: string;

beforeAll(async () => {
  server = await startTestServer();
  api = mlflowHttp(server.url);
  const run = await api.post('/runs/create', { experiment_id: '0', run_name: 'registry' });
  runId = run.body.run.info.run_id;
});

afterAll(async () => {
  await server.stop();
});

async function createVersions(name: string, count: number): Promise<void> {
  await api.post('/registered-models/create', { name });
  for (let index = 0; index < count; index += 1) {
    const response = await api.post('/model-versions/create', {
      name,
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    expect(response.body.model_version.version).toBe(String(index + 1));
    expect(response.body.model_version.status).toBe('READY');
  }
}

async function stages(name: string): Promise<string[]> {
  const response = await api.get('/model-versions/search', {
    filter: `name = '${name}'`,
    order_by: 'version_number ASC',
  });
  return response.body.model_versions.map((version: any) => version.current_stage);
}

describe('registered models', () => {
  it('creates once and rejects the same name', async () => {
    const created = await api.post('/registered-models/create', {
      name: 'dup',
      description: 'first',
    });
    expect(created.body.registered_model).toMatchObject({ name: 'dup', description: 'first' });
    const again = await api.post('/registered-models/create', { name: 'dup' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Registered Model (name=dup) already exists.',
    });
  });

  it('answers a missing model with RESOURCE_DOES_NOT_EXIST', async () => {
    const response = await api.get('/registered-models/get', { name: 'ghost' });
    expect(response.status).toBe(404);
    expect(response.body.message).toBe('Registered Model with name=ghost not found');
  });

  it('renames with versions, tags and aliases', async () => {
    await createVersions('old-name', 1);
    await api.post('/registered-models/set-tag', { name: 'old-name', key: 'team', value: 'ml' });
    await api.post('/registered-models/alias', {
      name: 'old-name',
      alias: 'champion',
      version: '1',
    });
    const renamed = await api.post('/registered-models/rename', {
      name: 'old-name',
      new_name: 'new-name',
    });
    expect(renamed.body.registered_model.name).toBe('new-name');
    expect(renamed.body.registered_model.tags).toEqual([{ key: 'team', value: 'ml' }]);
    expect(renamed.body.registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    const alias = await api.get('/registered-models/alias', {
      name: 'new-name',
      alias: 'champion',
    });
    expect(alias.body.model_version.name).toBe('new-name');
    expect((await api.get('/registered-models/get', { name: 'old-name' })).status).toBe(404);
  });

  it('deletes a model with its versions', async () => {
    await createVersions('to-delete', 2);
    const deleted = await api.post('/registered-models/delete', { name: 'to-delete' }, 'DELETE');
    expect(deleted.status).toBe(200);
    expect((await api.get('/model-versions/get', { name: 'to-delete', version: '1' })).status).toBe(
      404,
    );
  });

  it('searches with the prompt clause matching models without the tag', async () => {
    await api.post('/registered-models/create', { name: 'search-me' });
    await api.post('/registered-models/create', {
      name: 'search-prompt',
      tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }],
    });
    const response = await api.get('/registered-models/search', {
      filter: "name LIKE 'search-%' AND tags.`mlflow.prompt.is_prompt` != 'true'",
    });
    expect(response.body.registered_models.map((model: any) => model.name)).toEqual(['search-me']);
    const ordered = await api.get('/registered-models/search', {
      filter: "name ILIKE 'SEARCH-%'",
      order_by: 'name DESC',
      max_results: '1',
    });
    expect(ordered.body.registered_models.map((model: any) => model.name)).toEqual([
      'search-prompt',
    ]);
    expect(ordered.body.next_page_token).toBeDefined();
  });
});

describe('model versions', () => {
  it('transitions stages and archives the others on request', async () => {
    await createVersions('staged', 3);
    await api.post('/model-versions/transition-stage', {
      name: 'staged',
      version: '1',
      stage: 'production',
      archive_existing_versions: false,
    });
    await api.post('/model-versions/transition-stage', {
      name: 'staged',
      version: '2',
      stage: 'Production',
      archive_existing_versions: false,
    });
    expect(await stages('staged')).toEqual(['Production', 'Production', 'None']);
    const archived = await api.post('/model-versions/transition-stage', {
      name: 'staged',
      version: '3',
      stage: 'Production',
      archive_existing_versions: true,
    });
    expect(archived.body.model_version.current_stage).toBe('Production');
    expect(await stages('staged')).toEqual(['Archived', 'Archived', 'Production']);
    const invalid = await api.post('/model-versions/transition-stage', {
      name: 'staged',
      version: '1',
      stage: 'None',
      archive_existing_versions: true,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain("'None' is not an Active stage");
    const badStage = await api.post('/model-versions/transition-stage', {
      name: 'staged',
      version: '1',
      stage: 'Testing',
      archive_existing_versions: false,
    });
    expect(badStage.body.message).toBe(
      'Invalid Model Version stage: Testing. Value must be one of None, Staging, Production, Archived.',
    );
  });

  it('returns the latest version per stage', async () => {
    await createVersions('latest', 3);
    await api.post('/model-versions/transition-stage', {
      name: 'latest',
      version: '1',
      stage: 'Staging',
      archive_existing_versions: false,
    });
    const staging = await api.post('/registered-models/get-latest-versions', {
      name: 'latest',
      stages: ['staging'],
    });
    expect(staging.body.model_versions.map((v: any) => v.version)).toEqual(['1']);
    const all = await api.get('/registered-models/get-latest-versions', { name: 'latest' });
    expect(all.body.model_versions.map((v: any) => [v.version, v.current_stage])).toEqual([
      ['1', 'Staging'],
      ['3', 'None'],
    ]);
  });

  it('resolves the download URI of a run source', async () => {
    await createVersions('download', 1);
    const response = await api.get('/model-versions/get-download-uri', {
      name: 'download',
      version: '1',
    });
    expect(response.body.artifact_uri).toBe(`mlflow-artifacts:/0/${runId}/artifacts/model`);
  });

  it('rejects sources with traversal', async () => {
    await api.post('/registered-models/create', { name: 'unsafe' });
    const response = await api.post('/model-versions/create', {
      name: 'unsafe',
      source: 'mlflow-artifacts:/0/../../x',
    });
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('sets, reads and deletes aliases', async () => {
    await createVersions('aliased', 2);
    const reserved = await api.post('/registered-models/alias', {
      name: 'aliased',
      alias: 'v1',
      version: '1',
    });
    expect(reserved.status).toBe(400);
    await api.post('/registered-models/alias', { name: 'aliased', alias: 'best', version: '1' });
    await api.post('/registered-models/alias', { name: 'aliased', alias: 'best', version: '2' });
    const found = await api.get('/registered-models/alias', { name: 'aliased', alias: 'best' });
    expect(found.body.model_version.version).toBe('2');
    expect(found.body.model_version.aliases).toEqual(['best']);
    await api.post('/registered-models/alias', { name: 'aliased', alias: 'best' }, 'DELETE');
    const missing = await api.get('/registered-models/alias', { name: 'aliased', alias: 'best' });
    expect(missing.status).toBe(404);
  });

  it('keeps tags and descriptions', async () => {
    await createVersions('tagged', 1);
    await api.post('/model-versions/set-tag', {
      name: 'tagged',
      version: '1',
      key: 'k',
      value: 'v',
    });
    await api.post(
      '/model-versions/update',
      { name: 'tagged', version: '1', description: 'desc' },
      'PATCH',
    );
    const version = (await api.get('/model-versions/get', { name: 'tagged', version: '1' })).body
      .model_version;
    expect(version.tags).toEqual([{ key: 'k', value: 'v' }]);
    expect(version.description).toBe('desc');
    const byTag = await api.get('/model-versions/search', { filter: "tags.k = 'v'" });
    expect(byTag.body.model_versions.map((v: any) => v.name)).toEqual(['tagged']);
    await api.post(
      '/model-versions/delete-tag',
      { name: 'tagged', version: '1', key: 'k' },
      'DELETE',
    );
    const cleared = (await api.get('/model-versions/get', { name: 'tagged', version: '1' })).body
      .model_version;
    expect(cleared.tags).toEqual([]);
  });
});

describe('logged models', () => {
  it('creates, finalizes, searches and links to versions', async () => {
    const created = await api.post('/logged-models', {
      experiment_id: '0',
      name: 'model',
      source_run_id: runId,
      params: [{ key: 'C', value: '1.0' }],
    });
    const info = created.body.model.info;
    expect(info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(info.status).toBe('LOGGED_MODEL_PENDING');
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/0/models/${info.model_id}/artifacts`);
    expect(created.body.model.data.params).toEqual([{ key: 'C', value: '1.0' }]);
    const finalized = await api.post(
      `/logged-models/${info.model_id}`,
      { status: 'LOGGED_MODEL_READY' },
      'PATCH',
    );
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');
    await api.post('/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'acc', value: 0.9, timestamp: 1, step: 0, model_id: info.model_id }],
    });
    const found = await api.post('/logged-models/search', {
      experiment_ids: ['0'],
      filter: "name = 'model'",
    });
    expect(found.body.models.map((model: any) => model.info.model_id)).toEqual([info.model_id]);
    expect(found.body.models[0].data.metrics[0]).toMatchObject({
      key: 'acc',
      value: 0.9,
      model_id: info.model_id,
    });
    await api.post('/registered-models/create', { name: 'from-logged' });
    const version = await api.post('/model-versions/create', {
      name: 'from-logged',
      source: `models:/${info.model_id}`,
      model_id: info.model_id,
    });
    expect(version.body.model_version.run_id).toBe(runId);
    const uri = await api.get('/model-versions/get-download-uri', {
      name: 'from-logged',
      version: '1',
    });
    expect(uri.body.artifact_uri).toBe(info.artifact_uri);
    const linked = await api.get(`/logged-models/${info.model_id}`);
    const tag = linked.body.model.info.tags.find((t: any) => t.key === 'mlflow.modelVersions');
    expect(JSON.parse(tag.value)).toEqual([{ name: 'from-logged', version: '1' }]);
    const missing = await api.get('/logged-models/m-00000000000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
