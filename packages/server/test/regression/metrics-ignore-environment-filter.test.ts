import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA, explicitHistogram, sendMetrics } from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The environment filter was ignored for metrics, so a summary filtered to one environment
// counted the calls of every environment.

describe('environment filter on metrics', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    const timeUnixMs = Date.now();
    const durations = (calls: number) => [
      explicitHistogram('gen_ai.client.operation.duration', 's', DELTA, [
        {
          attributes: { 'gen_ai.request.model': 'env-model' },
          startUnixMs: timeUnixMs - 1000,
          timeUnixMs,
          bounds: [1, 2, 4],
          counts: [0, calls, 0, 0],
        },
      ]),
    ];
    await sendMetrics(server.otlpUrl, durations(3), {
      'service.name': 'env-app',
      'deployment.environment.name': 'prod',
    });
    // The older, deprecated key.
    await sendMetrics(server.otlpUrl, durations(8), {
      'service.name': 'env-app',
      'deployment.environment': 'staging',
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function requests(environment: string): Promise<number | undefined> {
    const { status, body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${Date.now() + 60_000}&environment=${environment}`,
    );
    expect(status).toBe(200);
    return body.groups.find((group: any) => group.key === 'env-model')?.requests;
  }

  it('reads deployment.environment.name', async () => {
    expect(await requests('prod')).toBe(3);
  });

  it('reads deployment.environment', async () => {
    expect(await requests('staging')).toBe(8);
  });

  it('matches no other environment', async () => {
    expect(await requests('dev')).toBeUndefined();
  });
});
