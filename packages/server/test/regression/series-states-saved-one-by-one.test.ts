import { afterAll, describe, expect, it } from 'vitest';
import {
  AGGREGATION_TEMPORALITY,
  TOKENS_METRIC,
  exportMetrics,
  keyValues,
  metricsRequest,
  nanos,
  storedIncrease,
} from '../helpers/metrics-ingest-json.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The DuckDB store saved the state of each cumulative series touched by a request with its
// own INSERT statement. On 2 AMD EPYC cores an export of 2000 series took about 5 s instead
// of 0.1 s as delta, and every metrics and logs request behind it waited. The states are now
// saved with one statement in the same transaction as the points.

/** The default cardinality limit per instrument of @opentelemetry/sdk-metrics 2.12.1. */
const SERIES = 2000;

function manySeries(startMs: number, timeMs: number, value: number): unknown {
  const dataPoints = Array.from({ length: SERIES }, (_, index) => ({
    attributes: keyValues({ 'gen_ai.request.model': 'many', 'user.id': `user-${index}` }),
    startTimeUnixNano: nanos(startMs),
    timeUnixNano: nanos(timeMs),
    asDouble: value,
  }));
  return metricsRequest([
    {
      name: TOKENS_METRIC,
      sum: {
        aggregationTemporality: AGGREGATION_TEMPORALITY.cumulative,
        isMonotonic: true,
        dataPoints,
      },
    },
  ]);
}

describe('series states of a large cumulative export', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    // The restarted server reuses the first one's data directory, so stop it first.
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
  });

  it('are saved with one statement and restored', async () => {
    const fromMs = Date.now() - 60_000;
    const first = await startTestServer();
    servers.push(first);
    // The series start after Foghorn did, so their first points count in full.
    const startMs = Date.now();
    const statements: string[] = [];
    interceptDuckDbRun(first.store, 'signals', (sql, run) => {
      statements.push(sql);
      return run();
    });

    const response = await exportMetrics(first.otlpUrl, manySeries(startMs, startMs + 1000, 10));

    expect(response.status).toBe(200);
    expect(statements.filter((sql) => sql.includes('metric_series_states'))).toHaveLength(1);
    expect(await storedIncrease(first.store, 'many', fromMs)).toBe(SERIES * 10);

    // A restart restores the saved states, so the next export adds 5 per series.
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir });
    servers.push(second);
    const next = await exportMetrics(second.otlpUrl, manySeries(startMs, startMs + 2000, 15));
    expect(next.status).toBe(200);
    expect(await storedIncrease(second.store, 'many', fromMs)).toBe(SERIES * 15);
  });
});
