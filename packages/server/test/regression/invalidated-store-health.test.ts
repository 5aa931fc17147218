import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// When a checkpoint fails, for example on a full disk, DuckDB invalidates the attached store
// file and rejects every later write until the process restarts. /healthz returned ok all
// the while, so no supervisor restarted the server and every export failed. Spans already
// acknowledged wait in the ingest log and load at the restart.

/** DuckDB 1.5's error once a failed checkpoint has invalidated the attached store file. */
const INVALIDATED =
  'IO Error: Database "foghorn" has been invalidated because checkpointing failed. ' +
  'Detach and reattach it before using it again. Original error: Could not write file ' +
  '"foghorn.duckdb": No space left on device';

/** DuckDB 1.5's error when a COMMIT is durable but the automatic checkpoint after it failed. */
const DURABLE_COMMIT =
  'IO Error: Transaction COMMIT succeeded and is durable, but the autocheckpoint failed. ' +
  'Detach and reattach the database to recover. Checkpoint failed for database "foghorn". ' +
  'The database has been invalidated. Original error: Could not write file "foghorn.duckdb": ' +
  'File too large';

function spanBody(spanId: string): string {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: 'd15c0000000000000000000000000001',
                spanId,
                name: 'chat gpt-4o',
                startTimeUnixNano: `${nowNs}`,
                endTimeUnixNano: `${nowNs + 1_000_000n}`,
              },
            ],
          },
        ],
      },
    ],
  });
}

/** Makes the next COMMIT on `connection` run, then fail as DuckDB reports a durable commit whose checkpoint failed. */
function reportDurableCommitOnce(server: TestServer, connection: 'writer' | 'signals'): void {
  let failed = false;
  interceptDuckDbRun(server.store, connection, async (sql, run) => {
    const result = await run();
    if (!failed && sql === 'COMMIT') {
      failed = true;
      throw new Error(DURABLE_COMMIT);
    }
    return result;
  });
}

describe('invalidated store', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  async function postSpan(spanId: string): Promise<number> {
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: spanBody(spanId),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('healthz reports 503 with reason', async () => {
    expect(await postSpan('0000000000000001')).toBe(200);
    expect(await server.store.countSpans()).toBe(1);
    expect((await server.getJson('/healthz')).status).toBe(200);

    interceptDuckDbRun(server.store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') throw new Error(INVALIDATED);
      return run();
    });
    // Acknowledged from the ingest log; the load into DuckDB fails when a reader asks for it.
    expect(await postSpan('0000000000000002')).toBe(200);
    expect(await server.store.countSpans()).toBe(1);

    const health = await server.getJson('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('unavailable');
    expect(health.body.reason).toContain('has been invalidated because checkpointing failed');
    expect(health.body.reason).toContain('Free disk space, then restart Foghorn.');
    expect(await postSpan('0000000000000003')).toBe(503);
  });

  it('restart loads logged spans', async () => {
    interceptDuckDbRun(server.store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') throw new Error(INVALIDATED);
      return run();
    });
    expect(await postSpan('0000000000000001')).toBe(200);
    expect(await server.store.countSpans()).toBe(0);
    expect(await postSpan('0000000000000002')).toBe(503);
    await server.close();

    const restarted = await startTestServer({ dataDir: server.dataDir });
    try {
      const spans = await restarted.store.getTrace('default', 'd15c0000000000000000000000000001');
      expect(spans.map((span) => span.spanId)).toEqual(['0000000000000001']);
      expect((await restarted.getJson('/healthz')).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('durable commit is acknowledged once', async () => {
    reportDurableCommitOnce(server, 'writer');

    expect(await postSpan('0000000000000005')).toBe(200);

    const spans = await server.store.getTrace('default', 'd15c0000000000000000000000000001');
    expect(spans.map((span) => span.spanId)).toEqual(['0000000000000005']);
    const health = await server.getJson('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.reason).toContain('COMMIT succeeded and is durable');
  });

  it('durable metrics commit is acknowledged', async () => {
    reportDurableCommitOnce(server, 'signals');
    const timeNs = `${BigInt(Date.now()) * 1_000_000n}`;
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'queue.depth',
                  gauge: { dataPoints: [{ timeUnixNano: timeNs, asDouble: 3 }] },
                },
              ],
            },
          ],
        },
      ],
    };

    const response = await fetch(`${server.otlpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    expect(response.status).toBe(200);
    expect(await server.store.countMetricPoints()).toBe(1);
    expect((await server.getJson('/healthz')).status).toBe(503);
  });

  it('other write errors keep healthz ok', async () => {
    let failed = false;
    interceptDuckDbRun(server.store, 'writer', async (sql, run) => {
      if (!failed && sql === 'COMMIT') {
        failed = true;
        throw new Error('Constraint Error: a transient failure');
      }
      return run();
    });

    expect(await postSpan('0000000000000003')).toBe(200);
    // The failed load rolled back and loaded the span again from the ingest log.
    const spans = await server.store.getTrace('default', 'd15c0000000000000000000000000001');
    expect(failed).toBe(true);
    expect(spans.map((span) => span.spanId)).toEqual(['0000000000000003']);
    expect((await server.getJson('/healthz')).status).toBe(200);
    expect(await postSpan('0000000000000004')).toBe(200);
  });
});
