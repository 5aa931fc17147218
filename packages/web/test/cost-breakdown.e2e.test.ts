/// <reference types="node" />
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDashboard,
  CHROMIUM_PATH,
  closeBrowserAndServer,
  hasChromium,
  launchChromium,
  openPage as openBrowserPage,
  PANEL_TIMEOUT_MS,
  waitForPanelState,
} from './browser.ts';
import { REPO_ROOT, startFoghornUp, type RunningProcess } from './foghorn-process.ts';

const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const HOUR_MS = 3_600_000;

/**
 * The known day: 2026-11-16 UTC. At its end 336 hours (14 days) of November are
 * left, twice the trailing 168 hours, so every projection is 3 times the day's cost.
 */
const DAY_START_MS = Date.UTC(2026, 10, 16);
const DAY_END_MS = Date.UTC(2026, 10, 17);
const WINDOW = `from=${new Date(DAY_START_MS).toISOString()}&to=${new Date(DAY_END_MS).toISOString()}`;

/** 1000 USD per million input tokens: 1000 input tokens cost exactly 1 USD. */
const PRICES_YAML = 'overrides:\n  - {model: flat-model, input: 1000, output: 0}\n';
const BUDGETS_YAML = 'tenants:\n  acme: {monthly_usd: 20}\n  globex: {monthly_usd: 50}\n';

/** USD per tenant and feature; each cell is sent as two calls of half the cost. */
const COST_USD: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  acme: { chat: 4, summarize: 2.5, search: 1.25 },
  globex: { chat: 3, summarize: 0.75, search: 0.5 },
  initech: { chat: 1.5, summarize: 6, search: 1 },
};

interface TableRow {
  key: string;
  requests: number;
  costUsd: number;
  projectedUsd: number;
  budgetUsedPercent: number | null;
}

if (!hasChromium()) {
  console.warn(`Skipping the cost breakdown end-to-end test: ${CHROMIUM_PATH} is not installed.`);
}

