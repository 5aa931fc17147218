import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionCounts } from '../../src/retention/retention-types.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DAY_MS, emitLogs, emitTraces, postGaugePoints, postScore } from './signal-emitters.ts';

const RETENTION_YAML = `
ttl:
  spans: 30d
  content: 1d
  metrics: 30d
  logs: 30d
  scores: 30d
intervalMs: 3600000
`;

describe('retention', () => {
  let server: TestServer;
  let dataDir: string;
  const nowMs = Date.now();
  let traceIds: { expired: string; contentExpired: string; fresh: string };
  let firstRun: RetentionCounts;
  let secondRun: RetentionCounts;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-retention-'));
    writeFileSync(join(dataDir, 'retention.yaml'), RETENTION_YAML);
    server = await startTestServer({ dataDir });
    const [expired, contentExpired, fresh] = await emitTraces(server.otlpUrl, [
      { userId: 'u-old', startMs: nowMs - 40 * DAY_MS, content: 'forty days old question' },
      { userId: 'u-mid', startMs: nowMs - 3 * DAY_MS, content: 'three days old question' },
      { userId: 'u-new', startMs: nowMs - 60_000, content: 'fresh question' },
    ]);
    traceIds = { expired: expired!, contentExpired: contentExpired!, fresh: fresh! };
    await emitLogs(server.otlpUrl, [
      { timeMs: nowMs - 40 * DAY_MS, body: 'old log body', traceId: traceIds.expired },
      { timeMs: nowMs - 3 * DAY_MS, body: 'three day log body', traceId: traceIds.contentExpired },
      { timeMs: nowMs - 60_000, body: 'fresh log body', traceId: traceIds.fresh },
    ]);
    await postGaugePoints(server.otlpUrl, [
      { timeMs: nowMs - 40 * DAY_MS, userId: 'u-old', value: 1 },
      { timeMs: nowMs - 60_000, userId: 'u-new', value: 2 },
    ]);
    await postScore(server.url, traceIds.expired, nowMs - 40 * DAY_MS);
    await postScore(server.url, traceIds.fresh, nowMs - 60_000);
    firstRun = await server.retention.runOnce();
    secondRun = await server.retention.runOnce();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('reports the rows changed per table', () => {
    expect(firstRun).toEqual({
      spansDeleted: 2,
      logRecordsDeleted: 1,
      metricPointsDeleted: 1,
      scoresDeleted: 1,
      spansContentBlanked: 2,
      logBodiesBlanked: 1,
    });
  });

  it('changes nothing on a second run', () => {
    expect(Object.values(secondRun).every((count) => count === 0)).toBe(true);
  });

  it('removes expired traces from the trace API', async () => {
    expect((await server.getJson(`/api/v1/traces/${traceIds.expired}`)).status).toBe(404);
  });

  it('blanks content at the content TTL and keeps the metadata', async () => {
    const { status, body } = await server.getJson(`/api/v1/traces/${traceIds.contentExpired}`);
    expect(status).toBe(200);
    const chat = body.spans.find((span: any) => span.name === 'chat gpt-4o');
    expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(chat.attributes['foghorn.content_expired']).toBe(true);
    expect(chat.model).toBe('gpt-4o');
    expect(chat.usage.inputTokens).toBe(120);
    const log = body.spans.flatMap((span: any) => span.logs).concat(body.logs ?? [])[0];
    expect(log.body).toBeNull();
  });

  it('keeps fresh content', async () => {
    const text = JSON.stringify((await server.getJson(`/api/v1/traces/${traceIds.fresh}`)).body);
    expect(text).toContain('fresh question');
    expect(text).toContain('fresh log body');
  });

  it('deletes expired metric points and scores', async () => {
    const points = await server.store.metricPoints(
      { projectId: 'default', fromUnixMs: nowMs - 60 * DAY_MS, toUnixMs: nowMs + 60_000 },
      ['gen_ai.client.active_requests'],
      {},
    );
    expect(points.map((point) => point.value)).toEqual([2]);
    const window = `from=${nowMs - 60 * DAY_MS}&to=${nowMs + 60_000}`;
    const scores = (await server.getJson(`/api/v1/scores/summary?${window}`)).body;
    expect(scores.groups.map((group: any) => [group.name, group.count])).toEqual([
      ['helpfulness', 1],
    ]);
  });
});
