import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, WEB_DIST_INDEX } from '../../../web/test/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { HOSTILE_DIALECTS, PAYLOADS, PWNED_BINDING, sendHostileSpans } from './hostile-spans.ts';

interface PageReport {
  executed: string[];
  violations: string[];
  consoleErrors: string[];
  failedRequests: string[];
}

/** Opens a page that records payload runs, CSP violations and console errors. */
async function openWatchedPage(browser: Browser, report: PageReport): Promise<Page> {
  const page = await browser.newPage();
  await page.exposeBinding(PWNED_BINDING, (_source, name: string) => {
    report.executed.push(String(name));
  });
  await page.exposeBinding('__foghornViolation', (_source, text: string) => {
    report.violations.push(String(text));
  });
  // Runs in the page, so it is plain JavaScript text; the server's tsconfig has no DOM types.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      window.__foghornViolation(event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sourceFile + ':' + event.lineNumber);
    });`,
  });
  page.on('console', (message) => {
    if (message.type() === 'error') report.consoleErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      report.failedRequests.push(`${response.status()} ${response.url()}`);
  });
  page.on('dialog', (dialog) => {
    report.executed.push(`dialog:${dialog.message()}`);
    void dialog.dismiss();
  });
  return page;
}

describe.skipIf(!hasChromium() || !existsSync(WEB_DIST_INDEX))(
  'hostile content in Chromium',
  () => {
    let server: TestServer;
    let browser: Browser;
    let traceIds: Record<string, string> = {};
    const report: PageReport = {
      executed: [],
      violations: [],
      consoleErrors: [],
      failedRequests: [],
    };
    const detailText: Record<string, string> = {};
    const waterfallText: Record<string, string> = {};
    let javascriptLinks = -1;
    let dashboardCharts = 0;
    let htmlHeaders: Record<string, string> = {};

    beforeAll(async () => {
      server = await startTestServer();
      traceIds = await sendHostileSpans(`${server.otlpUrl}/v1/traces`);
      htmlHeaders = Object.fromEntries((await fetch(`${server.url}/?view=traces`)).headers);
      browser = await launchChromium();
      const page = await openWatchedPage(browser, report);
      for (const [dialect, traceId] of Object.entries(traceIds)) {
        await page.goto(`${server.url}/?view=traces&trace=${traceId}`);
        const row = page.locator('[data-testid="waterfall"] .waterfall-row').first();
        await row.waitFor({ timeout: 15_000 });
        waterfallText[dialect] =
          (await page.locator('[data-testid="waterfall"]').textContent()) ?? '';
        await row.click();
        const details = page.locator('[data-testid="span-details"]');
        await details.waitFor({ timeout: 15_000 });
        detailText[dialect] = (await details.textContent()) ?? '';
      }
      javascriptLinks = await page.locator('a[href^="javascript:" i]').count();
      await page.goto(`${server.url}/?range=1h`);
      // The three big graphs draw independently, so wait for the last one before counting.
      await page.locator('.uplot').nth(2).waitFor({ timeout: 15_000 });
      dashboardCharts = await page.locator('.uplot').count();
      await page.close();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('serves HTML with a strict CSP and companion headers', () => {
      const csp = htmlHeaders['content-security-policy'] ?? '';
      expect(htmlHeaders['content-type']).toBe('text/html; charset=utf-8');
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(htmlHeaders['x-content-type-options']).toBe('nosniff');
      expect(htmlHeaders['referrer-policy']).toBe('no-referrer');
    });

    it('runs no payload', () => {
      expect(report.executed).toEqual([]);
      expect(javascriptLinks).toBe(0);
    });

    it('draws the uPlot charts under the CSP', () => {
      expect(dashboardCharts).toBeGreaterThanOrEqual(3);
    });

    it('reports no CSP violation or console error', () => {
      expect(report.violations).toEqual([]);
      expect(report.failedRequests).toEqual([]);
      expect(report.consoleErrors).toEqual([]);
    });

    it('opened every dialect', () => {
      expect(Object.keys(detailText).sort()).toEqual(Object.keys(HOSTILE_DIALECTS).sort());
    });

    it.each(Object.keys(HOSTILE_DIALECTS))('shows %s markup as literal text', (dialect) => {
      const text = detailText[dialect] ?? '';
      for (const payload of Object.values(PAYLOADS)) expect(text).toContain(payload);
      expect(waterfallText[dialect]).toContain(PAYLOADS.img);
    });
  },
);
