import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, WEB_DIST_INDEX } from '../../../web/test/browser.ts';
import { authFromOptions } from '../../src/auth/auth-options.ts';
import { HIDDEN_CONTENT_MARKER } from '../../src/auth/content-mask.ts';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';
import { PROMPT_TEXT, TRACE_ID, call, chatSpanJson, login } from './auth-server.ts';

const ARTIFACTS_DIR = fileURLToPath(new URL('../../../../test-artifacts', import.meta.url));
const ADMIN_PASSWORD = 'admin password from the environment 7';
const VIEWER_PASSWORD = 'viewer password without content 3';
const WAIT_MS = 15_000;
const BAD_CREDENTIALS_MESSAGE = 'the user name or password is wrong';

interface LoginServer {
  handle: FoghornHandle;
  /** Moves the server clock, so login throttling delays pass without waiting. */
  advanceMs(ms: number): void;
  stop(): Promise<void>;
}

/** Starts Foghorn as `foghorn up --auth` does, with the first admin's password in the environment. */
async function startLoginServer(): Promise<LoginServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-login-page-'));
  let clockUnixMs = Date.now();
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    now: () => clockUnixMs,
    auth: authFromOptions({ auth: true }, { FOGHORN_ADMIN_PASSWORD: ADMIN_PASSWORD }),
  });
  return {
    handle,
    advanceMs: (ms) => {
      clockUnixMs += ms;
    },
    stop: async () => {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.locator('.login-form input[name="username"]').fill(username);
  await page.locator('.login-form input[name="password"]').fill(password);
  await page.locator('.login-form button[type="submit"]').click();
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, name), fullPage: true });
}

describe.skipIf(!hasChromium() || !existsSync(WEB_DIST_INDEX))('login page in Chromium', () => {
  let server: LoginServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startLoginServer();
    const admin = await login(server.handle.url, 'admin', ADMIN_PASSWORD);
    const key = (await call(server.handle.url, 'POST', '/api/v1/auth/keys', admin, { name: 'ui' }))
      .body.key as string;
    const ingest = await fetch(`${server.handle.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: chatSpanJson(),
    });
    if (ingest.status !== 200)
      throw new Error(`OTLP/HTTP trace export failed with HTTP ${ingest.status}`);
    await call(server.handle.url, 'POST', '/api/v1/auth/users', admin, {
      username: 'viewer',
      password: VIEWER_PASSWORD,
      role: 'viewer',
      canReadContent: false,
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in, shows data and logs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.handle.url}/?range=1h`);
    await page.locator('.login-form').waitFor({ timeout: WAIT_MS });
    await submitLogin(page, 'admin', ADMIN_PASSWORD);

    const bar = page.locator('.auth-bar');
    await bar.waitFor({ timeout: WAIT_MS });
    expect(await bar.textContent()).toContain('admin · admin of default');
    const latency = page.locator('[data-panel="latency"]');
    await latency.locator('canvas').first().waitFor({ timeout: WAIT_MS });
    await expect.poll(() => latency.textContent(), { timeout: WAIT_MS }).toContain('gpt-4o-mini');
    await screenshot(page, 'login-dashboard.png');

    await bar.getByRole('button', { name: 'Log out' }).click();
    await page.locator('.login-form').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('.auth-bar').count()).toBe(0);
    const session = await page.request.get(`${server.handle.url}/api/v1/auth/session`);
    expect((await session.json()).authenticated).toBe(false);
    await screenshot(page, 'login-after-logout.png');
    await page.close();
  });

  it('hides content from a viewer without the permission', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.handle.url}/?view=traces&trace=${TRACE_ID}`);
    await page.locator('.login-form').waitFor({ timeout: WAIT_MS });
    await submitLogin(page, 'viewer', VIEWER_PASSWORD);

    const notice = page.locator('.auth-content-hidden');
    await notice.waitFor({ timeout: WAIT_MS });
    expect(await notice.textContent()).toBe(
      'Prompt and completion content is hidden: your role lacks the content permission.',
    );
    const row = page.locator('[data-testid="waterfall"] .waterfall-row').first();
    await row.waitFor({ timeout: WAIT_MS });
    await row.click();
    const details = page.locator('[data-testid="span-details"]');
    await details.waitFor({ timeout: WAIT_MS });
    const text = (await details.textContent()) ?? '';
    expect(text).toContain(HIDDEN_CONTENT_MARKER);
    expect(text).not.toContain(PROMPT_TEXT);
    await screenshot(page, 'login-viewer-content-hidden.png');
    await page.close();
  });

  it('locks the account after five wrong passwords', async () => {
    const page = await browser.newPage();
    await page.goto(server.handle.url);
    await page.locator('.login-form').waitFor({ timeout: WAIT_MS });
    const error = page.locator('.login-error');
    const attempt = async (password: string): Promise<number> => {
      const response = page.waitForResponse((candidate) =>
        candidate.url().endsWith('/api/v1/auth/login'),
      );
      await submitLogin(page, 'admin', password);
      const status = (await response).status();
      await page.locator('.login-form button[type="submit"]:not([disabled])').waitFor();
      return status;
    };
    for (let failure = 1; failure <= 5; failure++) {
      expect(await attempt(`wrong password ${failure}`), `failure ${failure}`).toBe(401);
      expect(await error.textContent()).toBe(BAD_CREDENTIALS_MESSAGE);
      // Past the growing delay between attempts, so every attempt is checked.
      server.advanceMs(60_000);
    }

    expect(await attempt(ADMIN_PASSWORD)).toBe(429);
    expect(await error.textContent()).toBe(
      'login is locked after repeated failed logins; retry later',
    );
    expect(await page.locator('.auth-bar').count()).toBe(0);
    await screenshot(page, 'login-locked.png');
    await page.close();
  });
});
