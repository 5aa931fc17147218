/**
 * Measures acknowledged-and-queryable spans per second for ~3 KB GenAI spans
 * in batches of 512, against a real `foghorn up` process with a fresh DuckDB
 * file per case. Cases: OTLP/HTTP protobuf, the same gzipped, OTLP/gRPC,
 * HTTP protobuf with redaction detectors disabled, and the p99 acknowledgement
 * latency at half of the measured HTTP throughput. The baseline is the raw
 * protobuf decode rate of the same bodies in this process.
 *
 * Run: npx tsx bench/ingest/ingest-bench.ts [--requests=200] [--concurrency=4]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials } from '@grpc/grpc-js';
import { BUILTIN_DETECTORS } from '../../packages/redact/src/index.ts';
import { decodeTraceRequestProtobuf } from '../../packages/server/src/ingest/otlp/index.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { SPANS_PER_REQUEST, buildTemplate, makeRequest, type RequestTemplate } from './workload.ts';

function readIntArg(name: string, fallback: number, max: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = raw === undefined ? fallback : Number(raw.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`--${name} must be an integer from 1 to ${max}, got ${raw}`);
  return value;
}

const REQUESTS = readIntArg('requests', 200, 5000);
const CONCURRENCY = readIntArg('concurrency', 4, 64);
const HALF_LOAD_SECONDS = 8;

type Transport = 'http' | 'http-gzip' | 'grpc';

interface CaseResult {
  name: string;
  spansPerSecond: number;
  peakRssMiB: number;
  storedSpans: number;
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
    `${server.url}/api/v1/llm/summary?groupBy=service&from=0&to=${Date.now() + 3_600_000}`,
  );
  const body = (await response.json()) as { groups: { requests: number }[] };
  return body.groups.reduce((sum, group) => sum + group.requests, 0);
}

async function withServer<T>(
  disableDetectors: boolean,
  run: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-bench-'));
  if (disableDetectors) {
    writeFileSync(
      join(dataDir, 'privacy.json'),
      JSON.stringify({ disabledDetectors: BUILTIN_DETECTORS.map((detector) => detector.id) }),
    );
  }
  const server = await startServerProcess(dataDir);
  try {
    return await run(server);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Sends `bodies` with CONCURRENCY requests in flight and returns acknowledged spans per second. */
async function closedLoop(
  server: ServerProcess,
  bodies: Buffer[],
  transport: Transport,
): Promise<number> {
  const client =
    transport === 'grpc' ? new Client(server.grpcAddress, credentials.createInsecure()) : null;
  let next = 0;
  let acknowledged = 0;
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
  const seconds = (performance.now() - started) / 1000;
  client?.close();
  return acknowledged / seconds;
}

async function throughputCase(
  name: string,
  template: RequestTemplate,
  transport: Transport,
  disableDetectors: boolean,
): Promise<CaseResult> {
  const bodies = Array.from({ length: REQUESTS }, (_, i) =>
    makeRequest(template, i + 1, transport === 'http-gzip'),
  );
  return withServer(disableDetectors, async (server) => {
    const spansPerSecond = await closedLoop(server, bodies, transport);
    return {
      name,
      spansPerSecond,
      peakRssMiB: server.peakRssMiB(),
      storedSpans: await storedSpanCount(server),
    };
  });
}

/** Sends at a fixed rate for HALF_LOAD_SECONDS and returns acknowledgement latencies in ms. */
async function openLoopLatencies(
  template: RequestTemplate,
  spansPerSecond: number,
): Promise<number[]> {
  const requestsPerSecond = spansPerSecond / SPANS_PER_REQUEST;
  const total = Math.max(10, Math.round(requestsPerSecond * HALF_LOAD_SECONDS));
  const bodies = Array.from({ length: total }, (_, i) => makeRequest(template, i + 1, false));
  return withServer(false, async (server) => {
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

  const baseline = decodeBaseline(template);
  const http = await throughputCase('OTLP/HTTP protobuf', template, 'http', false);
  const gzip = await throughputCase('OTLP/HTTP protobuf, gzip', template, 'http-gzip', false);
  const grpc = await throughputCase('OTLP/gRPC', template, 'grpc', false);
  const noRedaction = await throughputCase(
    'OTLP/HTTP protobuf, detectors off',
    template,
    'http',
    true,
  );
  const latencies = await openLoopLatencies(template, http.spansPerSecond / 2);

  const expected = REQUESTS * SPANS_PER_REQUEST;
  console.log('| case | spans/s | vs decode baseline | peak RSS (MiB) | stored spans |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| protobuf decode only (baseline) | ${Math.round(baseline)} | 1.00 | | |`);
  for (const result of [http, gzip, grpc, noRedaction]) {
    const ok = result.storedSpans === expected ? '' : ` (expected ${expected})`;
    console.log(
      `| ${result.name} | ${Math.round(result.spansPerSecond)} | ${(result.spansPerSecond / baseline).toFixed(2)} | ${result.peakRssMiB.toFixed(0)} | ${result.storedSpans}${ok} |`,
    );
  }
  console.log('');
  console.log(`gzip / plain: ${(gzip.spansPerSecond / http.spansPerSecond).toFixed(2)}`);
  console.log(`gRPC / HTTP: ${(grpc.spansPerSecond / http.spansPerSecond).toFixed(2)}`);
  console.log(
    `redaction on / detectors off: ${(http.spansPerSecond / noRedaction.spansPerSecond).toFixed(2)}`,
  );
  console.log(
    `acknowledgement latency at half load (${Math.round(http.spansPerSecond / 2)} spans/s, ${latencies.length} requests): ` +
      `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
  );
}

await main();
