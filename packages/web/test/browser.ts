/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, stopProcess, type RunningProcess } from './foghorn-process.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Flags for headless Chromium in a container: no sandbox, GPU, QUIC or background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The built dashboard; end-to-end tests that do not build it skip when it is missing. */
export const WEB_DIST_INDEX = path.join(REPO_ROOT, 'packages/web/dist/index.html');
/** How long a dashboard panel may take to leave its loading state. */
export const PANEL_TIMEOUT_MS = 60_000;

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** Closes the browser, stops the server and removes its data directory; each may be absent. */
export async function closeBrowserAndServer(
  browser: Browser | undefined,
  server: RunningProcess | undefined,
  dataDir: string,
): Promise<void> {
  await browser?.close();
  await stopProcess(server);
  if (dataDir !== '') {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Bundles the dashboard into packages/web/dist with packages/web/build.mjs. */
export function buildDashboard(): void {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'packages/web/build.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`packages/web/build.mjs failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Opens `url` in a new page of `browser` with a 1440 px wide viewport. */
export async function openPage(
  browser: Browser | undefined,
  url: string,
  viewportHeightPx: number,
  onPage: (page: Page) => void = () => {},
): Promise<Page> {
  if (browser === undefined) {
    throw new Error('Chromium did not start; see the beforeAll error.');
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: viewportHeightPx } });
  onPage(page);
  await page.goto(url);
  return page;
}

/** Records page errors and Content Security Policy violations of `page` in `problems`. */
export function collectPageProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
}

export async function waitForPanelState(
  page: Page,
  panelId: string,
  state: string,
  timeoutMs = PANEL_TIMEOUT_MS,
): Promise<void> {
  await page.waitForSelector(`[data-panel="${panelId}"][data-state="${state}"]`, {
    timeout: timeoutMs,
  });
}
