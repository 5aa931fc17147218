/**
 * Measures where the resident memory of a `foghorn up` process goes while it
 * takes OTLP/HTTP protobuf requests of 512 GenAI spans at full speed. A
 * preloaded probe (`memory-probe.mjs`) reports the peaks of the V8 heap and of
 * external memory (array buffers such as request bodies) and counts the
 * garbage collections. The parent samples anonymous and file-backed RSS from
 * /proc every 50 ms. Anonymous memory that the V8 heap and external memory do
 * not explain is native: DuckDB, the allocator and libuv.
 *
 * `--baseline=<checkout>` alternates every run with the server of another
 * checkout, such as an older commit's `git worktree` whose `node_modules` links
 * to this repository's, so both sides share the machine's load.
 *
 * `--server-flags="--heap-growing-percent=50"` passes Node and V8 flags to every server.
 *
 * `--gzip` gzips the request bodies.
 *
 * Run: npx tsx bench/ingest/memory-bench.ts [--runs=3] [--requests=120]
 *        [--concurrency=4] [--baseline=<checkout>] [--server-flags="..."] [--gzip]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readIntArg } from './arguments.ts';
import { foghornBinOf, startServerProcess } from './server-process.ts';
import { SPANS_PER_REQUEST, buildTemplate, makeRequest } from './workload.ts';

/** Whether the request bodies are gzipped (`--gzip`). */
const GZIP = process.argv.includes('--gzip');
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));
const SAMPLE_MS = 50;

/** Returns the space-separated Node flags of `--server-flags=...`, such as V8 heap options. */
function readServerFlags(): string[] {
  const raw = process.argv.find((arg) => arg.startsWith('--server-flags='));
  return raw === undefined ? [] : raw.slice('--server-flags='.length).split(' ').filter(Boolean);
}

function readBaseline(): string | null {
  const raw = process.argv.find((arg) => arg.startsWith('--baseline='));
  return raw === undefined ? null : resolve(raw.slice('--baseline='.length));
}

interface ProbeReport {
  peaks: Record<'rss' | 'heapTotal' | 'heapUsed' | 'external' | 'arrayBuffers', number>;
  collections: { minor: number; minorMs: number; major: number; majorMs: number };
}

interface RunResult {
  label: string;
  spansPerSecond: number;
  peakRssMiB: number;
  peakAnonMiB: number;
  fileMiB: number;
  probe: ProbeReport;
}

/** Returns RssAnon and RssFile of a process, in MiB. */
function residentParts(pid: number): { anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { anon: kib('RssAnon') / 1024, file: kib('RssFile') / 1024 };
}

async function runOnce(
  label: string,
  bin: string | undefined,
  bodies: Buffer[],
  concurrency: number,
  serverFlags: string[],
): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-memory-'));
  const probeFile = join(dataDir, 'probe.json');
  const server = await startServerProcess(
    dataDir,
    [],
    ['--import', pathToFileURL(PROBE).href, ...serverFlags],
    { FOGHORN_MEMORY_PROBE_FILE: probeFile },
    bin,
  );
  const pid = server.child.pid!;
  let peakAnonMiB = 0;
  let fileMiB = 0;
  const sampler = setInterval(() => {
    const parts = residentParts(pid);
    peakAnonMiB = Math.max(peakAnonMiB, parts.anon);
    fileMiB = Math.max(fileMiB, parts.file);
  }, SAMPLE_MS);
  try {
    let next = 0;
    const started = performance.now();
    const sendAll = async (): Promise<void> => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${server.otlpUrl}/v1/traces`, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/x-protobuf',
            ...(GZIP ? { 'content-encoding': 'gzip' } : {}),
          },
        });
        await response.arrayBuffer();
        if (response.status !== 200)
          throw new Error(`request failed with status ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sendAll));
    const seconds = (performance.now() - started) / 1000;
    await new Promise((done) => setTimeout(done, 4 * SAMPLE_MS));
    return {
      label,
      spansPerSecond: (bodies.length * SPANS_PER_REQUEST) / seconds,
      peakRssMiB: server.peakRssMiB(),
      peakAnonMiB,
      fileMiB,
      probe: JSON.parse(readFileSync(probeFile, 'utf8')) as ProbeReport,
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printRow(result: RunResult): void {
  const { peaks, collections } = result.probe;
  const native = result.peakAnonMiB - peaks.heapTotal - peaks.external;
  const cells = [
    result.label,
    Math.round(result.spansPerSecond),
    result.peakRssMiB.toFixed(0),
    result.peakAnonMiB.toFixed(0),
    result.fileMiB.toFixed(0),
    peaks.heapTotal.toFixed(0),
    peaks.heapUsed.toFixed(0),
    peaks.external.toFixed(0),
    native.toFixed(0),
    `${collections.minor} (${collections.minorMs.toFixed(0)} ms)`,
    `${collections.major} (${collections.majorMs.toFixed(0)} ms)`,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

async function main(): Promise<void> {
  const runs = readIntArg('runs', 3, 50);
  const requests = readIntArg('requests', 120, 5000);
  const concurrency = readIntArg('concurrency', 4, 64);
  const baseline = readBaseline();
  const serverFlags = readServerFlags();
  const template = buildTemplate();
  const bodies = Array.from({ length: requests }, (_, i) => makeRequest(template, i + 1, GZIP));
  console.log(
    `# ${requests} requests x ${SPANS_PER_REQUEST} spans, ${concurrency} in flight; ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  console.log(
    '# MiB; native = peak anonymous RSS minus the peaks of the V8 heap and of external memory (an estimate: the peaks need not coincide)\n',
  );
  console.log(
    '| server | spans/s | peak RSS | peak anonymous | file-backed | V8 heap total | V8 heap used | external | native | young collections | full collections |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (let run = 0; run < runs; run++) {
    if (baseline !== null)
      printRow(await runOnce('baseline', foghornBinOf(baseline), bodies, concurrency, serverFlags));
    printRow(await runOnce('current', undefined, bodies, concurrency, serverFlags));
  }
}

await main();
