/// <reference types="node" />
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sendHostileCompletion } from './hostile-trace.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDashboard,
  CHROMIUM_PATH,
  closeBrowserAndServer,
  collectPageProblems,
  hasChromium,
  launchChromium,
  openPage as openBrowserPage,
  PANEL_TIMEOUT_MS,
  waitForPanelState,
} from './browser.ts';
import {
  REPO_ROOT,
  runDemo,
  startFoghornUp,
  stopProcess,
  type RunningProcess,
} from './foghorn-process.ts';

const SCREENSHOT_PATH = path.join(REPO_ROOT, 'test-artifacts/dashboard.png');
const BIG_PANELS = ['latency', 'errors', 'cost'] as const;
const ROWS = [
  'tokens-by-model',
  'tokens-by-feature',
  'cost-by-tenant',
  'quality',
  'inflight-ttft',
  'model-versions',
  'privacy-redactions',
] as const;
const ALARM_LABELS = ['quiet', 'pending', 'firing'];
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const DAY_MS = 86_400_000;

if (!hasChromium()) {
  console.warn(`Skipping the dashboard end-to-end test: ${CHROMIUM_PATH} is not installed.`);
}

describe.skipIf(!hasChromium())('dashboard in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let otlpPort = 0;
  let browser: Browser | undefined;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-web-e2e-'));
    const up = await startFoghornUp(dataDir);
    server = up.running;
    baseUrl = up.baseUrl;
    otlpPort = up.otlpPort;

    const { demo, exitCode } = await runDemo(otlpPort, {
      durationMs: 5000,
      backfillHours: 2,
      timeoutMs: 120_000,
    });
    expect(exitCode, `foghorn demo failed:\n${demo.output()}`).toBe(0);

    browser = await launchChromium();
  }, 180_000);

  afterAll(() => closeBrowserAndServer(browser, server, dataDir), 30_000);

  async function summaryRequests(query: string): Promise<number> {
    const body = (await (await fetch(`${baseUrl}/api/v1/llm/summary?${query}`)).json()) as {
      groups: { requests: number }[];
    };
    return body.groups.reduce((total, group) => total + group.requests, 0);
  }

  /** Opens `/` in a fresh browser context, so localStorage starts empty. */
  function openPage(query = ''): Promise<Page> {
    return openBrowserPage(browser, `${baseUrl}/${query}`, 1000, (page) =>
      collectPageProblems(page, pageProblems),
    );
  }

  it('draws the demo traffic', async () => {
    const page = await openPage();
    for (const panelId of BIG_PANELS) {
      await waitForPanelState(page, panelId, 'ready');
    }

    const latency = page.locator('[data-panel="latency"]');
    expect(Number(await latency.getAttribute('data-series-count'))).toBeGreaterThanOrEqual(3);
    expect(Number(await latency.getAttribute('data-point-count'))).toBeGreaterThan(1);
    expect(await latency.locator('canvas').count()).toBeGreaterThan(0);
    expect(
      Number(await page.locator('[data-panel="errors"]').getAttribute('data-series-count')),
    ).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-panel="cost"] .headline-value').textContent()).toMatch(
      /^\$[\d,]+\.?\d*$/,
    );
    expect(await page.locator('[data-testid="onboarding"]').count()).toBe(0);

    // The menu is filled from the dimensions request, which can complete after the panels are ready.
    await expect
      .poll(() => page.locator('#filter-model option').count(), { timeout: PANEL_TIMEOUT_MS })
      .toBeGreaterThanOrEqual(4);

    for (const panelId of BIG_PANELS) {
      const state = await page
        .locator(`[data-panel="${panelId}"] [data-alarm-state]`)
        .getAttribute('data-alarm-state');
      expect(ALARM_LABELS, `alarm state of ${panelId}`).toContain(state);
    }
    for (const rowId of ROWS) {
      expect(await page.locator(`[data-row="${rowId}"]`).getAttribute('data-open')).toBe('false');
      const state = await page
        .locator(`[data-row="${rowId}"] [data-alarm-state]`)
        .getAttribute('data-alarm-state');
      expect([...ALARM_LABELS, 'no-rules'], `alarm state of row ${rowId}`).toContain(state);
    }
    // The default pack pages when p95 latency stays above 15 s; the line marks it.
    expect(
      await page.locator('[data-panel="latency"] .chart').getAttribute('data-thresholds'),
    ).toContain('15000|p95 > 15 s (latency-p95-high)');
    await page.context().close();
  }, 120_000);

  it('keeps rows collapsed until clicked', async () => {
    const page = await openPage();
    await waitForPanelState(page, 'latency', 'ready');
    for (const rowId of ROWS) {
      expect(await page.locator(`[data-row="${rowId}"]`).getAttribute('data-open')).toBe('false');
      expect(await page.locator(`[data-panel="${rowId}"]`).count()).toBe(0);
    }

    await page.click('[data-row="tokens-by-model"] .row-toggle');
    await page.waitForURL(/[?&]panel=tokens-by-model(&|$)/, { timeout: 10_000 });
    await waitForPanelState(page, 'tokens-by-model', 'ready');
    const tokens = page.locator('[data-panel="tokens-by-model"]');
    expect(Number(await tokens.getAttribute('data-series-count'))).toBeGreaterThanOrEqual(3);

    await page.evaluate(() => window.scrollTo(0, 0));
    await mkdir(path.dirname(SCREENSHOT_PATH), { recursive: true });
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });

    const stored = await page.evaluate(() =>
      window.localStorage.getItem('foghorn.dashboard.openRows'),
    );
    expect(stored).toBe('["tokens-by-model"]');
    await page.context().close();
  }, 120_000);

  it('restores filters and row from the URL', async () => {
    const dimensions = (await (await fetch(`${baseUrl}/api/v1/llm/dimensions`)).json()) as {
      models: string[];
    };
    const model = dimensions.models[0] ?? 'missing';
    const page = await openPage(
      `?range=6h&model=${encodeURIComponent(model)}&panel=cost-by-tenant`,
    );
    await waitForPanelState(page, 'cost-by-tenant', 'ready');
    await waitForPanelState(page, 'latency', 'ready');
    expect(await page.locator('#time-range').inputValue()).toBe('6h');
    expect(await page.locator('#filter-model').inputValue()).toBe(model);
    expect(await page.locator('[data-panel="latency"]').getAttribute('data-series-count')).toBe(
      '1',
    );

    const table = page.locator('[data-panel="cost-by-tenant"] table');
    const totalCells = await table.locator('tfoot td').allTextContents();
    const requestCells = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    const rowRequests = requestCells.map((text) => Number(text.replaceAll(',', '')));
    expect(rowRequests.length).toBeGreaterThanOrEqual(2);
    expect(Number(totalCells[0]?.replaceAll(',', ''))).toBe(rowRequests.reduce((a, b) => a + b, 0));
    expect(totalCells[1]).toMatch(/^\$[\d,.]+$/);
    expect(totalCells[2]).toBe('100%');
    await page.context().close();
  }, 120_000);

  it('shows the onboarding for an empty window', async () => {
    const page = await openPage('?from=2001-01-01T00:00:00Z&to=2001-01-01T01:00:00Z');
    for (const panelId of BIG_PANELS) {
      await waitForPanelState(page, panelId, 'empty');
    }
    const onboarding = page.locator('[data-testid="onboarding"]');
    await onboarding.waitFor({ timeout: 10_000 });
    expect(await onboarding.textContent()).toContain(`http://127.0.0.1:${otlpPort}/v1/traces`);
    expect(await onboarding.textContent()).toContain('npx foghorn demo');
    await page.context().close();
  }, 120_000);

  it('filter changes numbers to match the summary', async () => {
    const toMs = Date.now() + 60_000;
    // Three days: the summary reads hour rollups, which must match the API to the call.
    const fromMs = toMs - 3 * DAY_MS;
    const window = `from=${fromMs}&to=${toMs}`;
    const page = await openPage(`?${window}&panel=cost-by-tenant`);
    await waitForPanelState(page, 'cost-by-tenant', 'ready');
    const totalCell = page.locator('[data-panel="cost-by-tenant"] tfoot td').first();
    const allText = String(await totalCell.textContent());
    const allRequests = countOf(allText);
    expect(allRequests).toBe(await summaryRequests(`${window}&groupBy=tenant`));

    const dimensions = (await (
      await fetch(`${baseUrl}/api/v1/llm/dimensions?${window}`)
    ).json()) as {
      models: string[];
    };
    const model = dimensions.models[0] ?? 'missing';
    await page.selectOption('#filter-model', model);
    await page.waitForURL(new RegExp(`[?&]model=${encodeURIComponent(model)}(&|$)`));
    // Compared with the total read before the filter changed: the panel may already show the
    // filtered total by the time the URL has changed.
    await page.waitForFunction(
      ([selector, before]) => {
        const cell = document.querySelector(selector);
        return cell !== null && cell.textContent !== before;
      },
      ['[data-panel="cost-by-tenant"] tfoot td', allText] as const,
      { timeout: PANEL_TIMEOUT_MS },
    );
    const modelRequests = countOf(await totalCell.textContent());
    expect(modelRequests).toBeLessThan(allRequests);
    expect(modelRequests).toBe(
      await summaryRequests(`${window}&groupBy=tenant&model=${encodeURIComponent(model)}`),
    );
    await page.context().close();
  }, 120_000);

  it('copied link restores range, filters and row', async () => {
    const page = await openPage('?range=6h');
    await waitForPanelState(page, 'latency', 'ready');
    const dimensions = (await (await fetch(`${baseUrl}/api/v1/llm/dimensions`)).json()) as {
      tenants: string[];
    };
    const tenant = dimensions.tenants[0] ?? 'missing';
    await page.selectOption('#filter-tenant', tenant);
    await page.click('[data-row="inflight-ttft"] .row-toggle');
    await page.waitForURL(/[?&]panel=inflight-ttft(&|$)/);
    const copiedUrl = page.url();
    await page.context().close();

    const restored = await openPage(copiedUrl.slice(baseUrl.length + 1));
    await waitForPanelState(restored, 'inflight-ttft', 'ready');
    expect(await restored.locator('#time-range').inputValue()).toBe('6h');
    expect(await restored.locator('#filter-tenant').inputValue()).toBe(tenant);
    expect(await restored.locator('[data-row="inflight-ttft"]').getAttribute('data-open')).toBe(
      'true',
    );
    expect(await restored.locator('[data-row="quality"]').getAttribute('data-open')).toBe('false');
    await restored.context().close();
  }, 120_000);

  it('notification link lands on its panel', async () => {
    const toMs = Date.now();
    const fromMs = toMs - 3 * 3_600_000;
    const page = await openPage(`?from=${fromMs}&to=${toMs}&panel=errors&provider=openai`);
    await waitForPanelState(page, 'errors', 'ready');
    await page.waitForSelector('[data-panel="errors"].panel-linked', { timeout: 10_000 });
    expect(await page.locator('#filter-provider').inputValue()).toBe('openai');
    expect(await page.locator('#time-range').inputValue()).toBe('custom');
    expect(page.url()).toContain('panel=errors');
    await page.context().close();
  }, 120_000);

  it('rule link opens the rules page', async () => {
    const page = await openPage();
    await waitForPanelState(page, 'latency', 'ready');
    await page.click('[data-panel="latency"] [data-rule-link="latency-p95-high"]');
    await page.waitForURL(/[?&]view=rules&rule=latency-p95-high(&|$)/);
    const row = page.locator('[data-rule="latency-p95-high"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('class')).toContain('selected');
    expect(await row.locator('[data-testid="rule-condition"]').textContent()).toBe(
      'latency_p95_ms by model over 10m > 15000 for 5m',
    );
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'rules.png') });
    await page.context().close();

    const fromHash = await openPage('#/alerts/rules/errors-slo-fast-burn');
    await fromHash
      .locator('[data-rule="errors-slo-fast-burn"].selected')
      .waitFor({ timeout: 10_000 });
    expect(fromHash.url()).toContain('view=rules&rule=errors-slo-fast-burn');
    await fromHash.context().close();
  }, 120_000);

  it('chart click opens that bucket in traces', async () => {
    const page = await openPage();
    await waitForPanelState(page, 'latency', 'ready');
    const over = page.locator('[data-panel="latency"] .u-over');
    const box = await over.boundingBox();
    expect(box).not.toBeNull();
    // NOTE: on a loaded machine a first click was once ignored, possibly because a
    // panel refresh redrew the chart between the move and the click. A user would
    // click again, and so does this test.
    let opened = false;
    for (let attempt = 0; attempt < 3 && !opened; attempt++) {
      await page.mouse.move(box!.x + box!.width * 0.9, box!.y + box!.height * (0.5 + attempt / 10));
      await page.mouse.down();
      await page.mouse.up();
      opened = await page
        .waitForURL(/[?&]view=traces(&|$)/, { timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
    }
    expect(opened).toBe(true);
    const url = new URL(page.url());
    const windowMs =
      Date.parse(url.searchParams.get('to') ?? '') - Date.parse(url.searchParams.get('from') ?? '');
    // One bucket of the one-hour default range: about 120 buckets of 30 s.
    expect(windowMs).toBe(30_000);
    await page.waitForSelector('[data-panel="traces"]:not([data-state="loading"])', {
      timeout: PANEL_TIMEOUT_MS,
    });
    await page.context().close();
  }, 120_000);

  it('waterfall nests the demo RAG trace', async () => {
    const page = await openPage('?view=traces&range=6h&text=rag.pipeline');
    await waitForPanelState(page, 'traces', 'ready');
    expect(
      Number(await page.locator('[data-panel="traces"]').getAttribute('data-trace-count')),
    ).toBeGreaterThan(0);
    await page.locator('.trace-row').first().click();
    await page.waitForURL(/[?&]trace=[0-9a-f]{32}(&|$)/);
    await page
      .locator('[data-testid="waterfall"] .waterfall-row')
      .first()
      .waitFor({ timeout: 10_000 });
    const rows = await page.$$eval('.waterfall-row', (elements) =>
      elements.map((element) => {
        const data = (element as HTMLElement).dataset;
        return { name: data.spanName ?? '', depth: Number(data.depth), category: data.category };
      }),
    );
    const pipeline = rows.findIndex((row) => row.name === 'rag.pipeline');
    expect(pipeline).toBeGreaterThanOrEqual(0);
    const pipelineDepth = rows[pipeline]!.depth;
    const children = rows.slice(pipeline + 1).filter((row) => row.depth === pipelineDepth + 1);
    expect(children.map((row) => row.category)).toEqual(['embedding', 'retrieval', 'llm']);
    expect(children[0]!.name).toBe('embeddings text-embedding-3-small');
    expect(children[1]!.name).toMatch(/^retrieval /);
    expect(children[2]!.name).toMatch(/^chat /);
    await page.locator(`.waterfall-row[data-category="llm"]`).click();
    const details = page.locator('[data-testid="span-details"]');
    expect(await details.locator('[data-section="cost"]').count()).toBe(1);
    expect(await details.locator('[data-testid="span-cost-total"]').textContent()).toMatch(/^\$/);
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'trace-waterfall.png'),
      fullPage: true,
    });
    await page.context().close();
  }, 120_000);

  it('shows completion markup as text', async () => {
    const traceId = await sendHostileCompletion(`http://127.0.0.1:${otlpPort}/v1/traces`);
    const page = await openPage(`?trace=${traceId}&range=1h`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const content = page.locator('[data-section="content"]');
    await content.waitFor({ timeout: PANEL_TIMEOUT_MS });
    const text = await content.textContent();
    expect(text).toContain('<script>window.__foghornXss = "script"</script>');
    expect(text).toContain('<img src=x onerror="window.__foghornXss = \'img\'; alert(1)">');
    expect(await page.locator('.span-details script, .span-details img').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(
      await page.evaluate(() => (window as unknown as Record<string, unknown>).__foghornXss),
    ).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trace-content.png'), fullPage: true });
    await page.context().close();
  }, 120_000);

  it('runs without CSP violations or page errors', () => {
    expect(pageProblems).toEqual([]);
  });

  // Runs last because it stops the server.
  it('shows errors inline when the server is gone', async () => {
    const page = await openPage();
    await waitForPanelState(page, 'latency', 'ready');
    await stopProcess(server);

    await page.click('button.refresh-now');
    for (const panelId of BIG_PANELS) {
      await waitForPanelState(page, panelId, 'error');
    }
    const message = await page.locator('[data-panel="latency"] [role="alert"]').textContent();
    expect(message).toContain('Query failed (NETWORK_ERROR)');
    expect(message).toContain('Check that the Foghorn server is running.');
    expect(await page.locator('[data-panel="latency"] canvas').count()).toBe(0);
    expect(await page.locator('[data-row]').count()).toBe(ROWS.length);
    await page.context().close();
  }, 120_000);
});

/** Parses a count shown with thousands separators. */
function countOf(text: string | null): number {
  return Number((text ?? '').replaceAll(',', ''));
}
