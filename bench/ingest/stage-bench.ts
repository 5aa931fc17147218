/**
 * Times each in-process stage of trace ingest on the workload of the ingest
 * benchmark: protobuf decoding, enrichment (normalize, timestamps, limits,
 * attribution, pricing, default redaction), the span write up to its
 * acknowledgement, and the `/metrics` bookkeeping. The store's writer
 * acknowledges once a batch is in its ingest log and loads DuckDB later. The
 * other writer variants commit each request in DuckDB before they return.
 * Requests run one at a time against a fresh DuckDB file per writer variant
 * (commit mode, row group size, compression), so the variants compare within
 * one run. Two more variants split the write cost: an in-memory database (no
 * WAL, no checkpoints) and spans written with empty attributes and events (no
 * content). The write stage is shown as wall time and as CPU time: the median
 * per request for the whole process, and the mean over all writes for the event
 * loop thread (from /proc, 10 ms ticks) and for all threads. The mean includes
 * the automatic checkpoints that the median leaves out, and the store writer's
 * loads and final commit. CPU time counts DuckDB's worker threads too and moves
 * less than wall time when other processes load the machine.
 *
 * Run: npx tsx bench/ingest/stage-bench.ts [--requests=160]
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pino from 'pino';
import { LlmMetrics } from '../../packages/server/src/exports/llm-metrics.ts';
import { decodeTraceRequestProtobuf } from '../../packages/server/src/ingest/otlp/index.ts';
import { enrichTraceRequest } from '../../packages/server/src/ingest/trace-pipeline.ts';
import { loadPrivacy } from '../../packages/server/src/privacy/load-privacy.ts';
import type { SpanPrivacy } from '../../packages/server/src/privacy/span-privacy.ts';
import {
  ROW_GROUP_SIZE,
  openStoreFile,
} from '../../packages/server/src/store/duckdb/open-store-file.ts';
import { ROLLUP_SCHEMA } from '../../packages/server/src/store/duckdb/rollup-schema.ts';
import { SCHEMA_STATEMENTS } from '../../packages/server/src/store/duckdb/schema.ts';
import { IngestLog } from '../../packages/server/src/store/duckdb/ingest-log.ts';
import { appendSpans } from '../../packages/server/src/store/duckdb/span-append.ts';
import {
  INGEST_LOG_POSITION_SCHEMA,
  SpanWriter,
} from '../../packages/server/src/store/duckdb/span-writer.ts';
import { readIntArg } from './arguments.ts';
import { SPANS_PER_REQUEST, buildTemplate, makeRequest } from './workload.ts';
import type { CanonicalSpan } from '../../packages/server/src/semconv/canonical-span.ts';

const REQUESTS = readIntArg('requests', 160, 5000);
const WARM_UP_REQUESTS = 10;

/**
 * The commit of each request in a writer variant other than the store's own. `transaction`
 * appends inside BEGIN and awaits COMMIT on a DuckDB worker thread, and `autocommit` lets
 * the appender's flush commit on the event loop.
 */
type CommitMode = 'transaction' | 'autocommit';

