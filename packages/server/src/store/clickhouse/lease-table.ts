import { randomUUID } from 'node:crypto';
import type { ClickHouseDriver } from './driver.ts';
import { localTableName, onCluster, type ClickHouseLayout } from './layout.ts';
import { Params } from './sql.ts';
import { num, str } from './values.ts';

/** Inserts remembered per table for deduplication; a racing insert for a term arrives well within them. */
const DEDUPLICATION_WINDOW = 1_000;

/**
 * DDL of `leader_lease`: one row per lease and version, the newest by (term, expiry) wins.
 * Two nodes claiming the same term insert with the same deduplication token, so ClickHouse
 * stores only the first claim. With a cluster the table is one replicated table that every
 * node shares (no `{shard}` in its path), never a Distributed one.
 */
export function leaseTableSql(layout: ClickHouseLayout): string[] {
  const table = localTableName(layout, 'leader_lease');
  const engine =
    layout.cluster === null
      ? 'ReplacingMergeTree(version)'
      : `ReplicatedReplacingMergeTree('/clickhouse/tables/leader/${layout.database}/leader_lease', '{replica}', version)`;
  return [
    `CREATE TABLE IF NOT EXISTS ${table}${onCluster(layout)} (
  name String, holder String, term UInt64, expires_at DateTime64(3, 'UTC'), version UInt128)
ENGINE = ${engine}
ORDER BY name
SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}`,
  ];
}

/** Newest row of a lease as ClickHouse returns it, with the server's clock at the read. */
export interface LeaseState {
  /** Empty when no node has held the lease yet. */
  holder: string;
  /** 0 when no node has held the lease yet. */
  term: number;
  expiresAtUnixMs: number;
  serverNowUnixMs: number;
}

/** Reads and writes lease rows; expiry times come from the ClickHouse server's clock. */
export interface LeaseTable {
  read(name: string): Promise<LeaseState>;
  /** Inserts a row expiring `ttlMs` after the server's now; a claim of a term taken already is dropped. */
  write(
    name: string,
    holder: string,
    term: number,
    ttlMs: number,
    kind: 'claim' | 'renew',
  ): Promise<void>;
}

/** The settings that make a read see every acknowledged insert of the replicated lease table. */
function consistency(layout: ClickHouseLayout, kind: 'read' | 'write'): string {
  if (layout.cluster === null) return '';
  return kind === 'read'
    ? '\nSETTINGS select_sequential_consistency = 1'
    : ", insert_quorum = 'auto'";
}

/** Opens the lease table of a ClickHouse layout; the table is created by the migrations. */
export function openLeaseTable(driver: ClickHouseDriver, layout: ClickHouseLayout): LeaseTable {
  const table = localTableName(layout, 'leader_lease');
  return {
    async read(name) {
      const params = new Params();
      const rows = await driver.query(
        `SELECT toUnixTimestamp64Milli(now64(3)) AS server_now_ms, any(holder) AS holder,
           any(term) AS term, toUnixTimestamp64Milli(any(expires_at)) AS expires_ms
         FROM ${table} FINAL WHERE name = ${params.add(name, 'String')}${consistency(layout, 'read')}`,
        params.values,
      );
      const row = rows[0] ?? {};
      return {
        holder: str(row.holder ?? ''),
        term: num(row.term ?? 0),
        expiresAtUnixMs: num(row.expires_ms ?? 0),
        serverNowUnixMs: num(row.server_now_ms),
      };
    },

    async write(name, holder, term, ttlMs, kind) {
      const params = new Params();
      // A claim's token is the term, so only one claim per term is stored; renewals are unique.
      const token = kind === 'claim' ? `${name}:${term}` : `${name}:${term}:${randomUUID()}`;
      const expires = `now64(3) + toIntervalMillisecond(${params.add(String(ttlMs), 'Int64')})`;
      const termSql = params.add(String(term), 'UInt64');
      await driver.command(
        `INSERT INTO ${table} (name, holder, term, expires_at, version)
         SETTINGS insert_deduplicate = 1, insert_deduplication_token = ${params.add(token, 'String')}${consistency(layout, 'write')}
         SELECT ${params.add(name, 'String')}, ${params.add(holder, 'String')}, ${termSql}, ${expires},
           bitShiftLeft(toUInt128(${termSql}), 64) + toUInt128(toUnixTimestamp64Milli(${expires}))`,
        params.values,
      );
    },
  };
}
