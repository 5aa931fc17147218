import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRepriceCommand } from '../../src/pricing/reprice-command.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { hex, llmAttributes, postTraces, sendJson, traceBody, type TestSpan } from './otlp-json.ts';

const DAY_MS = 86_400_000;
let servers: TestServer[] = [];

afterEach(async () => {
  for (const server of servers) await server.stop();
  servers = [];
});

async function start(dataDir?: string): Promise<TestServer> {
  const server = await startTestServer(dataDir === undefined ? {} : { dataDir });
  servers.push(server);
  return server;
}

function call(
  id: number,
  startUnixMs: number,
  provider: string,
  model: string,
  input: number,
  output = 0,
  extra: Record<string, string | number> = {},
): TestSpan {
  return {
    traceId: hex(id, 32),
    spanId: hex(id, 16),
    name: `chat ${model}`,
    startUnixMs,
    attributes: { ...llmAttributes(provider, model, { input, output }), ...extra },
  };
}

async function traceCost(server: TestServer, id: number): Promise<any> {
  const { body } = await server.getJson(`/api/v1/traces/${hex(id, 32)}`);
  return body.spans[0].cost;
}

const NOV_5 = Date.UTC(2026, 10, 5, 12);

describe('price overrides', () => {
  it('reads overrides from prices.yaml', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-prices-'));
    writeFileSync(
      join(dataDir, 'prices.yaml'),
      [
        'overrides:',
        '  - {model: house-model-7b, input: 1, output: 2}',
        '  - {model: gpt-4o-mini, provider: openai, effective_from: "2026-11-05", input: 0.1, output: 0.5}',
      ].join('\n'),
    );
    const server = await start(dataDir);
    await postTraces(
      server.url,
      traceBody([
        call(1, NOV_5, 'openai', 'house-model-7b', 1000, 500),
        call(2, NOV_5, 'openai', 'gpt-4o-mini-2024-07-18', 1000, 1000),
        call(3, NOV_5 - DAY_MS, 'openai', 'gpt-4o-mini', 1000, 1000),
      ]),
    );
    // 1000 x 1 + 500 x 2 = 2000 / 1e6
    const house = await traceCost(server, 1);
    expect(house.priceModel).toBe('override/house-model-7b');
    expect(house.totalUsd).toBeCloseTo(0.002, 12);
    expect(house.priceDetail.source).toBe('override');
    // from its day on: 1000 x 0.1 + 1000 x 0.5 = 600
    const after = await traceCost(server, 2);
    expect(after.priceModel).toBe('override/openai/gpt-4o-mini');
    expect(after.totalUsd).toBeCloseTo(0.0006, 12);
    // the day before, the table: 1000 x 0.15 + 1000 x 0.60 = 750
    const before = await traceCost(server, 3);
    expect(before.priceModel).toBe('openai/gpt-4o-mini');
    expect(before.totalUsd).toBeCloseTo(0.00075, 12);
  });

  it('rejects an invalid file naming the field', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-prices-'));
    writeFileSync(
      join(dataDir, 'prices.yaml'),
      'overrides:\n  - {model: x, input: -1, output: 2}\n',
    );
    await expect(startTestServer({ dataDir })).rejects.toThrow(
      /overrides\.0\.input: a price is a non-negative number/,
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets overrides through the API and re-prices', async () => {
    const server = await start();
    await postTraces(
      server.url,
      traceBody([
        call(1, NOV_5, 'openai', 'house-model-7b', 2000, 1000),
        call(2, NOV_5, 'openai', 'gpt-4o-mini', 1000, 1000),
      ]),
    );
    expect((await traceCost(server, 1)).totalUsd).toBeNull();

    const put = await sendJson(`${server.url}/api/v1/prices/overrides`, 'PUT', {
      overrides: [{ model: 'house-model-7b', input: 3, output: 4 }],
    });
    expect(put.status).toBe(200);
    const listed = await server.getJson('/api/v1/prices/overrides');
    expect(listed.body.overrides).toEqual([{ model: 'house-model-7b', input: 3, output: 4 }]);
    expect(readFileSync(join(server.dataDir, 'prices.yaml'), 'utf8')).toContain('house-model-7b');
    expect((await traceCost(server, 1)).totalUsd).toBeNull();

    const reprice = await sendJson(`${server.url}/api/v1/prices/reprice`, 'POST', {
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(reprice.status).toBe(200);
    // 2000 x 3 + 1000 x 4 = 10000 / 1e6; gpt-4o-mini unchanged at 1000 x 0.15 + 1000 x 0.60 = 750
    expect(reprice.body.spansExamined).toBe(2);
    expect(reprice.body.spansRepriced).toBe(1);
    expect(reprice.body.unpricedBefore).toBe(1);
    expect(reprice.body.unpricedAfter).toBe(0);
    expect(reprice.body.totalCostBeforeUsd).toBeCloseTo(0.00075, 12);
    expect(reprice.body.totalCostAfterUsd).toBeCloseTo(0.01075, 12);
    expect(reprice.body.models).toEqual([
      {
        model: 'house-model-7b',
        spans: 1,
        repricedSpans: 1,
        costBeforeUsd: 0,
        costAfterUsd: expect.closeTo(0.01, 12),
        unpricedBefore: 1,
        unpricedAfter: 0,
        priceModelsAfter: ['override/house-model-7b'],
      },
    ]);
    expect((await traceCost(server, 1)).totalUsd).toBeCloseTo(0.01, 12);
    const summary = await server.getJson(
      `/api/v1/llm/summary?from=${NOV_5 - DAY_MS}&to=${NOV_5 + DAY_MS}&groupBy=model`,
    );
    const house = summary.body.groups.find((group: any) => group.key === 'house-model-7b');
    expect(house.costUsd).toBeCloseTo(0.01, 12);
    expect(house.unpricedRequests).toBe(0);
  });

  it('rejects an invalid override body', async () => {
    const server = await start();
    const put = await sendJson(`${server.url}/api/v1/prices/overrides`, 'PUT', {
      overrides: [{ model: 'x', input: 'cheap', output: 1 }],
    });
    expect(put.status).toBe(400);
    expect(put.body.error.message).toMatch(/^field "overrides\.0\.input" is invalid/);
  });
});

describe('azure deployments', () => {
  it('maps a deployment name to its model', async () => {
    const server = await start();
    const put = await sendJson(`${server.url}/api/v1/prices/azure-deployments`, 'PUT', {
      deployments: { 'prod-chat': 'gpt-4o-mini' },
    });
    expect(put.body).toEqual({ deployments: { 'prod-chat': 'gpt-4o-mini' } });
    await postTraces(
      server.url,
      traceBody([
        call(1, NOV_5, 'azure.ai.openai', 'prod-chat', 10_000, 2000),
        call(2, NOV_5, 'openai', 'prod-chat', 10_000, 2000),
      ]),
    );
    // 10000 x 0.15 + 2000 x 0.60 = 1500 + 1200 = 2700 / 1e6
    const azure = await traceCost(server, 1);
    expect(azure.priceModel).toBe('azure.ai.openai/gpt-4o-mini');
    expect(azure.totalUsd).toBeCloseTo(0.0027, 12);
    expect(azure.priceDetail.azureDeployment).toBe('prod-chat');
    // the mapping applies to Azure spans only
    expect((await traceCost(server, 2)).totalUsd).toBeNull();
    expect(readFileSync(join(server.dataDir, 'prices.yaml'), 'utf8')).toContain(
      'prod-chat: gpt-4o-mini',
    );
  });
});

describe('prices reprice command', () => {
  it('re-prices through the server and from the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-reprice-'));
    const server = await startTestServer({ dataDir });
    await postTraces(server.url, traceBody([call(1, NOV_5, 'openai', 'house-model-7b', 1000, 0)]));
    await sendJson(`${server.url}/api/v1/prices/overrides`, 'PUT', {
      overrides: [{ model: 'house-model-7b', input: 5, output: 0 }],
    });
    let output = '';
    const viaServer = await runRepriceCommand(
      { from: '2026-11-01', to: '2026-12-01', dataDir, url: server.url, json: false },
      (text) => (output += text),
    );
    // 1000 x 5 = 5000 / 1e6
    expect(viaServer.totalCostAfterUsd).toBeCloseTo(0.005, 12);
    expect(output).toContain('Re-priced 1 of 1 LLM calls');
    expect(output).toContain('house-model-7b\t1\t1\t$0.000000\t$0.005000\toverride/house-model-7b');
    await server.close();

    writeFileSync(
      join(dataDir, 'prices.yaml'),
      'overrides:\n  - {model: house-model-7b, input: 7, output: 0}\n',
    );
    const local = await runRepriceCommand(
      { from: null, to: null, dataDir, url: null, json: true },
      () => {},
    );
    // 1000 x 7 = 7000 / 1e6
    expect(local.spansRepriced).toBe(1);
    expect(local.totalCostBeforeUsd).toBeCloseTo(0.005, 12);
    expect(local.totalCostAfterUsd).toBeCloseTo(0.007, 12);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('monthly projection and budgets', () => {
  it('projects month-to-date plus the trailing rate', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-projection-'));
    // 1000 USD per million input tokens: 1000 tokens cost exactly 1 USD
    writeFileSync(
      join(dataDir, 'prices.yaml'),
      'overrides:\n  - {model: flat-model, input: 1000, output: 0}\n',
    );
    const server = await start(dataDir);
    const tenant = (name: string) => ({ 'tenant.id': name });
    await postTraces(
      server.url,
      traceBody([
        call(1, Date.UTC(2026, 10, 2, 12), 'openai', 'flat-model', 1000, 0, tenant('acme')),
        call(2, Date.UTC(2026, 10, 9, 12), 'openai', 'flat-model', 2000, 0, tenant('acme')),
        call(3, Date.UTC(2026, 10, 5, 12), 'openai', 'flat-model', 4000, 0, tenant('globex')),
        call(4, Date.UTC(2026, 9, 31, 12), 'openai', 'flat-model', 8000, 0, tenant('globex')),
      ]),
    );
    await sendJson(`${server.url}/api/v1/budgets/acme`, 'PUT', { monthlyUsd: 10 });
    const at = '2026-11-10T00:00:00Z';
    const { status, body } = await server.getJson(
      `/api/v1/llm/cost/projection?groupBy=tenant&at=${at}`,
    );
    expect(status).toBe(200);
    // At Nov 10 00:00, 21 days (504 h) of November remain; the trailing 168 h start Nov 3 00:00.
    expect(body.remainingHours).toBe(504);
    expect(body.monthStart).toBe('2026-11-01T00:00:00.000Z');
    const acme = body.groups.find((group: any) => group.key === 'acme');
    const globex = body.groups.find((group: any) => group.key === 'globex');
    // acme: 1 + 2 = 3 month to date; trailing 2 USD / 168 h x 504 h = 6; projected 9
    expect(acme.monthToDateCostUsd).toBeCloseTo(3, 9);
    expect(acme.trailingCostUsd).toBeCloseTo(2, 9);
    expect(acme.projectedMonthlyCostUsd).toBeCloseTo(9, 9);
    expect(acme.budgetUsd).toBe(10);
    expect(acme.projectedBudgetRatio).toBeCloseTo(0.9, 9);
    // globex: the October call counts in neither window; 4 + 4 / 168 x 504 = 16
    expect(globex.projectedMonthlyCostUsd).toBeCloseTo(16, 9);
    expect(globex.budgetUsd).toBeNull();
    // total: 7 + 6 / 168 x 504 = 25
    expect(body.total.projectedMonthlyCostUsd).toBeCloseTo(25, 9);
    expect(body.groups.map((group: any) => group.key)).toEqual(['globex', 'acme']);
  });

  it('rejects an unknown parameter', async () => {
    const server = await start();
    const { status, body } = await server.getJson('/api/v1/llm/cost/projection?window=7d');
    expect(status).toBe(400);
    expect(body.error.message).toContain('unknown query parameter "window"');
  });
});

describe('attribution settings and baggage', () => {
  it('reads configured keys, baggage and the root span', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-attribution-'));
    writeFileSync(join(dataDir, 'attribution.yaml'), 'keys:\n  tenant: [customer.org]\n');
    const server = await start(dataDir);
    const configured = call(1, NOV_5, 'openai', 'gpt-4o-mini', 1000, 0, {
      'customer.org': 'umbrella',
      'tenant.id': 'ignored',
    });
    const baggage = call(2, NOV_5, 'openai', 'gpt-4o-mini', 1000, 0, {
      'baggage.tenant.id': 'hooli',
      'baggage.feature.name': 'triage',
    });
    const root: TestSpan = {
      traceId: hex(3, 32),
      spanId: hex(30, 16),
      name: 'workflow',
      startUnixMs: NOV_5,
      attributes: { 'tenant.id': 'wayne' },
    };
    const child = {
      ...call(3, NOV_5 + 10, 'openai', 'gpt-4o-mini', 1000, 0),
      parentSpanId: root.spanId,
    };
    await postTraces(server.url, traceBody([configured, baggage, child]));
    await postTraces(server.url, traceBody([root]));
    await postTraces(
      server.url,
      traceBody([call(4, NOV_5, 'openai', 'gpt-4o-mini', 1000, 0)], {
        baggage: 'tenant.id=stark%20industries,feature=forecast;ttl=1',
      }),
    );
    const spanOf = async (id: number) =>
      (await server.getJson(`/api/v1/traces/${hex(id, 32)}`)).body.spans.find(
        (span: any) => span.spanId === (id === 3 ? child.spanId : hex(id, 16)),
      );
    expect((await spanOf(1)).tenant).toBe('umbrella');
    expect((await spanOf(2)).tenant).toBe('hooli');
    expect((await spanOf(2)).feature).toBe('triage');
    expect((await spanOf(3)).tenant).toBe('wayne');
    expect((await spanOf(4)).tenant).toBe('stark industries');
    expect((await spanOf(4)).feature).toBe('forecast');
  });
});
