/**
 * Measures the time an instrumentation adds to one `openai` chat completion
 * call, without network: the client gets a `fetch` that responds in-process
 * with a canned response (JSON, or an SSE stream of 11 chunks with usage).
 *
 * Each variant runs in its own child process, because the peers patch the
 * `openai` module. In each child, rounds of calls alternate between a plain
 * client (the ESM build of `openai`, which no variant touches) and the
 * variant's client (the CommonJS build, instrumented), so both share the
 * process, the heap and the JIT state. The added time is the difference of the
 * two medians of the per-call CPU time over the rounds. Every round runs inside
 * an active OTel context, as calls made while a host handles a request do, so
 * the AsyncLocalStorage cost of context propagation is in both columns. Every variant exports
 * spans through a BatchSpanProcessor to an exporter that discards them, and
 * records metrics into a MeterProvider whose reader never exports during the run.
 * The `uninstrumented` row compares the two plain builds and shows the noise.
 *
 * `--baseline-sdk=<dir>/packages/sdk/src/index.ts` runs the `foghorn` and
 * `foghorn-spans-only` variants a second time, right after the current ones,
 * with an older copy of the SDK (its folder needs a `node_modules` that
 * resolves the SDK's dependencies, such as a link to this repository's).
 * A baseline copy gets a built metric reader, because older versions have no
 * metric producer.
 *
 * Run: npx tsx bench/sdk/sdk-bench.ts [--rounds=15] [--calls=400] [--baseline-sdk=<path>]
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, context, createContextKey } from '@opentelemetry/api';
import OpenAI from 'openai';
import { cannedFetch } from './canned-fetch.ts';
import { createVariant, VARIANT_NAMES, type VariantName } from './variants.ts';

interface VariantReport {
  variant: VariantName;
  /** `baseline` when the child ran the SDK copy given by `--baseline-sdk`. */
  sdk: 'current' | 'baseline';
  mode: 'json' | 'stream';
  plainUs: number;
  instrumentedUs: number;
  spansPerCall: number;
}

const PARAMS = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'You are the support assistant of an online shop.' },
    { role: 'user' as const, content: 'Where is my order A-1042?' },
  ],
  max_tokens: 200,
};

function numberArgument(name: string, fallback: number): number {
  const argument = process.argv.find((entry) => entry.startsWith(`--${name}=`));
  const value = argument === undefined ? fallback : Number(argument.split('=')[1]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive integer, got ${argument}`);
  return value;
}

/** Returns the value of `--name=value` as an absolute path, or '' when the argument is absent. */
function stringArgument(name: string): string {
  const argument = process.argv.find((entry) => entry.startsWith(`--${name}=`));
  return argument === undefined ? '' : path.resolve(argument.slice(name.length + 3));
}

/** Variants that `--baseline-sdk` runs a second time with the older SDK, right after the current one. */
const BASELINE_VARIANTS: ReadonlySet<VariantName> = new Set(['foghorn', 'foghorn-spans-only']);

async function callOnce(client: OpenAI, stream: boolean): Promise<void> {
  if (!stream) {
    await client.chat.completions.create(PARAMS);
    return;
  }
  const chunks = await client.chat.completions.create({
    ...PARAMS,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _chunk of chunks) {
    // Consumes the stream as an application would.
  }
}

/** The context of the host's request handling, as an HTTP server instrumentation would set it. */
const HOST_CONTEXT = ROOT_CONTEXT.setValue(createContextKey('bench.host.request'), 'GET /support');

/**
 * Runs `calls` sequential calls inside the host context and returns the mean
 * CPU time (user and system) per call in microseconds. CPU time of this
 * process is less disturbed than wall time by other processes on the machine.
 */
async function timeRound(client: OpenAI, calls: number, stream: boolean): Promise<number> {
  const start = process.cpuUsage();
  await context.with(HOST_CONTEXT, async () => {
    for (let i = 0; i < calls; i++) await callOnce(client, stream);
  });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measureMode(
  variant: VariantName,
  stream: boolean,
  rounds: number,
  calls: number,
): Promise<VariantReport> {
  const plain = new OpenAI({
    apiKey: 'sk-bench',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: cannedFetch,
  });
  const setup = await createVariant(variant);
  for (let i = 0; i < 3; i++) {
    await timeRound(plain, calls, stream);
    await timeRound(setup.client, calls, stream);
  }
  await setup.flush();
  const spansBefore = setup.spans.spanCount;
  const plainUs: number[] = [];
  const instrumentedUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    plainUs.push(await timeRound(plain, calls, stream));
    instrumentedUs.push(await timeRound(setup.client, calls, stream));
  }
  await setup.flush();
  return {
    variant,
    sdk: process.env.FOGHORN_BENCH_BASELINE_SDK ? 'baseline' : 'current',
    mode: stream ? 'stream' : 'json',
    plainUs: median(plainUs),
    instrumentedUs: median(instrumentedUs),
    spansPerCall: (setup.spans.spanCount - spansBefore) / (rounds * calls),
  };
}

async function runChild(
  variant: VariantName,
  stream: boolean,
  rounds: number,
  calls: number,
  baselineSdk = '',
): Promise<VariantReport> {
  const child = fork(
    fileURLToPath(import.meta.url),
    [`--child=${variant}`, `--stream=${stream}`, `--rounds=${rounds}`, `--calls=${calls}`],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, FOGHORN_BENCH_BASELINE_SDK: baselineSdk },
    },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as VariantReport));
    child.once('exit', (code) =>
      reject(new Error(`the ${variant} child exited with code ${code} before reporting`)),
    );
  });
}

function printTable(reports: VariantReport[]): void {
  const loadAverage = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  console.log(
    `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs, load average ${loadAverage}`,
  );
  console.log(
    '| variant | sdk | mode | plain µs CPU/call | instrumented µs CPU/call | added µs/call | spans/call |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|');
  for (const report of reports) {
    const added = report.instrumentedUs - report.plainUs;
    const cells = [
      report.variant,
      report.sdk,
      report.mode,
      report.plainUs.toFixed(1),
      report.instrumentedUs.toFixed(1),
      added.toFixed(1),
      report.spansPerCall.toFixed(2),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  const rounds = numberArgument('rounds', 15);
  const calls = numberArgument('calls', 400);
  const childArgument = process.argv.find((entry) => entry.startsWith('--child='));
  if (childArgument !== undefined) {
    const variant = childArgument.split('=')[1] as VariantName;
    const stream = process.argv.includes('--stream=true');
    process.send!(await measureMode(variant, stream, rounds, calls));
    process.exit(0);
  }
  const baselineSdk = stringArgument('baseline-sdk');
  const reports: VariantReport[] = [];
  for (const stream of [false, true]) {
    for (const variant of VARIANT_NAMES) {
      reports.push(await runChild(variant, stream, rounds, calls));
      if (baselineSdk !== '' && BASELINE_VARIANTS.has(variant))
        reports.push(await runChild(variant, stream, rounds, calls, baselineSdk));
    }
  }
  printTable(reports);
}

await main();
