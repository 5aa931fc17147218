/**
 * Measures acknowledged-and-queryable spans per second for ~3 KB GenAI spans
 * in batches of 512, against a real `foghorn up` process with a fresh DuckDB
 * file per case. Cases: OTLP/HTTP protobuf, the same gzipped, OTLP/gRPC,
 * HTTP protobuf with redaction detectors disabled, HTTP protobuf with glibc
 * limited to 2 malloc arenas (MALLOC_ARENA_MAX=2), HTTP protobuf with five times
 * the requests (`sustained`, the state after the first hundred thousand spans),
 * and the p99 acknowledgement latency at half of the measured HTTP throughput. The baseline is the raw
 * protobuf decode rate of the same bodies in this process.
 *
 * Run: npx tsx bench/ingest/ingest-bench.ts [--requests=200] [--concurrency=4]
 *        [--cases=http,gzip,grpc,detectors-off,arenas-2,sustained,latency] [--cpu-prof-dir=DIR]
 *        [--store-spans=N]
 * `--cpu-prof-dir` writes a V8 CPU profile of each server process into DIR.
 * `--store-spans` starts every case from a copy of a store that already contains N spans over
 * the last 30 days, built once before the cases, instead of an empty one.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials } from '@grpc/grpc-js';
import { BUILTIN_DETECTORS } from '../../packages/redact/src/index.ts';
import { decodeTraceRequestProtobuf } from '../../packages/server/src/ingest/otlp/index.ts';
import { readIntArg } from './arguments.ts';
import { buildPreloadedStore } from './preloaded-store.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { SPANS_PER_REQUEST, buildTemplate, makeRequest, type RequestTemplate } from './workload.ts';

const REQUESTS = readIntArg('requests', 200, 5000);
const CONCURRENCY = readIntArg('concurrency', 4, 64);
const HALF_LOAD_SECONDS = 8;
/** Spans in the store each case starts from (`--store-spans`), 0 for an empty store. */
const STORE_SPANS = process.argv.some((arg) => arg.startsWith('--store-spans='))
  ? readIntArg('store-spans', 0, 100_000_000)
  : 0;
/** Start of the window that counts the benchmark's spans, which leaves preloaded spans out. */
const COUNT_FROM_MS = Date.now() - 3_600_000;
/** Data directory of the preloaded store that each case copies, once built. */
let preloadedDataDir: string | null = null;
/** Requests sent before the latency window, one at a time. */
const WARM_UP_REQUESTS = 20;
const CASE_NAMES = [
  'http',
  'gzip',
  'grpc',
  'detectors-off',
  'arenas-2',
  'sustained',
  'latency',
] as const;
/** The `sustained` case sends this many times the requests, past the server's startup state. */
const SUSTAINED_FACTOR = 5;
type CaseName = (typeof CASE_NAMES)[number];

function readCases(): Set<CaseName> {
  const raw = process.argv.find((arg) => arg.startsWith('--cases='));
  if (raw === undefined) return new Set(CASE_NAMES);
  const names = raw.slice('--cases='.length).split(',');
  for (const name of names) {
    if (!(CASE_NAMES as readonly string[]).includes(name))
      throw new Error(
        `--cases got "${name}"; use a comma-separated list of ${CASE_NAMES.join(', ')}`,
      );
  }
  return new Set(names as CaseName[]);
}