/** Appends `spans` to the spans table and resolves once they are committed. */
async function appendSpansCommitted(
  connection: DuckDBConnection,
  spans: readonly CanonicalSpan[],
  mode: CommitMode,
): Promise<void> {
  if (mode === 'autocommit') {
    await appendSpans(connection, spans);
    return;
  }
  await connection.run('BEGIN TRANSACTION');
  try {
    await appendSpans(connection, spans);
    await connection.run('COMMIT');
  } catch (error) {
    // A failed COMMIT has already ended the transaction, so this ROLLBACK may fail too.
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface WriterVariant {
  name: string;
  /**
   * The commit of each request, or `logged` for the store's writer. That writer returns once
   * the batch is synced to the ingest log and loads DuckDB in large transactions, so its
   * write CPU includes the final commit.
   */
  mode: CommitMode | 'logged';
  /** Whether the file opens as the store opens it (true) or with DuckDB's default row groups of 122,880 rows (false). */
  storeOpen: boolean;
  settings: readonly string[];
  /** Writes to an in-memory database instead of a file, so neither WAL nor checkpoints run. */
  inMemory?: boolean;
  /** Writes every span with empty attributes and events, to show what the content costs. */
  withoutContent?: boolean;
}

const EARLIER_OPEN = ["SET checkpoint_threshold = '64MB'"];

const VARIANTS: readonly WriterVariant[] = [
  {
    name: 'autocommit, default row groups',
    mode: 'autocommit',
    storeOpen: false,
    settings: EARLIER_OPEN,
  },
  {
    name: 'transaction, default row groups',
    mode: 'transaction',
    storeOpen: false,
    settings: EARLIER_OPEN,
  },
  {
    name: `transaction per request, ${ROW_GROUP_SIZE}-row groups`,
    mode: 'transaction',
    storeOpen: true,
    settings: [],
  },
  {
    name: `ingest log, then loads of up to ${ROW_GROUP_SIZE} rows (current)`,
    mode: 'logged',
    storeOpen: true,
    settings: [],
  },
  {
    name: `transaction, ${ROW_GROUP_SIZE}-row groups, FSST off`,
    mode: 'transaction',
    storeOpen: true,
    settings: ["SET disabled_compression_methods = 'fsst'"],
  },
  {
    name: 'transaction, in-memory database',
    mode: 'transaction',
    storeOpen: false,
    settings: [],
    inMemory: true,
  },
  {
    name: `transaction, ${ROW_GROUP_SIZE}-row groups, empty attributes and events`,
    mode: 'transaction',
    storeOpen: true,
    settings: [],
    withoutContent: true,
  },
];

interface StageTimes {
  decode: number[];
  enrich: number[];
  writeWall: number[];
  writeCpu: number[];
  metrics: number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function microsPerSpan(ms: number): number {
  return (ms * 1000) / SPANS_PER_REQUEST;
}

const MIB = 1_048_576;

async function printMemory(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    'SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0 ORDER BY 2 DESC',
  );
  const duckdb = reader
    .getRows()
    .map(([tag, bytes]) => `${String(tag)} ${(Number(bytes) / MIB).toFixed(0)}`)
    .join(', ');
  const usage = process.memoryUsage();
  console.log(
    `memory MiB: rss ${(usage.rss / MIB).toFixed(0)}, V8 heap used ${(usage.heapUsed / MIB).toFixed(0)}, ` +
      `external ${(usage.external / MIB).toFixed(0)}; DuckDB: ${duckdb || 'none'}`,
  );
}

/** CPU seconds of this process's main (event loop) thread, read from /proc at 10 ms resolution. */
function mainThreadCpuSeconds(): number {
  const text = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface VariantWriter {
  write(spans: readonly CanonicalSpan[]): Promise<void>;
  /** Commits what is still pending; the stage bench counts its CPU time with the writes. */
  finish(): Promise<void>;
}

async function openWriter(
  dataDir: string,
  variant: WriterVariant,
  index: number,
): Promise<{ writer: VariantWriter; close: () => Promise<{ stored: number; fileMiB: number }> }> {
  const path = join(dataDir, `variant-${index}.duckdb`);
  const instance = variant.storeOpen
    ? await openStoreFile(path, null)
    : await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  if (!variant.storeOpen && variant.inMemory !== true) {
    await connection.run(`ATTACH '${path}' AS bench`);
    await connection.run('USE bench');
  }
  for (const statement of [...SCHEMA_STATEMENTS, ...ROLLUP_SCHEMA, ...INGEST_LOG_POSITION_SCHEMA])
    await connection.run(statement);
  for (const setting of variant.settings) await connection.run(setting);
  let writer: VariantWriter;
  let closeWriter = async (): Promise<void> => undefined;
  const mode = variant.mode;
  if (mode === 'logged') {
    const log = IngestLog.open(join(dataDir, `variant-${index}-log`), null, 0);
    const spanWriter = new SpanWriter(connection, log, 0);
    await spanWriter.start();
    writer = { write: (spans) => spanWriter.write(spans), finish: () => spanWriter.flush() };
    closeWriter = () => spanWriter.close();
  } else {
    writer = {
      write: (spans) => appendSpansCommitted(connection, spans, mode),
      finish: async () => undefined,
    };
  }
  return {
    writer,
    close: async () => {
      await closeWriter();
      await connection.run('CHECKPOINT');
      await printMemory(connection);
      const reader = await connection.runAndReadAll('SELECT count(*) FROM spans');
      const stored = Number(reader.getRows()[0]![0]);
      connection.closeSync();
      instance.closeSync();
      return { stored, fileMiB: variant.inMemory === true ? 0 : statSync(path).size / MIB };
    },
  };
}

interface VariantResult extends StageTimes {
  stored: number;
  fileMiB: number;
  /** Sums over all writes, in µs per span. */
  writeMainCpuMicros: number;
  writeAllCpuMicros: number;
}

async function runVariant(
  variant: WriterVariant,
  index: number,
  bodies: readonly Buffer[],
  privacy: SpanPrivacy,
  dataDir: string,
): Promise<VariantResult> {
  const { writer, close } = await openWriter(dataDir, variant, index);
  const metrics = new LlmMetrics();
  const times: StageTimes = {
    decode: [],
    enrich: [],
    writeWall: [],
    writeCpu: [],
    metrics: [],
  };
  let mainCpuSeconds = 0;
  let allCpuMicros = 0;
  for (const body of bodies) {
    const t0 = performance.now();
    const decoded = decodeTraceRequestProtobuf(body);
    const t1 = performance.now();
    const enriched = enrichTraceRequest(decoded.request, Date.now(), privacy);
    const spans =
      variant.withoutContent === true
        ? enriched.map((span) => ({ ...span, attributes: {}, events: [] }))
        : enriched;
    const t2 = performance.now();
    const cpuBefore = process.cpuUsage();
    const mainBefore = mainThreadCpuSeconds();
    await writer.write(spans);
    mainCpuSeconds += mainThreadCpuSeconds() - mainBefore;
    const cpu = process.cpuUsage(cpuBefore);
    allCpuMicros += cpu.user + cpu.system;
    const t3 = performance.now();
    metrics.observe(spans);
    const t4 = performance.now();
    times.decode.push(microsPerSpan(t1 - t0));
    times.enrich.push(microsPerSpan(t2 - t1));
    times.writeWall.push(microsPerSpan(t3 - t2));
    times.writeCpu.push(microsPerSpan((cpu.user + cpu.system) / 1000));
    times.metrics.push(microsPerSpan(t4 - t3));
  }
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuSeconds();
  await writer.finish();
  mainCpuSeconds += mainThreadCpuSeconds() - mainBefore;
  const cpu = process.cpuUsage(cpuBefore);
  allCpuMicros += cpu.user + cpu.system;
  const spanCount = bodies.length * SPANS_PER_REQUEST;
  return {
    ...times,
    ...(await close()),
    writeMainCpuMicros: (mainCpuSeconds * 1e6) / spanCount,
    writeAllCpuMicros: allCpuMicros / spanCount,
  };
}

async function main(): Promise<void> {
  const template = buildTemplate();
  const bodies = Array.from({ length: REQUESTS }, (_, i) => makeRequest(template, i + 1, false));
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-stage-bench-'));
  try {
    const privacy = await loadPrivacy(dataDir, {}, pino({ level: 'silent' }));
    console.log(
      `# ${REQUESTS} requests x ${SPANS_PER_REQUEST} spans, one at a time, Node ${process.version}`,
    );
    console.log(
      '| writer | decode | enrich | write (wall) | write (CPU, all threads) | metrics | write CPU mean, event loop | write CPU mean, all threads | file MiB | stored |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    // Warm-up so the first variant does not pay for JIT compilation; its figures are dropped.
    await runVariant(
      VARIANTS[0]!,
      VARIANTS.length,
      bodies.slice(0, WARM_UP_REQUESTS),
      privacy,
      dataDir,
    );
    for (const [index, variant] of VARIANTS.entries()) {
      const result = await runVariant(variant, index, bodies, privacy, dataDir);
      const cells = [
        result.decode,
        result.enrich,
        result.writeWall,
        result.writeCpu,
        result.metrics,
      ]
        .map((values) => median(values).toFixed(1))
        .join(' | ');
      const means = `${result.writeMainCpuMicros.toFixed(1)} | ${result.writeAllCpuMicros.toFixed(1)}`;
      console.log(
        `| ${variant.name} | ${cells} | ${means} | ${result.fileMiB.toFixed(0)} | ${result.stored} |`,
      );
    }
    console.log(
      '\nFigures are median µs per span over the requests, except the two means and the file size.',
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
