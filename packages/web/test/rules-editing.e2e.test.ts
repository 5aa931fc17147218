/// <reference types="node" />
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDashboard,
  CHROMIUM_PATH,
  collectPageProblems,
  hasChromium,
  launchChromium,
  openPage as openBrowserPage,
} from './browser.ts';
import {
  freePort,
  REPO_ROOT,
  startFoghorn,
  stopProcess,
  waitForHttpOk,
  type RunningProcess,
} from './foghorn-process.ts';
import { sendHostileCompletion } from './hostile-trace.ts';

const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const RULE_ID = 'ui-requests';
/** An API rule on call counts that stays quiet until the test lowers its threshold to 0. */
const RULE_BODY = {
  id: RULE_ID,
  panel: 'inflight-ttft',
  expr: 'requests by service over 15m',
  comparator: '>',
  threshold: 1000000,
  severity: 'info',
  labels: { team: 'web-e2e' },
  annotations: { summary: 'calls seen' },
};
const EDITOR = '[data-testid="rule-editor"]';
const INVALID_EXPR = 'requests by service over';

if (!hasChromium()) {
  console.warn(`Skipping the rules editing end-to-end test: ${CHROMIUM_PATH} is not installed.`);
}

interface RuleBody {
  threshold?: number;
  expr: string;
  origin: { kind: string };
}

interface SilenceBody {
  id: string;
  state: string;
  matchers: { name: string; operator: string; value: string }[];
}

