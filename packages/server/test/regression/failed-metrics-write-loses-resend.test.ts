import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGGREGATION_TEMPORALITY,
  exportMetrics,
  metricsRequest,
  storedIncrease,
  tokenSum,
} from '../helpers/metrics-ingest-json.ts';
import { COMMIT_OUT_OF_MEMORY, interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The cumulative converter kept the state of a point before its write committed. When the
// COMMIT failed, Foghorn responded with 503 and the exporter resent the point, which then
// converted to an increase of 0, so the increase was lost. A resent delta point must
// likewise count after a failed write, also when it arrives before the failure.

const { delta: DELTA, cumulative: CUMULATIVE } = AGGREGATION_TEMPORALITY;

/** DuckDB 1.5's error when a COMMIT is durable but the automatic checkpoint after it failed. */
const DURABLE_COMMIT =
  'IO Error: Transaction COMMIT succeeded and is durable, but the autocheckpoint failed. ' +
  'Detach and reattach the database to recover. Checkpoint failed for database "foghorn". ' +
  'The database has been invalidated. Original error: Could not write file "foghorn.duckdb": ' +
  'File too large';

describe('metrics resend after a failed write', () => {
  let server: TestServer;
  let fromMs: number;
  let startMs: number;

  beforeEach(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    startMs = Date.now();
  });
  afterEach(async () => {
    await server.stop();
  });

  function send(temporality: number, model: string, timeMs: number, value: number) {
    const body = metricsRequest([tokenSum(model, temporality, [{ startMs, timeMs, value }])]);
    return exportMetrics(server.otlpUrl, body);
  }

  /** Makes the next COMMIT of the metrics connection fail; with `durable`, after it stored its data. */
  function failNextCommit(durable: boolean): void {
    let failed = false;
    interceptDuckDbRun(server.store, 'signals', async (sql, run) => {
      if (failed || sql !== 'COMMIT') return run();
      failed = true;
      if (!durable) throw new Error(COMMIT_OUT_OF_MEMORY);
      await run();
      throw new Error(DURABLE_COMMIT);
    });
  }

  it('counts a cumulative point resent after 503', async () => {
    expect((await send(CUMULATIVE, 'cumulative', startMs + 1000, 100)).status).toBe(200);
    failNextCommit(false);

    expect((await send(CUMULATIVE, 'cumulative', startMs + 2000, 150)).status).toBe(503);
    expect((await send(CUMULATIVE, 'cumulative', startMs + 2000, 150)).status).toBe(200);

    expect(await storedIncrease(server.store, 'cumulative', fromMs)).toBe(150);
  });

  it('counts a delta point resent after 503', async () => {
    failNextCommit(false);

    expect((await send(DELTA, 'delta', startMs + 1000, 40)).status).toBe(503);
    expect((await send(DELTA, 'delta', startMs + 1000, 40)).status).toBe(200);

    expect(await storedIncrease(server.store, 'delta', fromMs)).toBe(40);
  });

  it('counts a delta point resent during a failing write', async () => {
    // The exporter times out while the first COMMIT waits, and resends before it fails.
    let releaseCommit!: () => void;
    const commitReached = new Promise<void>((reached) => {
      let failed = false;
      interceptDuckDbRun(server.store, 'signals', async (sql, run) => {
        if (failed || sql !== 'COMMIT') return run();
        failed = true;
        reached();
        await new Promise<void>((release) => (releaseCommit = release));
        throw new Error(COMMIT_OUT_OF_MEMORY);
      });
    });

    const first = send(DELTA, 'in-flight', startMs + 1000, 7);
    await commitReached;
    const resent = send(DELTA, 'in-flight', startMs + 1000, 7);
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseCommit();

    expect((await first).status).toBe(503);
    expect((await resent).status).toBe(200);
    expect(await storedIncrease(server.store, 'in-flight', fromMs)).toBe(7);
  });

  it('keeps the state of a durable commit', async () => {
    // DuckDB stored the points although the COMMIT reported an error, and Foghorn responded with
    // 200, so a later point continues from 150.
    expect((await send(CUMULATIVE, 'durable', startMs + 1000, 100)).status).toBe(200);
    failNextCommit(true);

    expect((await send(CUMULATIVE, 'durable', startMs + 2000, 150)).status).toBe(200);
    expect((await send(CUMULATIVE, 'durable', startMs + 3000, 180)).status).toBe(200);

    expect(await storedIncrease(server.store, 'durable', fromMs)).toBe(180);
  });
});
