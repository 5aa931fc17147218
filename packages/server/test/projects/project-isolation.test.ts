import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerQueryRoutes } from '../../src/api/query-routes.ts';
import { setRequestScope } from '../../src/auth/request-scope.ts';
import { registerBudgetRoutes } from '../../src/budgets/budget-routes.ts';
import { BudgetBook } from '../../src/budgets/budgets.ts';
import { eraseUserData } from '../../src/erasure/erasure-service.ts';
import { FoghornError } from '../../src/errors.ts';
import { Ingestor } from '../../src/ingest/ingestor.ts';
import { registerOtlpRoutes } from '../../src/ingest/otlp-http.ts';
import { loadPrivacy } from '../../src/privacy/load-privacy.ts';
import type { SpanPrivacy } from '../../src/privacy/span-privacy.ts';
import { registerScoreRoutes } from '../../src/scores/score-routes.ts';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { openDuckDbScoreStore } from '../../src/store/duckdb/scores/duckdb-score-store.ts';
import type { Store } from '../../src/store/store.ts';

/** The header the test hook reads; the auth engineer's key check replaces it in the product. */
const PROJECT_HEADER = 'x-test-project';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const logger = pino({ level: 'silent' });

function attribute(key: string, value: string | number): object {
  return typeof value === 'number'
    ? { key, value: { intValue: String(value) } }
    : { key, value: { stringValue: value } };
}

