/// <reference types="node" />
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDurationMs } from '../src/lib/format.ts';
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
import { startFoghornUp, type RunningProcess } from './foghorn-process.ts';

const MODEL = 'iris-classifier';
/** Ten minutes ago on a whole minute; the page shows the 30 minutes around it. */
const START_MS = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const WINDOW = `from=${new Date(START_MS - 10 * 60_000).toISOString()}&to=${new Date(START_MS + 20 * 60_000).toISOString()}`;
/** Call durations per registered version; p95 of all five is 560 ms, of version 2 alone 590 ms. */
const DURATIONS_MS: Readonly<Record<number, number[]>> = { 1: [100, 200, 300], 2: [400, 600] };

interface VersionRow {
  version: string;
  stage: string;
  label: string;
  requests: string;
}

if (!hasChromium()) {
  console.warn(`Skipping the model versions end-to-end test: ${CHROMIUM_PATH} is not installed.`);
}

describe.skipIf(!hasChromium())('model versions in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    buildDashboard();
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-versions-e2e-'));
    const up = await startFoghornUp(dataDir);
    server = up.running;
    baseUrl = up.baseUrl;
    await registerVersions(baseUrl);
    await sendCalls(`http://127.0.0.1:${up.otlpPort}/v1/traces`);
    browser = await launchChromium();
  }, 180_000);

  afterAll(() => closeBrowserAndServer(browser, server, dataDir), 30_000);

  async function openPage(query: string): Promise<Page> {
    const page = await openBrowserPage(browser, `${baseUrl}/${query}`, 1200);
    await waitForPanelState(page, 'model-versions', 'ready');
    await waitForPanelState(page, 'latency', 'ready');
    return page;
  }

  it('labels each version with its stage', async () => {
    const page = await openPage(`?${WINDOW}&panel=model-versions`);
    expect(await readRows(page)).toEqual([
      { version: `${MODEL}/1`, stage: 'Staging', label: `${MODEL}/1 (Staging)`, requests: '3' },
      {
        version: `${MODEL}/2`,
        stage: 'Production',
        label: `${MODEL}/2 (Production, @champion)`,
        requests: '2',
      },
    ]);
    expect(await latencyHeadline(page)).toBe(formatDurationMs(560));
    await page.context().close();
  }, 120_000);

  it('filter narrows the numbers', async () => {
    const page = await openPage(`?${WINDOW}&panel=model-versions`);
    // The menu is filled from the dimensions request, which can complete after the panels are ready.
    const options = (): Promise<string[]> =>
      page
        .locator('#filter-registeredModel option')
        .evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    await expect
      .poll(options, { timeout: PANEL_TIMEOUT_MS })
      .toEqual(['', `${MODEL}/1`, `${MODEL}/2`]);

    await page.selectOption('#filter-registeredModel', `${MODEL}/2`);
    await page.waitForURL(/[?&]modelVersion=iris-classifier%2F2(&|$)/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-table="model-versions"] tbody tr').length === 1,
      undefined,
      { timeout: PANEL_TIMEOUT_MS },
    );
    await page.waitForSelector('[data-panel="latency"][data-state="ready"]');
    const rows = await readRows(page);
    expect(rows.map((row) => [row.version, row.requests])).toEqual([[`${MODEL}/2`, '2']]);
    await expect.poll(() => latencyHeadline(page)).toBe(formatDurationMs(590));
    await page.context().close();
  }, 120_000);
});

async function readRows(page: Page): Promise<VersionRow[]> {
  return page.locator('[data-table="model-versions"] tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      version: row.getAttribute('data-version') ?? '',
      stage: row.getAttribute('data-stage') ?? '',
      label: row.querySelector('th')?.textContent ?? '',
      requests: row.querySelector('[data-cell="requests"]')?.textContent ?? '',
    })),
  );
}

async function latencyHeadline(page: Page): Promise<string> {
  return (await page.locator('[data-panel="latency"] .headline-value').textContent()) ?? '';
}

async function mlflowPost(baseUrl: string, route: string, body: object): Promise<any> {
  const response = await fetch(`${baseUrl}/api/2.0/mlflow${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${route} failed with ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Registers versions 1 (Staging) and 2 (Production, alias champion) through the MLflow REST API. */
async function registerVersions(baseUrl: string): Promise<void> {
  const run = await mlflowPost(baseUrl, '/runs/create', { experiment_id: '0' });
  const runId = run.run.info.run_id as string;
  await mlflowPost(baseUrl, '/registered-models/create', { name: MODEL });
  for (const stage of ['Staging', 'Production']) {
    const created = await mlflowPost(baseUrl, '/model-versions/create', {
      name: MODEL,
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    await mlflowPost(baseUrl, '/model-versions/transition-stage', {
      name: MODEL,
      version: created.model_version.version,
      stage,
      archive_existing_versions: false,
    });
  }
  await mlflowPost(baseUrl, '/registered-models/alias', {
    name: MODEL,
    alias: 'champion',
    version: '2',
  });
}

/** Sends one trace per call: a root carrying the registered model around one chat call. */
async function sendCalls(url: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'iris-api' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  const tracer = provider.getTracer('model-versions-e2e');
  let startMs = START_MS;
  for (const [version, durations] of Object.entries(DURATIONS_MS)) {
    for (const durationMs of durations) {
      const root = tracer.startSpan('predict', {
        startTime: startMs,
        attributes: {
          'foghorn.registered_model.name': MODEL,
          'foghorn.registered_model.version': Number(version),
        },
      });
      const call = tracer.startSpan(
        'chat gpt-4o',
        {
          kind: SpanKind.CLIENT,
          startTime: startMs + 1,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
          },
        },
        trace.setSpan(context.active(), root),
      );
      call.end(startMs + 1 + durationMs);
      root.end(startMs + durationMs + 5);
      startMs += 1000;
    }
  }
  await provider.forceFlush();
  await provider.shutdown();
}