describe.skipIf(!hasChromium())('cost breakdown in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    buildDashboard();
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-cost-e2e-'));
    await writeFile(path.join(dataDir, 'prices.yaml'), PRICES_YAML);
    await writeFile(path.join(dataDir, 'budgets.yaml'), BUDGETS_YAML);
    const up = await startFoghornUp(dataDir);
    server = up.running;
    baseUrl = up.baseUrl;
    await sendKnownDay(`http://127.0.0.1:${up.otlpPort}/v1/traces`);
    browser = await launchChromium();
  }, 180_000);

  afterAll(() => closeBrowserAndServer(browser, server, dataDir), 30_000);

  async function getJson(pathAndQuery: string): Promise<any> {
    const response = await fetch(`${baseUrl}${pathAndQuery}`);
    expect(response.status, pathAndQuery).toBe(200);
    return response.json();
  }

  function openPage(query: string): Promise<Page> {
    return openBrowserPage(browser, `${baseUrl}/${query}`, 1200);
  }

  async function waitForTable(page: Page, breakdown: string): Promise<void> {
    await page.waitForSelector(
      `[data-panel="cost-by-tenant"][data-state="ready"] table[data-breakdown="${breakdown}"]`,
      { timeout: PANEL_TIMEOUT_MS },
    );
  }

  it('summary and projection endpoints hold the known day', async () => {
    const byTenant = await getJson(`/api/v1/llm/summary?${WINDOW}&groupBy=tenant`);
    expect(costsByKey(byTenant.groups)).toEqual({ acme: 7.75, globex: 4.25, initech: 8.5 });
    const byFeature = await getJson(`/api/v1/llm/summary?${WINDOW}&groupBy=feature`);
    expect(costsByKey(byFeature.groups)).toEqual({ chat: 8.5, summarize: 9.25, search: 2.75 });
    const projection = await getJson(`/api/v1/llm/cost/projection?at=${DAY_END_MS}`);
    expect(projection.remainingHours).toBe(336);
    expect(projection.total.projectedMonthlyCostUsd).toBeCloseTo(61.5, 9);
  });

  it('shows tenants and features as the endpoints', async () => {
    const page = await openPage(`?${WINDOW}&panel=cost-by-tenant`);
    await waitForTable(page, 'tenant');

    const tenantSummary = await getJson(`/api/v1/llm/summary?${WINDOW}&groupBy=tenant`);
    const tenantProjection = await getJson(
      `/api/v1/llm/cost/projection?groupBy=tenant&at=${DAY_END_MS}`,
    );
    const tenantRows = await readRows(page);
    expectRowsMatch(tenantRows, tenantSummary.groups, tenantProjection.groups);
    expect(tenantRows.map((row) => [row.key, row.projectedUsd])).toEqual([
      ['initech', 25.5],
      ['acme', 23.25],
      ['globex', 12.75],
    ]);
    // acme: 23.25 of 20 USD is 116.25 %; globex: 12.75 of 50 USD is 25.5 %, both shown
    // rounded to whole percent; initech has no budget.
    expect(tenantRows.map((row) => [row.key, row.budgetUsedPercent])).toEqual([
      ['initech', null],
      ['acme', 116],
      ['globex', 26],
    ]);
    const acme = tenantProjection.groups.find((group: any) => group.key === 'acme');
    expect(acme.projectedBudgetRatio).toBeCloseTo(1.1625, 9);
    expect(
      await page
        .locator('[data-panel="cost-by-tenant"] tr[data-key="acme"]')
        .getAttribute('data-over-budget'),
    ).toBe('true');
    await expectTotalRow(page, tenantRows, 61.5);

    await page.click('.breakdown-switch button[data-breakdown="feature"]');
    await page.waitForURL(/[?&]breakdown=feature(&|$)/, { timeout: 10_000 });
    await waitForTable(page, 'feature');
    const featureSummary = await getJson(`/api/v1/llm/summary?${WINDOW}&groupBy=feature`);
    const featureProjection = await getJson(
      `/api/v1/llm/cost/projection?groupBy=feature&at=${DAY_END_MS}`,
    );
    const featureRows = await readRows(page);
    expectRowsMatch(featureRows, featureSummary.groups, featureProjection.groups);
    expect(featureRows.map((row) => [row.key, row.costUsd])).toEqual([
      ['summarize', 9.25],
      ['chat', 8.5],
      ['search', 2.75],
    ]);
    await expectTotalRow(page, featureRows, 61.5);

    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.locator('[data-panel="cost-by-tenant"]').scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'cost-by-feature.png'),
      fullPage: true,
    });
    await page.context().close();
  }, 120_000);

  it('projected month equals the endpoint', async () => {
    const page = await openPage(`?${WINDOW}&breakdown=feature`);
    await waitForPanelState(page, 'cost', 'ready');
    const projection = await getJson(`/api/v1/llm/cost/projection?at=${DAY_END_MS}`);
    const cost = await getJson(`/api/v1/llm/cost?${WINDOW}`);
    const shown = await page.locator('[data-testid="projected-month"]').textContent();
    expect(usdOf(shown)).toBeCloseTo(projection.total.projectedMonthlyCostUsd, 9);
    expect(usdOf(shown)).toBeCloseTo(61.5, 9);
    expect(await page.locator('[data-panel="cost"] .headline-label').textContent()).toBe(
      'projected for November 2026',
    );
    // The cost endpoint projects the same month; its 720-hour run rate is shown apart.
    expect(cost.projectedMonthlyCostUsd).toBeCloseTo(61.5, 9);
    expect(cost.runRateMonthlyCostUsd).toBeCloseTo((20.5 / 24) * 720, 9);
    expect(await page.locator('[data-testid="run-rate"]').textContent()).toBe(
      'run rate $0.85 per hour, $615.00 per 30 days',
    );
    expect(new URL(page.url()).searchParams.get('breakdown')).toBe('feature');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'cost-panel.png') });
    await page.context().close();
  }, 120_000);
});

