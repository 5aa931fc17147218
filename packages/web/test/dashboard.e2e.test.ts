/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  REPO_ROOT,
  startFoghorn,
  stopProcess,
  waitForExit,
  waitForHttpOk,
  type RunningProcess,
} from './foghorn-process.ts';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_PATH = path.join(REPO_ROOT, 'test-artifacts/dashboard.png');
const BIG_PANELS = ['latency', 'errors', 'cost'] as const;
const ROWS = ['tokens-by-model', 'tokens-by-feature', 'cost-by-tenant'] as const;
const PANEL_TIMEOUT_MS = 60_000;

if (!existsSync(CHROMIUM_PATH)) {
  console.warn(`Skipping the dashboard end-to-end test: ${CHROMIUM_PATH} is not installed.`);
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('dashboard in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let otlpPort = 0;
  let browser: Browser | undefined;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-web-e2e-'));
    const port = await freePort();
    otlpPort = await freePort();
    server = startFoghorn([
      'up',
      '--port',
      String(port),
      '--otlp-port',
      String(otlpPort),
      '--grpc-port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${baseUrl}/healthz`, server, 30_000);

    const demo = startFoghorn([
      'demo',
      '--otlp-endpoint',
      `http://127.0.0.1:${otlpPort}`,
      '--duration-ms',
      '5000',
      '--backfill-hours',
      '2',
    ]);
    const demoExitCode = await waitForExit(demo, 120_000);
    expect(demoExitCode, `foghorn demo failed:\n${demo.output()}`).toBe(0);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (dataDir !== '') {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  /** Opens `/` in a fresh browser context, so localStorage starts empty. */
  async function openPage(query = ''): Promise<Page> {
    if (browser === undefined) {
      throw new Error('Chromium did not start; see the beforeAll error.');
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (
        message.type() === 'error' &&
        /Content Security Policy|Refused to/i.test(message.text())
      ) {
        pageProblems.push(`console: ${message.text()}`);
      }
    });
    await page.goto(`${baseUrl}/${query}`);
    return page;
  }

  async function waitForPanelState(page: Page, panelId: string, state: string): Promise<void> {
    await page.waitForSelector(`[data-panel="${panelId}"][data-state="${state}"]`, {
      timeout: PANEL_TIMEOUT_MS,
    });
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

    const modelOptions = await page.locator('#filter-model option').allTextContents();
    expect(modelOptions.length).toBeGreaterThanOrEqual(4);
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

function buildDashboard(): void {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'packages/web/build.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`packages/web/build.mjs failed:\n${result.stdout}\n${result.stderr}`);
  }
}
