import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SimulatedClock,
  removeDataDir,
  startAlarmServer,
  type AlarmServer,
} from '../alerts/helpers/alarm-server.ts';
import { exportCalls, type SimCall } from '../alerts/helpers/sim-traffic.ts';

const START_MS = Date.UTC(2026, 10, 9, 12);
const clock = new SimulatedClock(START_MS + 3_600_000);
let server: AlarmServer;
const calls: SimCall[] = [];

function call(model: string, startMs: number): SimCall {
  return {
    startMs,
    durationMs: 900,
    service: 'support-bot',
    provider: 'openai',
    model,
    tenant: 'acme',
    feature: 'chat',
    inputTokens: 10,
    outputTokens: 5,
    errorType: null,
    ttftMs: null,
  };
}

const post = (body: unknown): Promise<{ status: number; body: any }> =>
  server.json('/api/v1/scores', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  server = await startAlarmServer(clock, {});
  calls.push(
    call('gpt-4o', START_MS),
    call('gpt-4o', START_MS + 60_000),
    call('claude-sonnet-4', START_MS + 120_000),
  );
  await exportCalls(server.otlpUrl, calls);
});

afterAll(async () => {
  await server?.close();
  if (server) removeDataDir(server.dataDir);
});

describe('scores API', () => {
  it('summarizes scores by the model of the scored trace', async () => {
    const created = await post({
      scores: [
        {
          id: 's1',
          traceId: calls[0]!.traceId,
          name: 'helpfulness',
          value: 0.9,
          timestamp: START_MS + 1000,
        },
        {
          id: 's2',
          traceId: calls[1]!.traceId,
          name: 'helpfulness',
          value: 0.5,
          timestamp: START_MS + 61_000,
        },
        {
          id: 's3',
          traceId: calls[2]!.traceId,
          name: 'helpfulness',
          value: 0.2,
          timestamp: START_MS + 121_000,
        },
        {
          id: 's4',
          traceId: calls[2]!.traceId,
          name: 'verdict',
          value: 'bad',
          timestamp: START_MS + 121_000,
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.ids).toEqual(['s1', 's2', 's3', 's4']);

    const summary = await server.json(
      `/api/v1/scores/summary?from=${START_MS}&to=${START_MS + 3_600_000}&groupBy=model&name=helpfulness`,
    );
    expect(summary.status).toBe(200);
    const byModel = Object.fromEntries(summary.body.groups.map((group: any) => [group.key, group]));
    expect(byModel['gpt-4o'].count).toBe(2);
    expect(byModel['gpt-4o'].mean).toBeCloseTo(0.7, 10);
    expect(byModel['claude-sonnet-4'].mean).toBeCloseTo(0.2, 10);
  });

  it('replaces a score posted again with its id', async () => {
    await post({
      id: 's1',
      traceId: calls[0]!.traceId,
      name: 'helpfulness',
      value: 0.1,
      timestamp: START_MS + 1000,
    });
    const summary = await server.json(
      `/api/v1/scores/summary?from=${START_MS}&to=${START_MS + 3_600_000}&groupBy=model&name=helpfulness&model=gpt-4o`,
    );
    expect(summary.body.groups).toHaveLength(1);
    expect(summary.body.groups[0].count).toBe(2);
    expect(summary.body.groups[0].mean).toBeCloseTo(0.3, 10);
  });

  it('counts categorical values', async () => {
    const summary = await server.json(
      `/api/v1/scores/summary?from=${START_MS}&to=${START_MS + 3_600_000}&name=verdict`,
    );
    expect(summary.body.groups).toEqual([
      expect.objectContaining({ key: null, name: 'verdict', count: 1, categories: { bad: 1 } }),
    ]);
  });

  it('rejects a score without a trace or span', async () => {
    const response = await post({ name: 'helpfulness', value: 0.5 });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      'score field "traceId" is invalid: a score needs traceId, spanId or both',
    );
  });
});
