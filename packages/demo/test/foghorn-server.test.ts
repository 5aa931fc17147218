import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStats } from '../src/index.ts';
import { startDemo } from '../src/index.ts';

const FOGHORN_BIN = resolve(import.meta.dirname, '../../server/bin/foghorn.mjs');
const BACKFILL_HOURS = 0.2;

interface SummaryGroup {
  key: string | null;
  requests: number;
  errors: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  costUsd: number;
}

let foghorn: ChildProcess;
let foghornOutput = '';
let dataDir: string;
let apiUrl: string;
let stats: DemoStats;
let fromUnixMs: number;
let liveFromUnixMs: number;

/** Returns a port that was free a moment ago; the server binds it right after. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}

async function waitForHealth(url: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    if (foghorn.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`foghorn up did not become healthy at ${url}; its output was:\n${foghornOutput}`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'foghorn-demo-test-'));
  const [port, otlpPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
  foghorn = spawn(
    process.execPath,
    [
      FOGHORN_BIN,
      'up',
      '--port',
      String(port),
      '--otlp-port',
      String(otlpPort),
      '--grpc-port',
      String(grpcPort),
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  foghorn.stdout?.on('data', (chunk: Buffer) => (foghornOutput += chunk.toString()));
  foghorn.stderr?.on('data', (chunk: Buffer) => (foghornOutput += chunk.toString()));
  apiUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(apiUrl);

  fromUnixMs = Date.now() - BACKFILL_HOURS * 3_600_000 - 5 * 60_000;
  const demo = await startDemo({
    otlpEndpoint: `http://127.0.0.1:${otlpPort}`,
    durationMs: 3_000,
    requestsPerSecond: 12,
    backfillHours: BACKFILL_HOURS,
    seed: 1,
    incident: 'quality_drop',
    log: (line) => {
      if (line.includes('live traffic')) liveFromUnixMs = Date.now();
    },
  });
  await demo.finished;
  await demo.stop();
  stats = demo.stats();
}, 90_000);

afterAll(async () => {
  if (foghorn !== undefined && foghorn.exitCode === null) {
    const exited = new Promise((resolveExit) => foghorn.once('exit', resolveExit));
    foghorn.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (foghorn.exitCode === null) foghorn.kill('SIGKILL');
  }
  await rm(dataDir, { recursive: true, force: true });
});

interface ScoreGroup {
  key: string | null;
  name: string;
  count: number;
  mean: number | null;
  categories: Record<string, number>;
}

async function scoresByModel(name: string, from: number, to: number): Promise<ScoreGroup[]> {
  const query = new URLSearchParams({ name, groupBy: 'model', from: String(from), to: String(to) });
  const response = await fetch(`${apiUrl}/api/v1/scores/summary?${query.toString()}`);
  const body = (await response.json()) as { groups: ScoreGroup[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.groups;
}

describe('demo against foghorn up', () => {
  it('has every span accepted', () => {
    expect(stats.spansExported).toBeGreaterThan(0);
    expect(stats.spansFailed, foghornOutput.slice(-2000)).toBe(0);
  });

  it('shows at least three models with requests, cost and latency', async () => {
    const query = new URLSearchParams({
      groupBy: 'model',
      from: String(fromUnixMs),
      to: String(Date.now()),
    });
    const response = await fetch(`${apiUrl}/api/v1/llm/summary?${query.toString()}`);
    const body = (await response.json()) as { groupBy: string; groups: SummaryGroup[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.groupBy).toBe('model');
    const active = body.groups.filter(
      (group) =>
        group.key !== null &&
        group.requests > 0 &&
        group.costUsd > 0 &&
        (group.latencyMs.p50 ?? 0) > 0,
    );
    expect(active.length, JSON.stringify(body.groups)).toBeGreaterThanOrEqual(3);
    const keys = body.groups.map((group) => group.key);
    expect(keys).toContain('gpt-4o-mini');
    expect(keys).toContain('text-embedding-3-small');
  });
});

describe('demo quality scores and the quality drop', () => {
  it('scores healthy history near 0.82 for every chat model', async () => {
    const groups = await scoresByModel('helpfulness', fromUnixMs, liveFromUnixMs - 1);
    expect(groups.length, JSON.stringify(groups)).toBeGreaterThanOrEqual(3);
    for (const group of groups) {
      expect(group.count, JSON.stringify(group)).toBeGreaterThan(0);
      expect(group.mean, JSON.stringify(group)).toBeGreaterThan(0.74);
      expect(group.mean, JSON.stringify(group)).toBeLessThan(0.9);
    }
  });

  it('drops only gpt-4o-mini helpfulness in live traffic', async () => {
    const groups = await scoresByModel('helpfulness', liveFromUnixMs, Date.now());
    const mini = groups.find((group) => group.key === 'gpt-4o-mini');
    const others = groups.filter((group) => group.key !== 'gpt-4o-mini' && group.count >= 3);
    expect(mini?.count ?? 0, JSON.stringify(groups)).toBeGreaterThanOrEqual(3);
    expect(mini?.mean ?? 1, JSON.stringify(mini)).toBeLessThan(0.6);
    expect(others.length, JSON.stringify(groups)).toBeGreaterThanOrEqual(1);
    for (const group of others) expect(group.mean, JSON.stringify(group)).toBeGreaterThan(0.7);
  });

  it('counts bad verdicts of gpt-4o-mini in live traffic', async () => {
    const groups = await scoresByModel('verdict', liveFromUnixMs, Date.now());
    const mini = groups.find((group) => group.key === 'gpt-4o-mini');
    const bad = mini?.categories['bad'] ?? 0;
    expect(bad, JSON.stringify(mini)).toBeGreaterThan((mini?.count ?? 0) / 2);
  });
});
