// Measures the dashboard queries on a DuckDB store of synthetic spans: each query through
// the path the API uses, beside the same query as a plain scan of the raw spans table.
// Usage: npx tsx bench/query/query-bench.ts [--spans 10000000] [--runs 20] [--store duckdb|clickhouse]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  selectSummary,
  selectTimeseries,
} from '../../packages/server/src/store/duckdb/aggregate-queries.ts';
import {
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../packages/server/src/store/duckdb/duckdb-store.ts';
import {
  planAggregate,
  type AggregatePlan,
} from '../../packages/server/src/store/duckdb/rollup-query.ts';
import {
  GROUP_BY_VALUES,
  type GroupBy,
  type LlmQuery,
  type Store,
} from '../../packages/server/src/store/store.ts';
import { insertSpansOverWindow, insertSyntheticSpans, SPANS_PER_TRACE } from './generate-spans.ts';
import { runClickHouseQueryBench } from './clickhouse-bench.ts';
import { measureIngest } from './ingest-cost.ts';
import { formatMs, measure, type Timing } from './measure.ts';

const DAY_MS = 86_400_000;
const DATA_DAYS = 30;
const INSERT_CHUNK = 1_000_000;

interface Options {
  spans: number;
  runs: number;
  /** `clickhouse` runs the same data and queries on ClickHouse in-process through chdb. */
  store: 'duckdb' | 'clickhouse';
}

interface Row {
  query: string;
  window: string;
  source: string;
  timing: Timing;
  raw: Timing | null;
  goalMs: number;
  goalPercentile: 'p95' | 'p99';
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { spans: 10_000_000, runs: 20, store: 'duckdb' };
  for (let index = 0; index < argv.length; index += 2) {
    const value = Number(argv[index + 1]);
    if (argv[index] === '--spans' && Number.isInteger(value) && value >= 1000)
      options.spans = value;
    else if (argv[index] === '--runs' && Number.isInteger(value) && value >= 3)
      options.runs = value;
    else if (
      argv[index] === '--store' &&
      (argv[index + 1] === 'duckdb' || argv[index + 1] === 'clickhouse')
    )
      options.store = argv[index + 1] as Options['store'];
    else
      throw new Error(
        `unknown or invalid option ${argv[index]} ${argv[index + 1]}; use --spans N (>= 1000), --runs N (>= 3) and --store duckdb|clickhouse`,
      );
  }
  return options;
}

/**
 * Measures what the trace id index costs at ingest: the same generated rows inserted into
 * a copy of the spans table without the index, and into the indexed table.
 */
async function measureIndexCost(connection: DuckDBConnection, endMs: number): Promise<void> {
  const count = Math.min(INSERT_CHUNK, 1_000_000);
  const startNs = BigInt(endMs - 40 * DAY_MS) * 1_000_000n;
  await connection.run('CREATE TABLE spans_without_index AS SELECT * FROM spans LIMIT 0');
  const timings: string[] = [];
  for (const table of ['spans_without_index', 'spans']) {
    const startedMs = performance.now();
    await insertSyntheticSpans(connection, 0, count, startNs, 1_000_000n, table);
    timings.push(`${table}: ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
  }
  await connection.run('DROP TABLE spans_without_index');
  await connection.run(
    `DELETE FROM spans WHERE start_ns < ${startNs + BigInt(count) * 1_000_000n}`,
  );
  console.log(
    `bulk insert of ${count} spans, ${timings.join(', ')} (the ART index on trace_id is the difference)`,
  );
}

async function loadSpans(
  store: Store,
  connection: DuckDBConnection,
  options: Options,
  endMs: number,
): Promise<number> {
  const startMs = endMs - DATA_DAYS * DAY_MS;
  const startedMs = performance.now();
  await insertSpansOverWindow(connection, options.spans, startMs, endMs, (inserted) =>
    process.stdout.write(`  inserted ${inserted} spans\r`),
  );
  const insertMs = performance.now() - startedMs;
  const rollupStartedMs = performance.now();
  await store.rebuildRollups({ fromUnixMs: startMs, toUnixMs: endMs + DAY_MS });
  await connection.run('CHECKPOINT');
  console.log(
    `\nloaded ${options.spans} spans in ${(insertMs / 1000).toFixed(1)} s (ART index on trace_id maintained), built rollups in ${((performance.now() - rollupStartedMs) / 1000).toFixed(1)} s`,
  );
  return startMs;
}

async function aggregateRows(
  connection: DuckDBConnection,
  endMs: number,
  runs: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [window, windowMs, goalMs] of [
    ['24 h', DAY_MS, 100],
    ['7 d', 7 * DAY_MS, 300],
  ] as const) {
    const query: LlmQuery = {
      projectId: 'default',
      fromUnixMs: endMs - windowMs,
      toUnixMs: endMs,
      filters: {},
    };
    // The steps the API picks for about 120 buckets.
    const stepMs = windowMs === DAY_MS ? 900_000 : 7_200_000;
    const cases: [string, boolean, (from: AggregatePlan) => Promise<unknown>][] = [
      ...GROUP_BY_VALUES.map(
        (groupBy): [string, boolean, (from: AggregatePlan) => Promise<unknown>] => [
          `summary by ${groupBy}`,
          false,
          (from) => selectSummary(connection, from, query, groupBy),
        ],
      ),
      ...(['model', 'errorType', 'feature', 'tenant', null] as const).map(
        (groupBy): [string, boolean, (from: AggregatePlan) => Promise<unknown>] => [
          `timeseries by ${groupBy ?? '(none)'}`,
          true,
          (from) => selectTimeseries(connection, from, query, groupBy, stepMs),
        ],
      ),
      [
        'summary by model, tenant filter',
        false,
        (from) =>
          selectSummary(connection, from, { ...query, filters: { tenant: 'tenant-03' } }, 'model'),
      ],
    ];
    for (const [name, isSeries, run] of cases) {
      const source = planAggregate(query, isSeries ? stepMs : null, groupByOf(name));
      const timing = await measure(runs, () => run(source));
      const raw = await measure(Math.max(3, Math.floor(runs / 4)), () => run('spans'));
      rows.push({ query: name, window, source, timing, raw, goalMs, goalPercentile: 'p95' });
      console.log(
        `  ${window} ${name}: p95 ${formatMs(timing.p95Ms)} ms (raw scan p95 ${formatMs(raw.p95Ms)} ms)`,
      );
    }
  }
  return rows;
}

async function traceLookupRow(
  store: Store,
  connection: DuckDBConnection,
  options: Options,
  runs: number,
): Promise<Row> {
  const traceCount = Math.floor(options.spans / SPANS_PER_TRACE);
  const ids = await connection.runAndReadAll(
    `SELECT md5((hash(i * 101) % ${traceCount})::VARCHAR) FROM range(${runs * 5 + 1}) AS t(i)`,
  );
  const traceIds = ids.getRows().map(([id]) => String(id));
  const timing = await measure(runs * 5, async (run) => {
    const spans = await store.getTrace('default', traceIds[run + 1]!);
    if (spans.length !== SPANS_PER_TRACE)
      throw new Error(`trace lookup returned ${spans.length} spans, expected ${SPANS_PER_TRACE}`);
  });
  // lower() hides the column from the index, so this is the same lookup as a full scan.
  const raw = await measure(Math.max(3, Math.floor(runs / 4)), (run) =>
    connection.runAndReadAll(
      'SELECT * FROM spans WHERE lower(trace_id) = $1 ORDER BY start_ns, span_id',
      [traceIds[run + 1]!],
    ),
  );
  return {
    query: 'trace by id',
    window: 'all',
    source: 'ART index',
    timing,
    raw,
    goalMs: 20,
    goalPercentile: 'p99',
  };
}

/** Reads the group-by back from a case name such as `timeseries by tenant`. */
function groupByOf(caseName: string): GroupBy | null {
  const word = caseName.split(' by ')[1]?.split(',')[0] ?? '';
  return (GROUP_BY_VALUES as readonly string[]).includes(word) ? (word as GroupBy) : null;
}

function printTable(rows: readonly Row[]): void {
  console.log(
    '\n| query | window | source | p50 ms | p95 ms | p99 ms | raw scan p50 ms | raw scan p95 ms | goal |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|---:|---|');
  for (const row of rows) {
    const measured = row.goalPercentile === 'p95' ? row.timing.p95Ms : row.timing.p99Ms;
    const verdict = measured <= row.goalMs ? 'met' : 'missed';
    console.log(
      `| ${row.query} | ${row.window} | ${row.source} | ${formatMs(row.timing.p50Ms)} | ${formatMs(row.timing.p95Ms)} | ${formatMs(row.timing.p99Ms)} | ${row.raw === null ? '' : formatMs(row.raw.p50Ms)} | ${row.raw === null ? '' : formatMs(row.raw.p95Ms)} | ${row.goalPercentile} ≤ ${row.goalMs} ms: ${verdict} |`,
    );
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.store === 'clickhouse') {
    await runClickHouseQueryBench(options.spans, options.runs);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-query-bench-'));
  const store = await openDuckDbStore(dataDir);
  const connection = await duckDbInstanceOf(store)!.connect();
  try {
    const endMs = Math.floor(Date.now() / 60_000) * 60_000;
    await measureIndexCost(connection, endMs);
    await loadSpans(store, connection, options, endMs);
    const sizeMiB = statSync(join(dataDir, 'foghorn.duckdb')).size / 1024 / 1024;
    const rollupRows = (
      await connection.runAndReadAll('SELECT count(*) FROM span_rollup_1m')
    ).getRows()[0]?.[0];
    console.log(`database file ${sizeMiB.toFixed(0)} MiB, ${String(rollupRows)} rollup rows`);
    const rows = [
      ...(await aggregateRows(connection, endMs, options.runs)),
      await traceLookupRow(store, connection, options, options.runs),
    ];
    printTable(rows);
    await measureIngest(store, endMs);
  } finally {
    connection.closeSync();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
