import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeaseElector } from '../../src/leader/lease-elector.ts';
import { openChdbDriver } from '../../src/store/clickhouse/chdb-driver.ts';
import type { ClickHouseDriver } from '../../src/store/clickhouse/driver.ts';
import { openLeaseTable } from '../../src/store/clickhouse/lease-table.ts';
import { migrateSchema } from '../../src/store/clickhouse/migrations.ts';

const LAYOUT = { database: 'lease_test', cluster: null };
const TTL_MS = 1_500;
const RENEW_INTERVAL_MS = 300;
const SAMPLE_INTERVAL_MS = 20;
const MAX_SAMPLES = 1_000;

type Elector = ReturnType<typeof createLeaseElector>;

let dir: string;
const drivers: ClickHouseDriver[] = [];

function elector(holderId: string): Elector {
  // Each elector has its own driver (store handle); chdb shares one session per directory.
  const driver = openChdbDriver(dir);
  drivers.push(driver);
  return createLeaseElector({
    table: openLeaseTable(driver, LAYOUT),
    name: 'jobs',
    holderId,
    ttlMs: TTL_MS,
    renewIntervalMs: RENEW_INTERVAL_MS,
    logger: pino({ level: 'silent' }),
  });
}

/** Samples both electors until `done` returns true or MAX_SAMPLES pass, and returns the samples. */
async function sampleUntil(
  pair: readonly Elector[],
  done: (leaders: boolean[]) => boolean,
): Promise<boolean[][]> {
  const samples: boolean[][] = [];
  for (let index = 0; index < MAX_SAMPLES; index++) {
    const leaders = pair.map((one) => one.isLeader());
    samples.push(leaders);
    if (done(leaders)) break;
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
  }
  return samples;
}

const bothLead = (leaders: boolean[]): boolean => leaders.every(Boolean);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'foghorn-lease-'));
  const setup = openChdbDriver(dir);
  await migrateSchema(setup, LAYOUT, { ttlDays: null });
  await setup.close();
}, 60_000);

afterAll(async () => {
  for (const driver of drivers) await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('leader lease on chdb', () => {
  it('elects one leader and fails over', async () => {
    const first = elector('node-a');
    const second = elector('node-b');
    await Promise.all([first.start(), second.start()]);

    // Both hold and renew for a while: exactly one leads at every sample.
    let renewals = 0;
    const steady = await sampleUntil([first, second], () => ++renewals >= 50);
    expect(steady.filter(bothLead)).toEqual([]);
    expect(steady.at(-1)!.filter(Boolean)).toHaveLength(1);

    const [leader, follower] = first.isLeader() ? [first, second] : [second, first];
    await leader.stop();
    expect(leader.isLeader()).toBe(false);

    const failover = await sampleUntil([first, second], () => follower.isLeader());
    expect(failover.filter(bothLead)).toEqual([]);
    expect(follower.isLeader()).toBe(true);
    await follower.stop();
  }, 60_000);

  it('lets one of two racing claims win a term', async () => {
    const table = openLeaseTable(drivers[0]!, LAYOUT);
    const before = await table.read('race');
    await Promise.all([
      table.write('race', 'node-x', before.term + 1, TTL_MS, 'claim'),
      table.write('race', 'node-y', before.term + 1, TTL_MS, 'claim'),
    ]);
    const after = await table.read('race');
    expect(after.term).toBe(before.term + 1);
    expect(after.holder).toBe('node-x');
    // A renewal of an older term never replaces a newer term.
    await table.write('race', 'node-y', before.term, TTL_MS * 10, 'renew');
    const renewed = await table.read('race');
    expect(renewed.holder).toBe('node-x');
    expect(renewed.term).toBe(before.term + 1);
  }, 30_000);
});