function readServerNodeFlags(): string[] {
  const raw = process.argv.find((arg) => arg.startsWith('--cpu-prof-dir='));
  return raw === undefined
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${raw.slice('--cpu-prof-dir='.length)}`];
}

const CASES = readCases();
const SERVER_NODE_FLAGS = readServerNodeFlags();

type Transport = 'http' | 'http-gzip' | 'grpc';

interface CaseResult {
  name: string;
  spansPerSecond: number;
  /** Server CPU time per acknowledged span, in µs: on the event loop thread, and on all threads. */
  mainThreadMicrosPerSpan: number;
  allThreadsMicrosPerSpan: number;
  peakRssMiB: number;
  storedSpans: number;
  /** Spans the case sent, which the summary should count. */
  sentSpans: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function sendHttp(server: ServerProcess, body: Buffer, gzip: boolean): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/x-protobuf' };
  if (gzip) headers['content-encoding'] = 'gzip';
  return fetch(`${server.otlpUrl}/v1/traces`, { method: 'POST', body, headers }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
  );
}

function sendGrpc(client: Client, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (value: Buffer) => value,
      (value: Buffer) => value,
      body,
      (error) => resolve(error ? 500 + (error.code ?? 0) : 200),
    );
  });
}

async function storedSpanCount(server: ServerProcess): Promise<number> {
  const response = await fetch(
    `${server.url}/api/v1/llm/summary?groupBy=service&from=${COUNT_FROM_MS}&to=${Date.now() + 3_600_000}`,
  );
  const body = (await response.json()) as { groups: { requests: number }[] };
  return body.groups.reduce((sum, group) => sum + group.requests, 0);
}

async function withServer<T>(
  disableDetectors: boolean,
  run: (server: ServerProcess) => Promise<T>,
  serverEnv: Record<string, string> = {},
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-bench-'));
  if (preloadedDataDir !== null) cpSync(preloadedDataDir, dataDir, { recursive: true });
  if (disableDetectors) {
    writeFileSync(
      join(dataDir, 'privacy.json'),
      JSON.stringify({ disabledDetectors: BUILTIN_DETECTORS.map((detector) => detector.id) }),
    );
  }
  const server = await startServerProcess(dataDir, [], SERVER_NODE_FLAGS, serverEnv);
  try {
    return await run(server);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface LoopResult {
  /** Spans the summary counted right after the last acknowledgement. */
  storedSpans: number;
  spansPerSecond: number;
  mainThreadMicrosPerSpan: number;
  allThreadsMicrosPerSpan: number;
}

/**
 * Sends `bodies` with CONCURRENCY requests in flight and measures the acknowledged spans,
 * up to the moment a summary query counts them all.
 */
async function closedLoop(
  server: ServerProcess,
  bodies: Buffer[],
  transport: Transport,
): Promise<LoopResult> {
  const client =
    transport === 'grpc' ? new Client(server.grpcAddress, credentials.createInsecure()) : null;
  let next = 0;
  let acknowledged = 0;
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const status = client
        ? await sendGrpc(client, body)
        : await sendHttp(server, body, transport === 'http-gzip');
      if (status !== 200) throw new Error(`request failed with status ${status}`);
      acknowledged += SPANS_PER_REQUEST;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // A query commits every acknowledged span before it reads, so the clock stops once
  // the last acknowledged span is queryable.
  const storedSpans = await storedSpanCount(server);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuSeconds();
  client?.close();
  const microsPerSpan = (cpuSeconds: number): number => (cpuSeconds * 1e6) / acknowledged;
  return {
    storedSpans,
    spansPerSecond: acknowledged / seconds,
    mainThreadMicrosPerSpan: microsPerSpan(cpuAfter.mainThread - cpuBefore.mainThread),
    allThreadsMicrosPerSpan: microsPerSpan(cpuAfter.allThreads - cpuBefore.allThreads),
  };
}

async function throughputCase(
  name: string,
  template: RequestTemplate,
  transport: Transport,
  disableDetectors: boolean,
  serverEnv: Record<string, string> = {},
  requests = REQUESTS,
): Promise<CaseResult> {
  const bodies = Array.from({ length: requests }, (_, i) =>
    makeRequest(template, i + 1, transport === 'http-gzip'),
  );
  return withServer(
    disableDetectors,
    async (server) => {
      const loop = await closedLoop(server, bodies, transport);
      return {
        name,
        ...loop,
        peakRssMiB: server.peakRssMiB(),
        sentSpans: requests * SPANS_PER_REQUEST,
      };
    },
    serverEnv,
  );
}

/**
 * Sends WARM_UP_REQUESTS one at a time, so the measured requests do not include the
 * server's first compilations, then sends at a fixed rate for HALF_LOAD_SECONDS and
 * returns the acknowledgement latencies of the paced requests in ms.
 */
async function openLoopLatencies(
  template: RequestTemplate,
  spansPerSecond: number,
): Promise<number[]> {
  const requestsPerSecond = spansPerSecond / SPANS_PER_REQUEST;
  const total = Math.max(10, Math.round(requestsPerSecond * HALF_LOAD_SECONDS));
  const bodies = Array.from({ length: total }, (_, i) =>
    makeRequest(template, WARM_UP_REQUESTS + i + 1, false),
  );
  return withServer(false, async (server) => {
    for (let i = 0; i < WARM_UP_REQUESTS; i++) {
      const status = await sendHttp(server, makeRequest(template, i + 1, false), false);
      if (status !== 200) throw new Error(`warm-up request failed with status ${status}`);
    }
    const latencies: number[] = [];
    const intervalMs = 1000 / requestsPerSecond;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sentAt = performance.now();
      inFlight.push(
        sendHttp(server, bodies[i]!, false).then((status) => {
          if (status !== 200) throw new Error(`request failed with status ${status}`);
          latencies.push(performance.now() - sentAt);
        }),
      );
    }
    await Promise.all(inFlight);
    return latencies.sort((a, b) => a - b);
  });
}

function decodeBaseline(template: RequestTemplate): number {
  const body = makeRequest(template, 1, false);
  for (let i = 0; i < 5; i++) decodeTraceRequestProtobuf(body);
  let spans = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) {
    decodeTraceRequestProtobuf(body);
    spans += SPANS_PER_REQUEST;
  }
  return spans / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const template = buildTemplate();
  const spanBytes = Math.round(template.body.length / template.spanCount);
  console.log(
    `# Ingest benchmark: ${REQUESTS} requests x ${SPANS_PER_REQUEST} spans of ~${spanBytes} B protobuf, ${CONCURRENCY} in flight`,
  );
  console.log(
    `# ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`,
  );

  if (STORE_SPANS > 0) {
    const started = performance.now();
    preloadedDataDir = await buildPreloadedStore(STORE_SPANS, Date.now());
    console.log(
      `# every case starts from a copy of a store of ${STORE_SPANS} spans over 30 days, built in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
  try {
    await runCases(template);
  } finally {
    if (preloadedDataDir !== null) rmSync(preloadedDataDir, { recursive: true, force: true });
  }
}

async function runCases(template: RequestTemplate): Promise<void> {
  const baseline = decodeBaseline(template);
  const results = await runThroughputCases(template);
  printTable(baseline, results);
  printRatios(results);
  if (CASES.has('latency')) {
    // Half of the measured HTTP rate, or of the first case run when HTTP was left out.
    const reference = results.get('http') ?? [...results.values()][0];
    if (reference === undefined)
      throw new Error('--cases=latency needs one throughput case to set the rate');
    const latencies = await openLoopLatencies(template, reference.spansPerSecond / 2);
    console.log(
      `acknowledgement latency at half load (${Math.round(reference.spansPerSecond / 2)} spans/s, ${latencies.length} requests after ${WARM_UP_REQUESTS} of warm-up): ` +
        `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
    );
  }
}

