import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { openChdbDriver } from '../../src/store/clickhouse/chdb-driver.ts';
import { openClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.ts';
import type { ClickHouseDriver } from '../../src/store/clickhouse/driver.ts';
import type { Store } from '../../src/store/store.ts';
import { makeSpan } from '../api/span-factory.ts';

// Children stored before their root wait for it. When the root arrives, a lightweight UPDATE
// gives them its tenant and their rollups are refreshed, both after the insert. When either
// failed, the traces had already left the waiting list, so the children kept a null tenant.

const LAYOUT = { database: 'fill_retry', cluster: null };
const START_MS = Date.now() - 60_000;
const ROOT_SPAN_ID = 'f000000000000001';
const TRACE_IDS = ['c1' + '0'.repeat(29) + '1', 'c1' + '0'.repeat(29) + '2'];

function span(traceId: string, spanId: string, fields: Partial<CanonicalSpan> = {}): CanonicalSpan {
  return {
    ...makeSpan({ traceId, spanId, startMs: START_MS, durationMs: 500, model: 'gpt-4o' }),
    ...fields,
  };
}

/** Makes the next query of the span writer's driver that starts with `prefix` fail once. */
function failNext(store: Store, method: 'command' | 'query', prefix: string): void {
  const driver = (store as unknown as { writer: { driver: ClickHouseDriver } }).writer.driver;
  const original = driver[method].bind(driver) as (sql: string, params?: unknown) => unknown;
  let failed = false;
  (driver as unknown as Record<string, unknown>)[method] = async (
    sql: string,
    params?: unknown,
  ) => {
    if (!failed && sql.trimStart().startsWith(prefix)) {
      failed = true;
      throw new Error(`injected failure of ${prefix}`);
    }
    return original(sql, params);
  };
}

describe('ClickHouse fill of waiting children', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-fill-retry-'));
  let store: Store;

  beforeAll(async () => {
    store = await openClickHouseStore(openChdbDriver(dir), { layout: LAYOUT });
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Stores children, fails their roots' fill once, and checks that a later insert fills them. */
  async function checkRetriedFill(traceIds: readonly string[], inject: () => void): Promise<void> {
    await store.writeSpans(
      traceIds.map((traceId, index) =>
        span(traceId, `000000000000000${index + 1}`, { parentSpanId: ROOT_SPAN_ID }),
      ),
    );

    inject();
    const roots = traceIds.map((traceId) => span(traceId, ROOT_SPAN_ID, { tenant: 'acme' }));
    await expect(store.writeSpans(roots)).rejects.toThrow('injected failure');
    // Any later insert gives the failed fill another chance.
    await store.writeSpans([span(`${traceIds[0]!.slice(0, 30)}ff`, '00000000000000ff')]);

    for (const [index, traceId] of traceIds.entries()) {
      const stored = await store.getTrace('default', traceId);
      expect(stored.map((item) => [item.spanId, item.tenant]).sort()).toEqual([
        [`000000000000000${index + 1}`, 'acme'],
        [ROOT_SPAN_ID, 'acme'],
      ]);
    }
  }

  async function requestsByTenant(): Promise<Record<string, number>> {
    const groups = await store.summary(
      {
        projectId: 'default',
        fromUnixMs: START_MS - 3_600_000,
        toUnixMs: START_MS + 3_600_000,
        filters: {},
      },
      'tenant',
    );
    return Object.fromEntries(groups.map((group) => [group.key, group.requests]));
  }

  it('failed UPDATE retried next insert', async () => {
    await checkRetriedFill(TRACE_IDS, () => failNext(store, 'command', 'UPDATE'));
    expect(await requestsByTenant()).toEqual({ acme: 4, null: 1 });
  });

  it('failed rollup refresh retried next insert', async () => {
    const traceIds = ['c2' + '0'.repeat(29) + '1', 'c2' + '0'.repeat(29) + '2'];
    await checkRetriedFill(traceIds, () => failNext(store, 'query', 'SELECT DISTINCT toString'));
    expect(await requestsByTenant()).toEqual({ acme: 8, null: 2 });
  });
});
