// The ClickHouse mode of the query benchmark (`--store clickhouse`): the same synthetic spans,
// generated in DuckDB and copied through a Parquet file into ClickHouse running in-process
// through chdb, then the same dashboard queries and trace lookups through the ClickHouse store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChdbDriver } from '../../packages/server/src/store/clickhouse/chdb-driver.ts';
import { openClickHouseStore } from '../../packages/server/src/store/clickhouse/clickhouse-store.ts';
import {
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../packages/server/src/store/duckdb/duckdb-store.ts';
import {
  GROUP_BY_VALUES,
  type LlmQuery,
  type Store,
} from '../../packages/server/src/store/store.ts';
import { insertSyntheticSpans, SPANS_PER_TRACE } from './generate-spans.ts';
import { formatMs, measure } from './measure.ts';

const DAY_MS = 86_400_000;
const DATA_DAYS = 30;
const INSERT_CHUNK = 1_000_000;
const TIME_COLUMNS: Readonly<Record<string, string>> = {
  start_time: "fromUnixTimestamp64Nano(start_ns, 'UTC')",
  end_time: "fromUnixTimestamp64Nano(end_ns, 'UTC')",
};

/** Generates the spans in a DuckDB file and writes them to `parquetPath`. */
async function generateParquet(
  dir: string,
  spans: number,
  endMs: number,
  parquetPath: string,
): Promise<void> {
  const store = await openDuckDbStore(join(dir, 'duckdb'));
  const connection = await duckDbInstanceOf(store)!.connect();
  try {
    const startMs = endMs - DATA_DAYS * DAY_MS;
    const spacingNs = BigInt(Math.floor((DATA_DAYS * DAY_MS * 1e6) / spans));
    for (let first = 0; first < spans; first += INSERT_CHUNK) {
      const count = Math.min(INSERT_CHUNK, spans - first);
      await insertSyntheticSpans(connection, first, count, BigInt(startMs) * 1_000_000n, spacingNs);
    }
    await connection.run(`COPY spans TO '${parquetPath}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    await store.close();
  }
}

async function aggregateCases(store: Store, endMs: number, runs: number): Promise<void> {
  for (const [window, windowMs] of [
    ['24 h', DAY_MS],
    ['7 d', 7 * DAY_MS],
  ] as const) {
    const query: LlmQuery = {
      projectId: 'default',
      fromUnixMs: endMs - windowMs,
      toUnixMs: endMs,
      filters: {},
    };
    const stepMs = windowMs === DAY_MS ? 900_000 : 7_200_000;
    const cases: [string, () => Promise<unknown>][] = [
      ...GROUP_BY_VALUES.map((groupBy): [string, () => Promise<unknown>] => [
        `summary by ${groupBy}`,
        () => store.summary(query, groupBy),
      ]),
      ...(['model', 'errorType', 'feature', 'tenant', null] as const).map(
        (groupBy): [string, () => Promise<unknown>] => [
          `timeseries by ${groupBy ?? '(none)'}`,
          () => store.timeseries(query, groupBy, stepMs),
        ],
      ),
    ];
    for (const [name, run] of cases) {
      const timing = await measure(runs, run);
      console.log(
        `| ${name} | ${window} | ${formatMs(timing.p50Ms)} | ${formatMs(timing.p95Ms)} | ${formatMs(timing.p99Ms)} |`,
      );
    }
  }
}

/** Runs the query benchmark against ClickHouse through chdb. */
export async function runClickHouseQueryBench(spans: number, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-query-bench-clickhouse-'));
  const endMs = Math.floor(Date.now() / 60_000) * 60_000;
  const parquetPath = join(dir, 'spans.parquet');
  try {
    await generateParquet(dir, spans, endMs, parquetPath);
    const driver = openChdbDriver(join(dir, 'chdb'));
    const store = await openClickHouseStore(driver, {
      layout: { database: 'bench', cluster: null },
    });
    try {
      const columns = await driver.query(
        "SELECT name FROM system.columns WHERE database = 'bench' AND table = 'spans' ORDER BY position",
      );
      const names = columns.map((row) => String(row.name));
      const startedMs = performance.now();
      await driver.command(
        `INSERT INTO bench.spans (${names.join(', ')})
         SELECT ${names.map((name) => TIME_COLUMNS[name] ?? name).join(', ')} FROM file('${parquetPath}', Parquet)`,
      );
      console.log(
        `loaded ${await store.countSpans()} spans into ClickHouse (chdb) in ${((performance.now() - startedMs) / 1000).toFixed(1)} s, rollups built by the materialized view`,
      );
      console.log('\n| query | window | p50 ms | p95 ms | p99 ms |\n|---|---|---:|---:|---:|');
      await aggregateCases(store, endMs, runs);
      const sampled = await driver.query(
        `SELECT trace_id FROM bench.spans GROUP BY trace_id HAVING count() = ${SPANS_PER_TRACE}
         ORDER BY cityHash64(trace_id) LIMIT ${runs * 5 + 1}`,
      );
      const traceIds = sampled.map((row) => String(row.trace_id));
      const lookup = await measure(traceIds.length - 1, async (run) => {
        const found = await store.getTrace('default', traceIds[run + 1]!);
        if (found.length !== SPANS_PER_TRACE)
          throw new Error(
            `trace lookup returned ${found.length} spans, expected ${SPANS_PER_TRACE}`,
          );
      });
      console.log(
        `| trace by id | all | ${formatMs(lookup.p50Ms)} | ${formatMs(lookup.p95Ms)} | ${formatMs(lookup.p99Ms)} |`,
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
