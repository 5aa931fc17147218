/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDashboard,
  CHROMIUM_PATH,
  closeBrowserAndServer,
  collectPageProblems,
  launchChromium,
  openPage as openBrowserPage,
} from './browser.ts';
import { REPO_ROOT, startFoghornUp, type RunningProcess } from './foghorn-process.ts';

const VENV_PYTHON = path.join(REPO_ROOT, '.venv-test/bin/python');
const LOG_SCRIPT = path.join(REPO_ROOT, 'packages/web/test/python/log_tracking_pages.py');
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const WAIT_MS = 30_000;

const missing = [CHROMIUM_PATH, VENV_PYTHON].filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.warn(
    `Skipping the tracking pages test: ${missing.join(' and ')} missing; install Chromium and run bash scripts/python-venv.sh.`,
  );
}

describe.skipIf(missing.length > 0)('experiment and registry pages in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let browser: Browser | undefined;
  let runIds: Record<'shallow' | 'medium' | 'deep', string>;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-tracking-e2e-'));
    const up = await startFoghornUp(dataDir, { otlp: false });
    server = up.running;
    baseUrl = up.baseUrl;
    runIds = logThroughClient(baseUrl, dataDir);
    const policy = await fetch(`${baseUrl}/api/v1/registry/policies`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        modelName: 'pages-model',
        metricKey: 'accuracy',
        comparator: '>=',
        threshold: 0.9,
      }),
    });
    expect(policy.status).toBe(200);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    browser = await launchChromium();
  }, 240_000);

  afterAll(() => closeBrowserAndServer(browser, server, dataDir), 30_000);

  function openPage(query: string): Promise<Page> {
    // The rejected transition logs its HTTP 400 to the console; only policy violations count here.
    return openBrowserPage(browser, `${baseUrl}/${query}`, 1000, (page) =>
      collectPageProblems(page, pageProblems),
    );
  }

  async function runOrder(page: Page): Promise<string[]> {
    return page
      .locator('.runs-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id') ?? ''));
  }

  it('lists, sorts and filters runs', async () => {
    const page = await openPage('?view=experiments');
    await page.getByRole('button', { name: 'pages-demo' }).click();
    await page.waitForSelector('.runs-table tbody tr >> nth=2', { timeout: WAIT_MS });
    expect(page.url()).toMatch(/view=experiments&experiment=\d+/);
    const headers = await page.locator('.runs-table thead th').allTextContents();
    expect(headers).toEqual(
      expect.arrayContaining(['param: max_depth', 'metric: accuracy', 'metric: loss']),
    );
    expect(await page.locator('td', { hasText: '<b>not bold</b>' }).count()).toBe(3);
    expect(await page.locator('.runs-table b').count()).toBe(0);

    await page.getByRole('button', { name: 'metric: accuracy' }).click();
    await page.waitForFunction(() => location.search.includes('orderBy='), null, {
      timeout: WAIT_MS,
    });
    await page.waitForFunction(
      (first) =>
        document.querySelector('.runs-table tbody tr')?.getAttribute('data-run-id') === first,
      runIds.deep,
      { timeout: WAIT_MS },
    );
    expect(await runOrder(page)).toEqual([runIds.deep, runIds.medium, runIds.shallow]);
    expect(new URL(page.url()).searchParams.get('orderBy')).toBe('metrics.accuracy DESC');

    await page.getByRole('button', { name: 'metric: accuracy ▼' }).click();
    await page.waitForFunction(
      (first) =>
        document.querySelector('.runs-table tbody tr')?.getAttribute('data-run-id') === first,
      runIds.shallow,
      { timeout: WAIT_MS },
    );
    expect(await runOrder(page)).toEqual([runIds.shallow, runIds.medium, runIds.deep]);

    await page.getByLabel('Run filter').fill("params.max_depth != '2'");
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('.runs-table tbody tr').length === 2,
      null,
      { timeout: WAIT_MS },
    );
    expect(await runOrder(page)).toEqual([runIds.medium, runIds.deep]);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'tracking-runs.png'), fullPage: true });

    const reloaded = await openPage(new URL(page.url()).search);
    await reloaded.waitForSelector('.runs-table tbody tr >> nth=1', { timeout: WAIT_MS });
    expect(await runOrder(reloaded)).toEqual([runIds.medium, runIds.deep]);
    expect(await reloaded.getByLabel('Run filter').inputValue()).toBe("params.max_depth != '2'");
    await reloaded.close();
    await page.close();
  });

  it('compares two runs', async () => {
    const page = await openPage('?view=experiments');
    await page.getByRole('button', { name: 'pages-demo' }).click();
    await page.waitForSelector('.runs-table tbody tr >> nth=2', { timeout: WAIT_MS });
    await page.getByLabel('Select shallow').check();
    await page.getByLabel('Select deep').check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    await page.waitForSelector('.step-chart canvas', { timeout: WAIT_MS });
    expect(new URL(page.url()).searchParams.get('compare')).toBe(
      `${runIds.shallow},${runIds.deep}`,
    );

    expect(await page.locator('tr[data-param="max_depth"]').getAttribute('data-differs')).toBe(
      'true',
    );
    expect(await page.locator('tr[data-param="learning_rate"]').getAttribute('data-differs')).toBe(
      'false',
    );
    expect(await page.locator('tr[data-param="max_depth"] td').allTextContents()).toEqual([
      '2',
      '8',
    ]);
    const charts = await page
      .locator('.step-chart')
      .evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-metric')));
    expect(charts).toEqual(['accuracy', 'loss']);
    expect(await page.locator('.step-chart canvas').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'tracking-compare.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('previews the confusion matrix and text artifacts', async () => {
    const page = await openPage(`?view=experiments&run=${runIds.medium}`);
    await page.getByRole('button', { name: 'confusion_matrix.png' }).click();
    const image = page.locator('img.artifact-image');
    await image.waitFor({ timeout: WAIT_MS });
    await page.waitForFunction(
      () => {
        const element = document.querySelector('img.artifact-image') as HTMLImageElement | null;
        return element !== null && element.complete;
      },
      null,
      { timeout: WAIT_MS },
    );
    expect(
      await image.evaluate((element) => (element as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('artifact')).toBe('confusion_matrix.png');
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'tracking-artifact-image.png'),
      fullPage: true,
    });

    await page.getByRole('button', { name: '▸ charts/' }).click();
    await page.getByRole('button', { name: 'bar.svg' }).click();
    await page.waitForFunction(
      () =>
        (document.querySelector('img.artifact-image') as HTMLImageElement | null)?.src.endsWith(
          'bar.svg',
        ) === true,
      null,
      { timeout: WAIT_MS },
    );
    await page.waitForFunction(
      () => (document.querySelector('img.artifact-image') as HTMLImageElement).complete,
      null,
      { timeout: WAIT_MS },
    );
    expect(await image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(40);
    expect(await page.locator('.artifact-preview svg').count()).toBe(0);

    await page.getByRole('button', { name: '▸ config/' }).click();
    await page.getByRole('button', { name: 'params.json' }).click();
    await page.waitForSelector('pre.artifact-text', { timeout: WAIT_MS });
    await page.waitForFunction(
      () => (document.querySelector('pre.artifact-text')?.textContent ?? '') !== '',
      null,
      { timeout: WAIT_MS },
    );
    expect(JSON.parse((await page.locator('pre.artifact-text').textContent()) ?? '')).toEqual({
      max_depth: 4,
      layers: [64, 32],
    });
    await page.close();
  });

  it('rejects and applies transitions', async () => {
    const page = await openPage('?view=registry');
    await page.getByRole('button', { name: 'pages-model' }).click();
    await page.waitForSelector('tr[data-version="1"]', { timeout: WAIT_MS });
    expect(await page.locator('.policy-summary').textContent()).toBe(
      'The policy of pages-model requires accuracy >= 0.9 for Production.',
    );

    await page.locator('tr[data-version="1"] button[data-to-stage="Production"]').click();
    const error = page.locator('.transition-error');
    await error.waitFor({ timeout: WAIT_MS });
    expect(await error.textContent()).toContain(
      `metric 'accuracy' of run ${runIds.shallow} is 0.72, and the policy requires accuracy >= 0.9`,
    );
    expect(await page.locator('tr[data-version="1"]').getAttribute('data-stage')).toBe('None');

    await page.locator('tr[data-version="2"] button[data-to-stage="Production"]').click();
    await page.waitForSelector('tr[data-version="2"][data-stage="Production"]', {
      timeout: WAIT_MS,
    });
    await page.waitForSelector('.transition-log tbody tr >> nth=1', { timeout: WAIT_MS });
    const log = await page
      .locator('.transition-log tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('td')].slice(1, 6).map((cell) => cell.textContent),
        ),
      );
    expect(log).toEqual([
      ['2', 'None', 'Production', 'applied', 'user'],
      ['1', 'None', 'Production', 'rejected', 'user'],
    ]);
    expect(new URL(page.url()).searchParams.get('registeredModel')).toBe('pages-model');
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'tracking-registry.png'),
      fullPage: true,
    });
    await page.close();
    expect(pageProblems).toEqual([]);
  });
});

function logThroughClient(
  baseUrl: string,
  workDir: string,
): Record<'shallow' | 'medium' | 'deep', string> {
  const output = path.join(workDir, 'runs.json');
  const result = spawnSync(VENV_PYTHON, [LOG_SCRIPT, baseUrl, output], {
    cwd: workDir,
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      MLFLOW_DISABLE_TELEMETRY: 'true',
      DO_NOT_TRACK: 'true',
      MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
      GIT_PYTHON_REFRESH: 'quiet',
    },
  });
  if (result.status !== 0)
    throw new Error(`log_tracking_pages.py failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(readFileSync(output, 'utf8')) as Record<'shallow' | 'medium' | 'deep', string>;
}
