/**
 * Measures the CPU time an instrumentation adds to one `openai` chat
 * completion call, without network: the client gets a `fetch` that responds
 * in-process with a canned response (JSON, or an SSE stream of 11 chunks with
 * usage).
 *
 * Each variant runs in its own child process, because the peers patch the
 * `openai` module. A child loads the CommonJS build of `openai` twice: a plain
 * copy before the variant's instrumentation and a second copy after it. It
 * times short rounds of the two clients in pairs (`paired-rounds.ts`) and
 * reports the trimmed mean of the per-pair differences. Every round runs
 * inside an active OTel context, as calls made while a host handles a request
 * do, so the AsyncLocalStorage cost of context propagation is in both columns.
 * Every variant exports spans through a BatchSpanProcessor to an exporter that
 * discards them. The variants that record metrics record them into a
 * MeterProvider whose reader never exports during the run.
 *
 * The parent runs `--passes` passes. A pass runs one child per variant and
 * mode, in an order rotated by one variant per pass, so the variants take
 * turns (A B C, B C A, ...) and share the machine's load. The table reports
 * the median over the passes and every pass's figure.
 *
 * `--baseline-sdk=<dir>/packages/sdk/src/index.ts` also runs the `foghorn` and
 * `foghorn-spans-only` variants with an older copy of the SDK, right after the
 * current ones in each pass (its folder needs a `node_modules` that resolves
 * the SDK's dependencies, such as a link to this repository's). A baseline
 * copy gets the same reader factory, or a built metric reader when its
 * `init()` rejects a factory (versions from before the metric producer).
 *
 * The `traceloop-node-server-sdk` variant loads `@traceloop/node-server-sdk`
 * from `bench/sdk/peers`, a separate project that the parent installs with
 * `npm ci` on first use.
 *
 * Run: npx tsx bench/sdk/sdk-bench.ts [--passes=3] [--rounds=40] [--calls=100]
 *   [--warmup-rounds=60] [--variants=foghorn,traceloop-instrumentation-openai]
 *   [--baseline-sdk=<path>]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isChild,
  machineLine,
  namesArgument,
  numberArgument,
  reportAndExit,
  runChildProcess,
} from './child-runs.ts';
import { measurePaired, TRIM_FRACTION } from './paired-rounds.ts';
import { loadAverageText, printPeerComparison, printTable, type ChildReport } from './report.ts';
import { ensurePeersInstalled } from './peers.ts';
import { createVariant, VARIANT_NAMES, type VariantName } from './variants.ts';

interface BenchOptions {
  variants: VariantName[];
  passes: number;
  rounds: number;
  calls: number;
  warmupRounds: number;
  baselineSdk: string;
}

/** Returns the value of `--name=value` as an absolute path, or '' when the argument is absent. */
function pathArgument(name: string): string {
  const argument = process.argv.find((entry) => entry.startsWith(`--${name}=`));
  return argument === undefined ? '' : path.resolve(argument.slice(name.length + 3));
}

function readOptions(): BenchOptions {
  return {
    variants: namesArgument('variants', VARIANT_NAMES),
    passes: numberArgument('passes', 3),
    rounds: numberArgument('rounds', 40),
    calls: numberArgument('calls', 100),
    warmupRounds: numberArgument('warmup-rounds', 60),
    baselineSdk: pathArgument('baseline-sdk'),
  };
}

/** Variants that `--baseline-sdk` runs a second time with the older SDK, right after the current one. */
const BASELINE_VARIANTS: ReadonlySet<VariantName> = new Set(['foghorn', 'foghorn-spans-only']);

/** Measures one variant and mode in this process; the parent passes both on the command line. */
async function runAsChild(options: BenchOptions): Promise<ChildReport> {
  const variant = process.argv.find((entry) => entry.startsWith('--child='))!.split('=')[1];
  const stream = process.argv.includes('--stream=true');
  const setup = await createVariant(variant as VariantName);
  await setup.flush();
  const spansBefore = setup.spans.spanCount;
  const result = await measurePaired(setup.plain, setup.client, { ...options, stream });
  await setup.flush();
  return {
    variant: variant as VariantName,
    sdk: process.env.FOGHORN_BENCH_BASELINE_SDK ? 'baseline' : 'current',
    mode: stream ? 'stream' : 'json',
    pass: numberArgument('pass', 1) - 1,
    ...result,
    spansPerCall:
      (setup.spans.spanCount - spansBefore) /
      ((options.rounds + options.warmupRounds) * options.calls),
  };
}

function runChild(
  variant: VariantName,
  stream: boolean,
  pass: number,
  options: BenchOptions,
  baselineSdk = '',
): Promise<ChildReport> {
  return runChildProcess<ChildReport>(
    fileURLToPath(import.meta.url),
    [
      `--child=${variant}`,
      `--stream=${stream}`,
      `--pass=${pass + 1}`,
      `--rounds=${options.rounds}`,
      `--calls=${options.calls}`,
      `--warmup-rounds=${options.warmupRounds}`,
    ],
    { ...process.env, FOGHORN_BENCH_BASELINE_SDK: baselineSdk },
  );
}

/** Returns the variants in the order of one pass: rotated by one place per pass. */
function passOrder(variants: readonly VariantName[], pass: number): VariantName[] {
  const shift = pass % variants.length;
  return [...variants.slice(shift), ...variants.slice(0, shift)];
}

async function runPasses(options: BenchOptions): Promise<ChildReport[]> {
  const reports: ChildReport[] = [];
  for (let pass = 0; pass < options.passes; pass++) {
    for (const stream of [false, true]) {
      for (const variant of passOrder(options.variants, pass)) {
        reports.push(await runChild(variant, stream, pass, options));
        if (options.baselineSdk !== '' && BASELINE_VARIANTS.has(variant))
          reports.push(await runChild(variant, stream, pass, options, options.baselineSdk));
      }
    }
  }
  return reports;
}

async function main(): Promise<void> {
  const options = readOptions();
  if (isChild()) reportAndExit(await runAsChild(options));
  if (options.variants.includes('traceloop-node-server-sdk')) ensurePeersInstalled();
  const startLoad = loadAverageText();
  const startedMs = performance.now();
  const reports = await runPasses(options);
  console.log(machineLine(startLoad, startedMs));
  console.log(
    `${options.passes} passes; per child ${options.warmupRounds} warm-up and ${options.rounds} measured pairs of rounds of ${options.calls} calls; added = mean of the paired differences without the lowest and highest ${TRIM_FRACTION * 100} %\n`,
  );
  printTable(reports);
  printPeerComparison(reports);
}

await main();
