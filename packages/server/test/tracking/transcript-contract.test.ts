import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Requests recorded from real MLflow clients, kept beside the repository. */
const TRANSCRIPT_DIR = fileURLToPath(
  new URL('../../../../../shared/reference/mlflow-transcripts', import.meta.url),
);
const LAB_TRANSCRIPTS = existsSync(TRANSCRIPT_DIR)
  ? readdirSync(TRANSCRIPT_DIR)
      .filter((name) => /^lab-client-.*\.jsonl$/.test(name))
      .sort()
  : [];
if (LAB_TRANSCRIPTS.length === 0) {
  console.warn(`transcript contract: skipping, no lab transcripts in ${TRANSCRIPT_DIR}`);
}

interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  ctype: string;
  body?: unknown;
  body_bytes?: number | null;
  status: number;
  resp: any;
}

const HEX_RUN_ID = /^[0-9a-f]{32}$/;
const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
];

function checkExperiment(experiment: any): void {
  expect(typeof experiment.experiment_id).toBe('string');
  expect(experiment.name).toBe('iris-classification');
  expect(experiment.artifact_location).toBe(`mlflow-artifacts:/${experiment.experiment_id}`);
  expect(experiment.lifecycle_stage).toBe('active');
}

function checkRun(run: any): void {
  expect(run.info.run_id).toMatch(HEX_RUN_ID);
  expect(run.info.run_uuid).toBe(run.info.run_id);
  expect(RUN_STATUSES).toContain(run.info.status);
  expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/1/${run.info.run_id}/artifacts`);
  expect(Array.isArray(run.data.metrics)).toBe(true);
  expect(Array.isArray(run.data.params)).toBe(true);
  expect(Array.isArray(run.data.tags)).toBe(true);
  for (const metric of run.data.metrics) {
    expect(
      typeof metric.value === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(metric.value),
    ).toBe(true);
  }
}

function checkLoggedModel(model: any): void {
  expect(model.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
  expect(LOGGED_MODEL_STATUSES).toContain(model.info.status);
  expect(model.info.artifact_uri).toBe(
    `mlflow-artifacts:/1/models/${model.info.model_id}/artifacts`,
  );
}

function checkVersion(version: any): void {
  expect(version.name).toBe('iris-classifier');
  expect(version.version).toBe('1');
  expect(version.status).toBe('READY');
}

/** Response checks by endpoint (the path after the API prefix). */
const SHAPES: Record<string, (body: any) => void> = {
  'experiments/create': (body) => expect(body.experiment_id).toBe('1'),
  'experiments/get': (body) => checkExperiment(body.experiment),
  'experiments/get-by-name': (body) => checkExperiment(body.experiment),
  'runs/create': (body) => checkRun(body.run),
  'runs/get': (body) => checkRun(body.run),
  'runs/update': (body) => expect(body.run_info.status).toBe('FINISHED'),
  'runs/search': (body) => {
    body.runs.forEach(checkRun);
    const accuracies = body.runs.map(
      (run: any) => run.data.metrics.find((m: any) => m.key === 'accuracy').value,
    );
    expect(accuracies).toEqual([...accuracies].sort((a: number, b: number) => b - a));
  },
  'metrics/get-history': (body) => {
    expect(body.metrics.length).toBeGreaterThan(0);
    for (const metric of body.metrics)
      expect(Object.keys(metric)).toEqual(
        expect.arrayContaining(['key', 'value', 'timestamp', 'step']),
      );
  },
  'logged-models': (body) => checkLoggedModel(body.model),
  'logged-models/search': (body) => {
    expect(body.models.length).toBeGreaterThan(0);
    for (const model of body.models) expect(model.info.name).toBe('model');
  },
  'registered-models/create': (body) => expect(body.registered_model.name).toBe('iris-classifier'),
  'registered-models/get': (body) => expect(body.registered_model.name).toBe('iris-classifier'),
  'model-versions/create': (body) => checkVersion(body.model_version),
  'model-versions/transition-stage': (body) =>
    expect(body.model_version.current_stage).toBe('Staging'),
  'registered-models/get-latest-versions': (body) => {
    expect(body.model_versions.map((v: any) => v.current_stage)).toEqual(['Staging']);
  },
  'model-versions/get-download-uri': (body) =>
    expect(body.artifact_uri).toMatch(/^mlflow-artifacts:\/1\//),
};

const EMPTY_RESPONSES = [
  'runs/log-parameter',
  'runs/log-metric',
  'runs/log-batch',
  'runs/log-inputs',
  'runs/outputs',
  'runs/log-model',
  'registered-models/alias#POST',
];

function endpointOf(method: string, path: string): string {
  const tail = path.replace(/^\/api\/2\.0\/mlflow\//, '');
  if (/^logged-models\/m-[0-9a-f]+(\/tags)?$/.test(tail)) return 'logged-models';
  return EMPTY_RESPONSES.includes(`${tail}#${method}`) ? `${tail}#${method}` : tail;
}

/** Replaces the recorded IDs, which the recording mock made up, with the ones this server returned. */
class IdMap {
  private readonly ids = new Map<string, string>();

  learn(recorded: string | undefined, actual: string | undefined): void {
    if (recorded && actual && recorded !== actual) this.ids.set(recorded, actual);
  }

  apply(text: string): string {
    let result = text;
    for (const [recorded, actual] of this.ids) result = result.replaceAll(recorded, actual);
    return result;
  }
}

async function replay(
  server: TestServer,
  request: RecordedRequest,
  ids: IdMap,
  sizes: Map<string, number>,
): Promise<void> {
  const path = ids.apply(request.path);
  const query = new URLSearchParams();
  for (const [key, values] of Object.entries(request.query)) {
    for (const value of values) query.append(key, ids.apply(value));
  }
  const url = `${server.url}${path}${query.size > 0 ? `?${query}` : ''}`;
  const label = `${request.method} ${path}`;
  const init: RequestInit = {
    method: request.method,
    headers: request.ctype ? { 'content-type': request.ctype } : {},
  };
  if (typeof request.body_bytes === 'number') {
    init.body = Buffer.alloc(request.body_bytes, 7);
    sizes.set(path, request.body_bytes);
  } else if (request.body !== undefined) {
    init.body = ids.apply(JSON.stringify(request.body));
  }

  const response = await fetch(url, init);
  expect(response.status, label).toBe(request.status);
  if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts/') && request.method === 'GET') {
    expect((await response.arrayBuffer()).byteLength, label).toBe(sizes.get(path));
    return;
  }
  const body = (await response.json()) as any;
  if (request.status !== 200) {
    expect(body.error_code, label).toBe(request.resp.error_code);
    return;
  }
  const endpoint = endpointOf(request.method, path);
  if (EMPTY_RESPONSES.includes(endpoint)) expect(body, label).toEqual({});
  SHAPES[endpoint]?.(body);
  ids.learn(request.resp?.run?.info?.run_id, body.run?.info?.run_id);
  ids.learn(request.resp?.model?.info?.model_id, body.model?.info?.model_id);
}

describe('recorded MLflow client transcripts', () => {
  it.skipIf(LAB_TRANSCRIPTS.length === 0).each(LAB_TRANSCRIPTS)('replays %s', async (fileName) => {
    const lines = readFileSync(join(TRANSCRIPT_DIR, fileName), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const requests = lines.map((line) => JSON.parse(line) as RecordedRequest);
    const server = await startTestServer();
    try {
      const ids = new IdMap();
      const sizes = new Map<string, number>();
      for (const request of requests) await replay(server, request, ids, sizes);
    } finally {
      await server.stop();
    }
  });
});