/**
 * Exports two calls per tenant and feature, at 03:00 and 15:00 of the known day plus a
 * minute per cell, through the real OTel SDK.
 */
async function sendKnownDay(tracesUrl: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'billing-app' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
  });
  const tracer = provider.getTracer('foghorn-cost-e2e');
  let cell = 0;
  for (const [tenant, features] of Object.entries(COST_USD)) {
    for (const [feature, costUsd] of Object.entries(features)) {
      for (const hour of [3, 15]) {
        const startMs = DAY_START_MS + hour * HOUR_MS + cell * 60_000;
        const span = tracer.startSpan('chat flat-model', {
          kind: SpanKind.CLIENT,
          startTime: startMs,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'flat-model',
            'gen_ai.usage.input_tokens': (costUsd / 2) * 1000,
            'gen_ai.usage.output_tokens': 0,
            'tenant.id': tenant,
            'feature.name': feature,
          },
        });
        span.end(startMs + 1_000);
      }
      cell += 1;
    }
  }
  await provider.forceFlush();
  await provider.shutdown();
}

function costsByKey(groups: { key: string; costUsd: number }[]): Record<string, number> {
  return Object.fromEntries(groups.map((group) => [group.key, group.costUsd]));
}

async function readRows(page: Page): Promise<TableRow[]> {
  const rows = page.locator('[data-panel="cost-by-tenant"] tbody tr');
  const result: TableRow[] = [];
  for (let index = 0; index < (await rows.count()); index++) {
    const row = rows.nth(index);
    const cells = await row.locator('td').allTextContents();
    const budgetCell = cells[5];
    result.push({
      key: (await row.getAttribute('data-key')) ?? '',
      requests: Number((cells[0] ?? '').replaceAll(',', '')),
      costUsd: usdOf(cells[1] ?? null),
      projectedUsd: usdOf(cells[3] ?? null),
      budgetUsedPercent:
        budgetCell === undefined || budgetCell === '—' ? null : Number(budgetCell.replace('%', '')),
    });
  }
  return result;
}

/** Each row shows its summary group's calls and cost and its projection group's month. */
function expectRowsMatch(rows: TableRow[], summaryGroups: any[], projectionGroups: any[]): void {
  expect(rows.map((row) => row.key).sort()).toEqual(summaryGroups.map((group) => group.key).sort());
  for (const row of rows) {
    const summary = summaryGroups.find((group) => group.key === row.key);
    const projection = projectionGroups.find((group) => group.key === row.key);
    expect(row.requests, `requests of ${row.key}`).toBe(summary.requests);
    expect(row.costUsd, `cost of ${row.key}`).toBeCloseTo(summary.costUsd, 9);
    expect(row.projectedUsd, `projection of ${row.key}`).toBeCloseTo(
      projection.projectedMonthlyCostUsd,
      9,
    );
  }
}

/** The total row equals the sum of the rows, 20.50 USD for the day, and the projection total. */
async function expectTotalRow(
  page: Page,
  rows: TableRow[],
  projectedTotalUsd: number,
): Promise<void> {
  const cells = await page.locator('[data-panel="cost-by-tenant"] tfoot td').allTextContents();
  expect(Number(cells[0])).toBe(rows.reduce((sum, row) => sum + row.requests, 0));
  expect(Number(cells[0])).toBe(18);
  expect(usdOf(cells[1] ?? null)).toBeCloseTo(
    rows.reduce((sum, row) => sum + row.costUsd, 0),
    9,
  );
  expect(usdOf(cells[1] ?? null)).toBeCloseTo(20.5, 9);
  expect(cells[2]).toBe('100%');
  expect(usdOf(cells[3] ?? null)).toBeCloseTo(projectedTotalUsd, 9);
  expect(usdOf(cells[3] ?? null)).toBeCloseTo(
    rows.reduce((sum, row) => sum + row.projectedUsd, 0),
    9,
  );
}

/** Parses a dollar amount shown as `$1,234.50`. */
function usdOf(text: string | null): number {
  return Number((text ?? '').replace('$', '').replaceAll(',', ''));
}
