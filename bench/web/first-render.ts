// Measures how long the dashboard takes to show data: from navigation to the three big
// graphs drawn with data, in headless Chromium against a real `foghorn up` filled by the
// demo. The baseline is the same browser loading `/healthz` from the same server, so the
// ratio shows the dashboard's own cost over a bare request.
// Usage: npx tsx bench/web/first-render.ts [--loads 15]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, waitForPanelState } from '../../packages/web/test/browser.ts';
import {
  runDemo,
  startFoghornUp,
  stopProcess,
  type RunningProcess,
} from '../../packages/web/test/foghorn-process.ts';

const BIG_PANELS = ['latency', 'errors', 'cost'];

function loadsOption(argv: readonly string[]): number {
  const index = argv.indexOf('--loads');
  const value = index === -1 ? 15 : Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 3 || value > 200)
    throw new Error(`--loads is ${String(argv[index + 1])}; give an integer from 3 to 200`);
  return value;
}

function percentile(sortedMs: readonly number[], share: number): number {
  const rank = Math.max(1, Math.ceil(share * sortedMs.length));
  return sortedMs[rank - 1] ?? Number.NaN;
}

/** Opens `url` in a fresh page and returns the milliseconds until `ready` resolves. */
async function timeLoad(
  browser: Browser,
  url: string,
  ready: (page: Page) => Promise<void>,
): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const startMs = performance.now();
  await page.goto(url);
  await ready(page);
  const elapsedMs = performance.now() - startMs;
  await context.close();
  return elapsedMs;
}

async function main(): Promise<void> {
  const loads = loadsOption(process.argv.slice(2));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'foghorn-render-bench-'));
  let server: RunningProcess | undefined;
  let browser: Browser | undefined;
  try {
    const up = await startFoghornUp(dataDir);
    server = up.running;
    const baseUrl = up.baseUrl;
    await runDemo(up.otlpPort, { durationMs: 1000, backfillHours: 3, timeoutMs: 180_000 });
    browser = await launchChromium();
    const dashboardReady = async (page: Page): Promise<void> => {
      for (const panel of BIG_PANELS) {
        await waitForPanelState(page, panel, 'ready', 30_000);
      }
      await page.waitForSelector('[data-panel="latency"] canvas', { timeout: 30_000 });
    };
    const bareReady = async (): Promise<void> => {};
    // One warm-up of each, so the figures exclude Chromium's first start.
    await timeLoad(browser, baseUrl, dashboardReady);
    await timeLoad(browser, `${baseUrl}/healthz`, bareReady);
    const dashboardMs: number[] = [];
    const bareMs: number[] = [];
    for (let load = 0; load < loads; load += 1) {
      dashboardMs.push(await timeLoad(browser, baseUrl, dashboardReady));
      bareMs.push(await timeLoad(browser, `${baseUrl}/healthz`, bareReady));
    }
    dashboardMs.sort((a, b) => a - b);
    bareMs.sort((a, b) => a - b);
    const row = (name: string, values: number[]): string =>
      `| ${name} | ${percentile(values, 0.5).toFixed(0)} | ${percentile(values, 0.95).toFixed(0)} | ${values[values.length - 1]!.toFixed(0)} |`;
    console.log(
      `load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}, ${loads} loads each`,
    );
    console.log('| page | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|');
    console.log(row('dashboard, three graphs with data', dashboardMs));
    console.log(row('`/healthz` (baseline)', bareMs));
    console.log(
      `ratio of medians: ${(percentile(dashboardMs, 0.5) / percentile(bareMs, 0.5)).toFixed(1)}`,
    );
  } finally {
    await browser?.close();
    await stopProcess(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