async function runThroughputCases(template: RequestTemplate): Promise<Map<CaseName, CaseResult>> {
  const results = new Map<CaseName, CaseResult>();
  if (CASES.has('http'))
    results.set('http', await throughputCase('OTLP/HTTP protobuf', template, 'http', false));
  if (CASES.has('gzip'))
    results.set(
      'gzip',
      await throughputCase('OTLP/HTTP protobuf, gzip', template, 'http-gzip', false),
    );
  if (CASES.has('grpc'))
    results.set('grpc', await throughputCase('OTLP/gRPC', template, 'grpc', false));
  if (CASES.has('detectors-off')) {
    results.set(
      'detectors-off',
      await throughputCase('OTLP/HTTP protobuf, detectors off', template, 'http', true),
    );
  }
  if (CASES.has('arenas-2')) {
    results.set(
      'arenas-2',
      await throughputCase('OTLP/HTTP protobuf, MALLOC_ARENA_MAX=2', template, 'http', false, {
        MALLOC_ARENA_MAX: '2',
      }),
    );
  }
  if (CASES.has('sustained')) {
    results.set(
      'sustained',
      await throughputCase(
        `OTLP/HTTP protobuf, ${REQUESTS * SUSTAINED_FACTOR} requests`,
        template,
        'http',
        false,
        {},
        REQUESTS * SUSTAINED_FACTOR,
      ),
    );
  }
  return results;
}

function printTable(baseline: number, results: Map<CaseName, CaseResult>): void {
  console.log(
    '| case | spans/s | vs decode baseline | server CPU µs/span, event loop | all threads | peak RSS (MiB) | stored spans |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| protobuf decode only (baseline) | ${Math.round(baseline)} | 1.00 | | | | |`);
  for (const result of results.values()) {
    const ok = result.storedSpans === result.sentSpans ? '' : ` (expected ${result.sentSpans})`;
    console.log(
      `| ${result.name} | ${Math.round(result.spansPerSecond)} | ${(result.spansPerSecond / baseline).toFixed(3)} | ` +
        `${result.mainThreadMicrosPerSpan.toFixed(1)} | ${result.allThreadsMicrosPerSpan.toFixed(1)} | ` +
        `${result.peakRssMiB.toFixed(0)} | ${result.storedSpans}${ok} |`,
    );
  }
  console.log('');
}

function printRatios(results: Map<CaseName, CaseResult>): void {
  const ratio = (a: CaseName, b: CaseName, label: string): void => {
    const top = results.get(a);
    const bottom = results.get(b);
    if (top !== undefined && bottom !== undefined)
      console.log(`${label}: ${(top.spansPerSecond / bottom.spansPerSecond).toFixed(2)}`);
  };
  ratio('gzip', 'http', 'gzip / plain');
  ratio('grpc', 'http', 'gRPC / HTTP');
  ratio('http', 'detectors-off', 'redaction on / detectors off');
}

await main();
