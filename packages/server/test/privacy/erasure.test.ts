import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPseudonymizer } from '@foghorn/redact';
import { main } from '../../src/cli/main.ts';
import type { FoghornHandle } from '../../src/foghorn.ts';
import { emitLogs, emitTraces, postGaugePoints, postScore } from './signal-emitters.ts';
import { startOnDataDir } from './start-server.ts';

const SECRET = 'erasure-test-pseudonym-secret-0123456789';
const pseudonymize = (id: string): string => createPseudonymizer(SECRET).pseudonymize(id);
const USERS = { victim: 'erase-me-0042', kept: 'keep-me-0007', third: 'third-user-0099' } as const;
const VICTIM_TEXT = [
  'umbrella victim conversation one',
  'umbrella victim conversation two',
  'victim trace log',
  'victim user log',
];

async function getJson(
  server: FoghornHandle,
  path: string,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: await response.json() };
}

function fileLeaks(dataDir: string): string[] {
  const files = readdirSync(dataDir).filter((name) => name.includes('.duckdb'));
  const bytes = Buffer.concat(files.map((name) => readFileSync(join(dataDir, name))));
  // The pseudonym stays in the erasure log by design, so only the user's content is searched for.
  return VICTIM_TEXT.filter((text) => bytes.includes(text));
}

async function readErasureLog(dataDir: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(join(dataDir, 'foghorn.duckdb'));
  try {
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      'SELECT * FROM erasure_log ORDER BY requested_at_ms, requested_by',
    );
    connection.closeSync();
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    instance.closeSync();
  }
}

describe('user erasure', () => {
  let dataDir: string;
  let server: FoghornHandle;
  const nowMs = Date.now();
  let traces: Record<'victimOne' | 'victimTwo' | 'kept' | 'third', string>;
  let apiResponse: { status: number; body: any };
  let cliOutput = '';
  let cliExitCode = -1;
  const after: Record<string, { status: number; body: any }> = {};
  let metricUsers: unknown[] = [];
  let erasureLog: Record<string, unknown>[] = [];
  let leaksAfterCheckpoint: string[] = [];
  let leaksAfterCompaction: string[] = [];

  beforeAll(async () => {
    process.env.FOGHORN_PSEUDONYM_SECRET = SECRET;
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-erasure-'));
    server = await startOnDataDir(dataDir);
    const [victimOne, victimTwo, kept, third] = await emitTraces(server.otlpUrl, [
      { userId: USERS.victim, startMs: nowMs - 120_000, content: VICTIM_TEXT[0]! },
      { userId: USERS.victim, startMs: nowMs - 90_000, content: VICTIM_TEXT[1]! },
      { userId: USERS.kept, startMs: nowMs - 80_000, content: 'kept conversation about kites' },
      { userId: USERS.third, startMs: nowMs - 70_000, content: 'third conversation about boats' },
    ]);
    traces = { victimOne: victimOne!, victimTwo: victimTwo!, kept: kept!, third: third! };
    await emitLogs(server.otlpUrl, [
      { timeMs: nowMs - 110_000, body: VICTIM_TEXT[2]!, traceId: traces.victimOne },
      { timeMs: nowMs - 100_000, body: VICTIM_TEXT[3]!, userId: USERS.victim },
      { timeMs: nowMs - 75_000, body: 'kept trace log', traceId: traces.kept },
    ]);
    await postGaugePoints(server.otlpUrl, [
      { timeMs: nowMs - 60_000, userId: USERS.victim, value: 1 },
      { timeMs: nowMs - 60_000, userId: USERS.kept, value: 2 },
    ]);
    await postScore(server.url, traces.victimOne, nowMs - 50_000);
    await postScore(server.url, traces.kept, nowMs - 50_000);

    const response = await fetch(`${server.url}/api/v1/privacy/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: USERS.victim, requestedBy: 'dpo@example.test' }),
    });
    apiResponse = { status: response.status, body: await response.json() };
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      cliOutput += String(chunk);
      return true;
    });
    try {
      cliExitCode = await main([
        'erase-user',
        '--user',
        pseudonymize(USERS.third),
        '--url',
        server.url,
        '--requested-by',
        'cli-test',
      ]);
    } finally {
      write.mockRestore();
    }

    for (const [name, traceId] of Object.entries(traces))
      after[name] = await getJson(server, `/api/v1/traces/${traceId}`);
    after.scores = await getJson(
      server,
      `/api/v1/scores/summary?from=${nowMs - 3_600_000}&to=${nowMs + 60_000}`,
    );
    const points = await server.store.metricPoints(
      { projectId: 'default', fromUnixMs: nowMs - 3_600_000, toUnixMs: nowMs + 60_000 },
      ['gen_ai.client.active_requests'],
      {},
    );
    metricUsers = points.map((point) => point.attributes['user.id']);
    await server.close();
    erasureLog = await readErasureLog(dataDir);
    leaksAfterCheckpoint = fileLeaks(dataDir);
    const compacting = await startOnDataDir(dataDir, true);
    await compacting.close();
    leaksAfterCompaction = fileLeaks(dataDir);
    console.log(
      `victim values in the file after checkpoint: ${leaksAfterCheckpoint.length}, after compaction: ${leaksAfterCompaction.length}`,
    );
  }, 120_000);
  afterAll(() => {
    delete process.env.FOGHORN_PSEUDONYM_SECRET;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports exact counts per table for a raw id', () => {
    expect(apiResponse.status).toBe(200);
    expect(apiResponse.body.counts).toEqual({
      spans: 4,
      logRecords: 2,
      metricPoints: 1,
      scores: 1,
    });
    expect(apiResponse.body.user).toBe(pseudonymize(USERS.victim));
    expect(apiResponse.body.requestedBy).toBe('dpo@example.test');
  });

  it('erases through the CLI with a pseudonymized id', () => {
    expect(cliExitCode).toBe(0);
    expect(cliOutput).toMatch(/^erasure [0-9a-f-]{36}: rows deleted per table\n/);
    expect(cliOutput).toContain('  spans          2\n');
    expect(cliOutput).toContain('  logRecords     0\n');
  });

  it('removes the erased traces from the trace API', () => {
    expect(after.victimOne!.status).toBe(404);
    expect(after.victimTwo!.status).toBe(404);
    expect(after.third!.status).toBe(404);
  });

  it('leaves the other user untouched', () => {
    expect(after.kept!.status).toBe(200);
    const text = JSON.stringify(after.kept!.body);
    expect(text).toContain('kept conversation about kites');
    expect(text).toContain('kept trace log');
    expect(after.kept!.body.spans).toHaveLength(2);
  });

  it('deletes the metric points and scores of the user', () => {
    expect(metricUsers).toEqual([pseudonymize(USERS.kept)]);
    expect(after.scores!.body.groups.map((group: any) => group.count)).toEqual([1]);
  });

  it('records each erasure without the raw id', () => {
    expect(erasureLog).toHaveLength(2);
    expect(erasureLog[0]).toMatchObject({
      requested_by: 'dpo@example.test',
      user_pseudonym: pseudonymize(USERS.victim),
      spans: '4',
      log_records: '2',
      metric_points: '1',
      scores: '1',
    });
    expect(erasureLog[1]).toMatchObject({
      requested_by: 'cli-test',
      user_pseudonym: pseudonymize(USERS.third),
      spans: '2',
    });
    expect(JSON.stringify(erasureLog)).not.toContain(USERS.victim);
  });

  it('leaves no value of the user in the file after compaction', () => {
    expect(leaksAfterCompaction).toEqual([]);
  });
});
