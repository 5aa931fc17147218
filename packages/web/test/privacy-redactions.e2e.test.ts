import { mkdir, mkdtemp } from 'node:fs/promises';
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
  openPage,
  PANEL_TIMEOUT_MS,
} from './browser.ts';
import { REPO_ROOT, startFoghornUp, type RunningProcess } from './foghorn-process.ts';

const SCREENSHOT_PATH = path.join(REPO_ROOT, 'test-artifacts/privacy-redactions.png');
const SERVICE = 'checkout-assistant';
const PANEL = '[data-panel="privacy-redactions"]';
const ROW = '[data-row="privacy-redactions"]';

/** One attribute set per span; the first three carry one value for one detector each. */
const SPAN_ATTRIBUTES: readonly Record<string, string>[] = [
  { 'app.note': 'Write to carol@example.com today' },
  { 'app.note': 'Call me on +44 20 7946 0958 after lunch' },
  { 'app.note': 'Charge card 4111 1111 1111 1111 please' },
  { 'http.request.header.authorization': 'Basic dXNlcjpwYXNz', 'user.id': 'customer-42' },
];

if (!hasChromium()) {
  console.warn(`Skipping the privacy row end-to-end test: ${CHROMIUM_PATH} is not installed.`);
}

describe.skipIf(!hasChromium())('privacy row in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let otlpUrl = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    buildDashboard();
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-privacy-e2e-'));
    const up = await startFoghornUp(dataDir);
    server = up.running;
    baseUrl = up.baseUrl;
    otlpUrl = `http://127.0.0.1:${up.otlpPort}`;
    browser = await launchChromium();
  }, 180_000);

  afterAll(() => closeBrowserAndServer(browser, server, dataDir), 30_000);

  it('row shows empty state, then the counts', async () => {
    const page = await openPage(browser, `${baseUrl}/`, 1400);
    await page.waitForSelector(ROW);
    expect(await page.locator(ROW).getAttribute('data-open')).toBe('false');
    expect(await page.locator('[data-row]').last().getAttribute('data-row')).toBe(
      'privacy-redactions',
    );

    await page.click(`${ROW} .row-toggle`);
    await page.waitForSelector(`${PANEL}[data-state="empty"]`, { timeout: PANEL_TIMEOUT_MS });
    const emptyText = (await page.locator(`${PANEL} .panel-message`).textContent()) ?? '';
    expect(emptyText).toContain('[REDACTED:<detector>] marker');

    await sendSpans(otlpUrl);
    await page.reload();
    await page.waitForSelector(`${PANEL}[data-state="ready"]`, { timeout: PANEL_TIMEOUT_MS });
    expect(await page.locator(ROW).getAttribute('data-open')).toBe('true');

    expect(await detectorCells(page)).toEqual({ email: '1', payment_card: '1', phone: '1' });
    expect(await serviceCells(page)).toEqual({
      service: SERVICE,
      spans: '4',
      email: '1',
      phone: '1',
      payment_card: '1',
      deniedAttributes: '1',
      pseudonymizedValues: '1',
    });
    expect(await page.locator(`${PANEL} .headline-value`).textContent()).toBe('3');

    await mkdir(path.dirname(SCREENSHOT_PATH), { recursive: true });
    await page.locator(ROW).screenshot({ path: SCREENSHOT_PATH });
    await page.context().close();
  }, 120_000);

  it('page numbers equal /metrics', async () => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const labels = `project="default",service="${SERVICE}"`;
    const sample = (line: string): string | undefined =>
      text
        .split('\n')
        .find((candidate) => candidate.startsWith(`${line} `))
        ?.split(' ')[1];
    for (const detector of ['email', 'phone', 'payment_card'])
      expect(sample(`foghorn_redactions_total{detector="${detector}",${labels}}`)).toBe('1');
    expect(sample(`foghorn_redaction_scanned_spans_total{${labels}}`)).toBe('4');
    expect(sample(`foghorn_redaction_denied_attributes_total{${labels}}`)).toBe('1');
    expect(sample(`foghorn_redaction_pseudonymized_values_total{${labels}}`)).toBe('1');
  });
});

async function detectorCells(page: Page): Promise<Record<string, string>> {
  const rows = await page
    .locator('[data-table="redaction-detectors"] tbody tr[data-detector]')
    .evaluateAll((nodes) =>
      nodes.map((node) => [
        node.getAttribute('data-detector') ?? '',
        node.querySelector('[data-cell="values"]')?.textContent ?? '',
      ]),
    );
  return Object.fromEntries(rows);
}

async function serviceCells(page: Page): Promise<Record<string, string>> {
  const row = page.locator(`[data-table="redaction-services"] tbody tr[data-service="${SERVICE}"]`);
  const cell = async (name: string): Promise<string> =>
    (await row.locator(`[data-cell="${name}"]`).textContent()) ?? '';
  return {
    service: (await row.locator('th').textContent()) ?? '',
    spans: await cell('spans'),
    email: await cell('detector-email'),
    phone: await cell('detector-phone'),
    payment_card: await cell('detector-payment_card'),
    deniedAttributes: await cell('deniedAttributes'),
    pseudonymizedValues: await cell('pseudonymizedValues'),
  };
}

/** Sends one chat span per attribute set through the OTel JS SDK. */
async function sendSpans(otlpUrl: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('privacy-redactions-e2e');
  for (const attributes of SPAN_ATTRIBUTES) {
    const span = tracer.startSpan('chat gpt-4o', {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.operation.name': 'chat', ...attributes },
    });
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
}