/** One chat call; both projects send the same trace and span ids on purpose. */
function traceBody(model: string, inputTokens: number, startMs: number): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', `svc-${model}`)] },
        scopeSpans: [
          {
            scope: { name: 'isolation-test' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                name: `chat ${model}`,
                kind: 3,
                startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
                endTimeUnixNano: String(BigInt(startMs + 250) * 1_000_000n),
                attributes: [
                  attribute('gen_ai.operation.name', 'chat'),
                  attribute('gen_ai.provider.name', 'openai'),
                  attribute('gen_ai.request.model', model),
                  attribute('gen_ai.usage.input_tokens', inputTokens),
                  attribute('gen_ai.usage.output_tokens', 5),
                  attribute('user.id', 'shared-user'),
                ],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
}

function logBody(text: string, timeMs: number): object {
  return {
    resourceLogs: [
      {
        resource: { attributes: [attribute('service.name', 'svc')] },
        scopeLogs: [
          {
            scope: { name: 'isolation-test' },
            logRecords: [
              {
                timeUnixNano: String(BigInt(timeMs) * 1_000_000n),
                body: { stringValue: text },
                traceId: TRACE_ID,
                spanId: SPAN_ID,
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('two projects on one store', () => {
  let dataDir: string;
  let store: Store;
  let privacy: SpanPrivacy;
  let app: FastifyInstance;
  let baseUrl: string;
  const nowMs = Date.now();

  const send = async (
    projectId: string,
    method: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        [PROJECT_HEADER]: projectId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const window = `from=${nowMs - 3_600_000}&to=${nowMs + 60_000}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-projects-'));
    store = await openDuckDbStore(dataDir);
    privacy = await loadPrivacy(dataDir, {}, logger);
    const ingestor = new Ingestor(store, () => nowMs, privacy);
    await ingestor.start();
    const scores = await openDuckDbScoreStore(duckDbInstanceOf(store)!);
    const budgets = new BudgetBook(dataDir);
    budgets.load();
    app = Fastify();
    app.setErrorHandler((error, _request, reply) =>
      error instanceof FoghornError
        ? reply.code(error.httpStatus).send({ error: { code: error.code } })
        : reply.code(500).send({ error: { code: 'INTERNAL' } }),
    );
    // The test hook: scope each request to the project its header names.
    app.addHook('onRequest', async (request) => {
      const projectId = request.headers[PROJECT_HEADER];
      if (typeof projectId === 'string') setRequestScope(request, { projectId });
    });
    await registerOtlpRoutes(app, { ingestor, logger, maxBodyBytes: 1_000_000 });
    registerQueryRoutes(app, store, () => nowMs);
    registerScoreRoutes(app, scores, () => nowMs);
    registerBudgetRoutes(app, budgets);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });

    expect(
      (await send('alpha', 'POST', '/v1/traces', traceBody('model-a', 10, nowMs - 60_000))).status,
    ).toBe(200);
    expect(
      (await send('beta', 'POST', '/v1/traces', traceBody('model-b', 20, nowMs - 60_000))).status,
    ).toBe(200);
    expect(
      (await send('alpha', 'POST', '/v1/logs', logBody('alpha log', nowMs - 59_000))).status,
    ).toBe(200);
    expect(
      (await send('beta', 'POST', '/v1/logs', logBody('beta log', nowMs - 59_000))).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a span with reused ids once per project, not once in total', async () => {
    expect(await store.countSpans()).toBe(2);
  });

  it('answers the summary of each project from its own spans only', async () => {
    const alpha = await send('alpha', 'GET', `/api/v1/llm/summary?${window}&groupBy=model`);
    const beta = await send('beta', 'GET', `/api/v1/llm/summary?${window}&groupBy=model`);
    const gamma = await send('gamma', 'GET', `/api/v1/llm/summary?${window}&groupBy=model`);
    expect(
      alpha.body.groups.map((group: any) => [group.key, group.requests, group.tokens.input]),
    ).toEqual([['model-a', 1, 10]]);
    expect(
      beta.body.groups.map((group: any) => [group.key, group.requests, group.tokens.input]),
    ).toEqual([['model-b', 1, 20]]);
    expect(gamma.body.groups).toEqual([]);
  });

  it('lists the dimensions and traces of each project only', async () => {
    const alpha = await send('alpha', 'GET', `/api/v1/llm/dimensions?${window}`);
    expect(alpha.body.models).toEqual(['model-a']);
    expect(alpha.body.services).toEqual(['svc-model-a']);
    const traces = await send('beta', 'GET', `/api/v1/traces?${window}`);
    expect(
      traces.body.traces.map((trace: any) => [trace.traceId, trace.rootName, trace.inputTokens]),
    ).toEqual([[TRACE_ID, 'chat model-b', 20]]);
  });

  it('shows a trace id shared by two projects with each project its own spans and logs', async () => {
    const alpha = await send('alpha', 'GET', `/api/v1/traces/${TRACE_ID}`);
    const beta = await send('beta', 'GET', `/api/v1/traces/${TRACE_ID}`);
    expect(alpha.body.spans.map((span: any) => span.name)).toEqual(['chat model-a']);
    expect(alpha.body.spans[0].logs.map((log: any) => log.body)).toEqual(['alpha log']);
    expect(beta.body.spans.map((span: any) => span.name)).toEqual(['chat model-b']);
    expect(beta.body.spans[0].logs.map((log: any) => log.body)).toEqual(['beta log']);
    const gamma = await send('gamma', 'GET', `/api/v1/traces/${TRACE_ID}`);
    expect(gamma.status).toBe(404);
  });

  it('keeps scores with the same id apart and reads each project its own', async () => {
    const score = { id: 'same-id', traceId: TRACE_ID, name: 'quality', source: 'test' };
    expect((await send('alpha', 'POST', '/api/v1/scores', { ...score, value: 0.25 })).status).toBe(
      201,
    );
    expect((await send('beta', 'POST', '/api/v1/scores', { ...score, value: 0.75 })).status).toBe(
      201,
    );
    const alpha = await send('alpha', 'GET', `/api/v1/scores/summary?${window}&groupBy=model`);
    const beta = await send('beta', 'GET', `/api/v1/scores/summary?${window}&groupBy=model`);
    expect(alpha.body.groups.map((group: any) => [group.key, group.count, group.mean])).toEqual([
      ['model-a', 1, 0.25],
    ]);
    expect(beta.body.groups.map((group: any) => [group.key, group.count, group.mean])).toEqual([
      ['model-b', 1, 0.75],
    ]);
  });

  it('keeps budgets per project', async () => {
    expect((await send('alpha', 'PUT', '/api/v1/budgets/acme', { monthlyUsd: 300 })).status).toBe(
      200,
    );
    expect((await send('alpha', 'GET', '/api/v1/budgets')).body).toEqual({
      tenants: { acme: 300 },
    });
    expect((await send('beta', 'GET', '/api/v1/budgets')).body).toEqual({ tenants: {} });
    expect((await send('beta', 'DELETE', '/api/v1/budgets/acme')).status).toBe(404);
    const reread = new BudgetBook(dataDir);
    reread.load();
    expect([reread.get('alpha', 'acme'), reread.get('default', 'acme')]).toEqual([300, null]);
  });

  it('erases a user in one project and leaves the same user in another', async () => {
    const entry = await eraseUserData(
      store,
      privacy.userIdentity,
      { projectId: 'alpha', userId: 'shared-user', requestedBy: 'test' },
      logger,
      nowMs,
    );
    expect([
      entry.projectId,
      entry.counts.spans,
      entry.counts.logRecords,
      entry.counts.scores,
    ]).toEqual(['alpha', 1, 1, 1]);
    expect((await send('alpha', 'GET', `/api/v1/traces/${TRACE_ID}`)).status).toBe(404);
    const beta = await send('beta', 'GET', `/api/v1/traces/${TRACE_ID}`);
    expect(beta.body.spans.map((span: any) => span.name)).toEqual(['chat model-b']);
    const summary = await send('beta', 'GET', `/api/v1/scores/summary?${window}`);
    expect(summary.body.groups.map((group: any) => group.count)).toEqual([1]);
  });
});