describe.skipIf(!hasChromium())('rules editing in Chromium', () => {
  let dataDir = '';
  let server: RunningProcess | undefined;
  let baseUrl = '';
  let otlpPort = 0;
  let browser: Browser | undefined;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-web-rules-'));
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
      '--alert-interval-ms',
      '500',
    ]);
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${baseUrl}/healthz`, server, 30_000);
    const created = await fetch(`${baseUrl}/api/v1/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(RULE_BODY),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  async function getJson<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${baseUrl}${pathAndQuery}`);
    expect(response.status, `GET ${pathAndQuery}`).toBe(200);
    return (await response.json()) as T;
  }

  async function openRuleEditor(): Promise<Page> {
    const page = await openBrowserPage(
      browser,
      `${baseUrl}/?view=rules&rule=${RULE_ID}`,
      1400,
      (opened) => collectPageProblems(opened, pageProblems),
    );
    await page.locator(`[data-edit-rule="${RULE_ID}"]`).click({ timeout: 30_000 });
    await page.locator(EDITOR).waitFor();
    return page;
  }

  it('saves an edited threshold', async () => {
    const page = await openRuleEditor();
    expect(await page.locator(`${EDITOR} input[name="threshold"]`).inputValue()).toBe('1000000');
    expect(await page.locator(`${EDITOR} textarea[name="labels"]`).inputValue()).toBe(
      'team=web-e2e',
    );
    await page.fill(`${EDITOR} input[name="threshold"]`, '0');
    await page.click(`${EDITOR} button[type="submit"]`);
    await page.locator('[data-testid="rule-form-info"]').waitFor();
    expect(await page.locator('[data-testid="rule-form-info"]').textContent()).toBe(
      `Saved rule "${RULE_ID}".`,
    );

    const rule = await getJson<RuleBody>(`/api/v1/alerts/rules/${RULE_ID}`);
    expect(rule.threshold).toBe(0);
    expect(rule.expr).toBe(RULE_BODY.expr);
    expect(rule.origin.kind).toBe('api');
    await page
      .locator(`[data-rule="${RULE_ID}"] [data-testid="rule-condition"]`)
      .filter({ hasText: '> 0' })
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'rules-editor.png'), fullPage: true });
    await page.context().close();
  }, 120_000);

  it('sends a test notification', async () => {
    const page = await openRuleEditor();
    await page.click(`${EDITOR} button:has-text("Send test notification")`);
    const info = page.locator('[data-testid="rule-form-info"]');
    await info.waitFor();
    const direct = await fetch(`${baseUrl}/api/v1/alerts/rules/${RULE_ID}/test`, {
      method: 'POST',
    });
    const { receivers } = (await direct.json()) as { receivers: string[] };
    expect(await info.textContent()).toBe(
      receivers.length === 0
        ? `No receiver is routed for rule "${RULE_ID}", so no test notification was sent.`
        : `Test notification queued for ${receivers.join(', ')}; GET /api/v1/alerts/outbox shows its delivery.`,
    );
    await page.context().close();
  }, 120_000);

  it('keeps file rules read-only', async () => {
    const page = await openRuleEditor();
    await page.click('[data-edit-rule="latency-p95-high"]');
    const note = page.locator('[data-testid="rule-file-note"]');
    await note.waitFor();
    expect(await note.textContent()).toContain(path.join(dataDir, 'alerts', 'default.yaml'));
    expect(await page.locator(`${EDITOR} input[name="id"]`).inputValue()).toBe(
      'latency-p95-high-custom',
    );
    expect(await page.locator(`${EDITOR} button:has-text("Delete")`).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('shows the server message for an invalid rule', async () => {
    const page = await openRuleEditor();
    await page.fill(`${EDITOR} input[name="expr"]`, INVALID_EXPR);
    await page.click(`${EDITOR} button[type="submit"]`);
    const error = page.locator('[data-testid="rule-form-error"]');
    await error.waitFor();

    const direct = await fetch(`${baseUrl}/api/v1/alerts/rules/${RULE_ID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...RULE_BODY, threshold: 0, expr: INVALID_EXPR }),
    });
    expect(direct.status).toBe(400);
    const { error: body } = (await direct.json()) as { error: { message: string } };
    expect(body.message).toMatch(/^the alert rule is invalid: expr: /);
    expect(await error.textContent()).toBe(body.message);
    const rule = await getJson<RuleBody>(`/api/v1/alerts/rules/${RULE_ID}`);
    expect(rule.expr).toBe(RULE_BODY.expr);
    await page.context().close();
  }, 120_000);

  it('creates and expires a silence', async () => {
    const page = await openRuleEditor();
    expect(await page.locator('[data-testid="silence-matchers"]').textContent()).toBe(
      `team="web-e2e", alertname="${RULE_ID}"`,
    );
    await page.fill('[data-testid="silence-form"] input[name="duration"]', '1h');
    await page.fill('[data-testid="silence-form"] input[name="comment"]', 'e2e maintenance');
    await page.click('[data-testid="silence-form"] button[type="submit"]');
    await page.locator('[data-testid="silence-form"] [role="status"]').waitFor();

    const created = await getJson<{ silences: SilenceBody[] }>('/api/v1/alerts/silences');
    expect(created.silences).toHaveLength(1);
    const silence = created.silences[0]!;
    expect(silence.state).toBe('active');
    expect(silence.matchers).toContainEqual({ name: 'alertname', operator: '=', value: RULE_ID });
    expect(silence.matchers).toContainEqual({ name: 'team', operator: '=', value: 'web-e2e' });

    await page.click('[data-rules-tab="silences"]');
    const row = page.locator(`[data-silence="${silence.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('e2e maintenance');
    await row.locator('button').click();
    await row.waitFor({ state: 'detached' });
    const expired = await getJson<{ silences: SilenceBody[] }>('/api/v1/alerts/silences');
    expect(expired.silences.map((entry) => entry.state)).toEqual(['expired']);
    await page.context().close();
  }, 120_000);

  it('lists history after the rule fires', async () => {
    await sendHostileCompletion(`http://127.0.0.1:${otlpPort}/v1/traces`);
    const page = await openBrowserPage(browser, `${baseUrl}/?view=rules`, 1000, (opened) =>
      collectPageProblems(opened, pageProblems),
    );
    await page.click('[data-rules-tab="history"]');
    const rows = page.locator(`[data-history-rule="${RULE_ID}"]`);
    for (let attempt = 0; attempt < 60 && (await rows.count()) === 0; attempt += 1) {
      await page.waitForTimeout(1000);
      await page.click('[data-testid="alert-history"] button');
    }
    expect(await rows.count()).toBeGreaterThan(0);

    const shownAtMs = await rows.evaluateAll((elements) =>
      elements.map((element) => Number(element.getAttribute('data-history-at'))),
    );
    const newestFirst = [...shownAtMs].sort((a, b) => b - a);
    expect(shownAtMs).toEqual(newestFirst);
    expect(['pending', 'firing']).toContain(await rows.last().getAttribute('data-history-state'));
    expect(await rows.last().locator('td').nth(2).textContent()).toMatch(/^inactive → /);
    const api = await getJson<{ history: { ruleId: string; atMs: number }[] }>(
      `/api/v1/alerts/history?ruleId=${RULE_ID}`,
    );
    expect(api.history.map((entry) => entry.atMs)).toEqual(expect.arrayContaining(shownAtMs));
    const labels = await rows.last().locator('td').nth(3).textContent();
    expect(labels).toContain(`alertname=${RULE_ID}`);
    expect(labels).toContain('service=hostile-app');
    expect(labels).toContain('team=web-e2e');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'rules-history.png'), fullPage: true });

    await page.click('[data-rules-tab="rules"]');
    await page.click(`[data-edit-rule="${RULE_ID}"]`);
    const ruleHistory = page.locator('.rule-detail [data-testid="alert-history"]');
    await ruleHistory.locator(`[data-history-rule="${RULE_ID}"]`).first().waitFor();
    const ruleIds = await ruleHistory
      .locator('[data-history-rule]')
      .evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('data-history-rule')),
      );
    expect(new Set(ruleIds)).toEqual(new Set([RULE_ID]));
    expect(pageProblems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
