/**
 * Compares `foghorn` with one peer at a time inside one process. The main
 * bench (`sdk-bench.ts`) runs each variant in a child process of its own, and
 * the load of the machine moves from child to child by more than the
 * difference between `foghorn` and Traceloop.
 *
 * A child runs three clients of three copies of `openai`: a plain one, one
 * instrumented by Foghorn and one instrumented by the peer. The copies load in
 * that order, so a peer that patches every later copy of `openai` (through its
 * `require` hook) patches only its own. Foghorn runs with `registerGlobal:
 * false`, and the peer registers the OTel globals as it would in an app. The
 * child times one round of each client in turn, in an order that cycles
 * through all six orders of the three, and reports the median of the per-set
 * differences with a 95 % confidence interval. The interval covers the noise
 * within one child only; children of the same code differ by more, so compare
 * several runs. A child fails when a client did not export one span per call
 * or Foghorn's metrics did not count every call.
 *
 * Run: npx tsx bench/sdk/head-to-head.ts [--peers=traceloop-node-server-sdk,...]
 *   [--foghorn=foghorn-spans-only] [--rounds=150] [--calls=200] [--warmup-rounds=40]
 */
import { fileURLToPath } from 'node:url';
import type OpenAI from 'openai';
import {
  isChild,
  machineLine,
  namesArgument,
  numberArgument,
  reportAndExit,
  runChildProcess,
} from './child-runs.ts';
import { collectGarbage, timeRound } from './paired-rounds.ts';
import { ensurePeersInstalled } from './peers.ts';
import { loadAverageText } from './report.ts';
import { median, medianInterval } from './statistics.ts';
import {
  createPlainClient,
  instrumentVariant,
  type InstrumentedClient,
  type VariantName,
} from './variants.ts';

const PEERS = [
  'traceloop-node-server-sdk',
  'traceloop-instrumentation-openai',
  'otel-instrumentation-openai',
] as const satisfies readonly VariantName[];
type Peer = (typeof PEERS)[number];

/** The Foghorn variants a child can run against the peer. */
const FOGHORN_VARIANTS = [
  'foghorn',
  'foghorn-spans-only',
] as const satisfies readonly VariantName[];
type FoghornVariant = (typeof FOGHORN_VARIANTS)[number];

interface Options {
  foghorn: FoghornVariant;
  peers: Peer[];
  rounds: number;
  calls: number;
  warmupRounds: number;
}

/** One child's figures: medians over the sets of rounds, in CPU µs per call. */
interface HeadToHeadReport {
  foghorn: FoghornVariant;
  peer: Peer;
  mode: 'json' | 'stream';
  sets: number;
  plainUs: number;
  foghornAdded: Estimate;
  peerAdded: Estimate;
  /** `foghorn` minus the peer, per set of rounds; negative when `foghorn` adds less. */
  foghornMinusPeer: Estimate;
  spansPerCall: { foghorn: number; peer: number };
  /** Calls in Foghorn's duration histogram per measured call: 1 with metrics on, 0 without. */
  foghornMetricCallsPerCall: number;
}

interface Estimate {
  median: number;
  low: number;
  high: number;
}

function foghornArgument(): FoghornVariant {
  const argument = process.argv.find((entry) => entry.startsWith('--foghorn='));
  const name = argument === undefined ? 'foghorn' : argument.slice('--foghorn='.length);
  if (!(FOGHORN_VARIANTS as readonly string[]).includes(name))
    throw new Error(
      `--foghorn is ${name}, which is unknown; choose from ${FOGHORN_VARIANTS.join(', ')}`,
    );
  return name as FoghornVariant;
}

function readOptions(): Options {
  return {
    foghorn: foghornArgument(),
    peers: namesArgument('peers', PEERS),
    rounds: numberArgument('rounds', 150),
    calls: numberArgument('calls', 200),
    warmupRounds: numberArgument('warmup-rounds', 40),
  };
}

/** The six orders of three clients; set `n` runs its rounds in order `n % 6`. */
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2],
] as const;

function estimate(values: readonly number[]): Estimate {
  const [low, high] = medianInterval(values);
  return { median: median(values), low, high };
}

/** Times `sets` sets of one round per client and returns each client's round times. */
async function timeSets(
  clients: readonly OpenAI[],
  sets: number,
  calls: number,
  stream: boolean,
): Promise<number[][]> {
  const times: number[][] = clients.map(() => []);
  for (let set = 0; set < sets; set++) {
    for (const index of ORDERS[set % ORDERS.length]!)
      times[index]!.push(await timeRound(clients[index]!, calls, stream));
  }
  return times;
}

async function runAsChild(options: Options): Promise<HeadToHeadReport> {
  const peer = process.argv.find((entry) => entry.startsWith('--child='))!.split('=')[1] as Peer;
  const stream = process.argv.includes('--stream=true');
  const plain = createPlainClient();
  const foghorn = await instrumentVariant(options.foghorn, false);
  const theirs: InstrumentedClient = await instrumentVariant(peer);
  const clients = [plain, foghorn.client, theirs.client];

  await timeSets(clients, options.warmupRounds, options.calls, stream);
  collectGarbage();
  await Promise.all([foghorn.flush(), theirs.flush()]);
  const spansBefore = { foghorn: foghorn.spans.spanCount, peer: theirs.spans.spanCount };
  const metricCallsBefore = (await foghorn.recordedCalls?.()) ?? 0;
  const [plainUs, foghornUs, peerUs] = await timeSets(
    clients,
    options.rounds,
    options.calls,
    stream,
  );
  await Promise.all([foghorn.flush(), theirs.flush()]);

  const measuredCalls = options.rounds * options.calls;
  const metricCalls = ((await foghorn.recordedCalls?.()) ?? 0) - metricCallsBefore;
  const spansPerCall = {
    foghorn: (foghorn.spans.spanCount - spansBefore.foghorn) / measuredCalls,
    peer: (theirs.spans.spanCount - spansBefore.peer) / measuredCalls,
  };
  checkRecording(options.foghorn, peer, spansPerCall, metricCalls / measuredCalls);
  return {
    foghorn: options.foghorn,
    peer,
    mode: stream ? 'stream' : 'json',
    sets: options.rounds,
    plainUs: median(plainUs!),
    foghornAdded: estimate(foghornUs!.map((value, set) => value - plainUs![set]!)),
    peerAdded: estimate(peerUs!.map((value, set) => value - plainUs![set]!)),
    foghornMinusPeer: estimate(foghornUs!.map((value, set) => value - peerUs![set]!)),
    spansPerCall,
    foghornMetricCallsPerCall: metricCalls / measuredCalls,
  };
}

/**
 * Throws unless each instrumented client exported exactly one span per call
 * and Foghorn's duration histogram counted every call (none without metrics).
 * A peer whose patch also reached the plain client would export two.
 */
function checkRecording(
  variant: FoghornVariant,
  peer: Peer,
  spansPerCall: { foghorn: number; peer: number },
  metricCallsPerCall: number,
): void {
  const expectedMetricCalls = variant === 'foghorn-spans-only' ? 0 : 1;
  const problems = [
    spansPerCall.foghorn === 1 ? '' : `${variant} exported ${spansPerCall.foghorn} spans per call`,
    spansPerCall.peer === 1 ? '' : `${peer} exported ${spansPerCall.peer} spans per call`,
    metricCallsPerCall === expectedMetricCalls
      ? ''
      : `${variant} counted ${metricCallsPerCall} calls per call in gen_ai.client.operation.duration, expected ${expectedMetricCalls}`,
  ].filter((problem) => problem !== '');
  if (problems.length > 0) throw new Error(`the measurement is invalid: ${problems.join('; ')}`);
}

function runChild(peer: Peer, stream: boolean, options: Options): Promise<HeadToHeadReport> {
  return runChildProcess<HeadToHeadReport>(fileURLToPath(import.meta.url), [
    `--child=${peer}`,
    `--stream=${stream}`,
    `--foghorn=${options.foghorn}`,
    `--rounds=${options.rounds}`,
    `--calls=${options.calls}`,
    `--warmup-rounds=${options.warmupRounds}`,
  ]);
}

function formatEstimate(value: Estimate): string {
  return `${value.median.toFixed(1)} (${value.low.toFixed(1)} to ${value.high.toFixed(1)})`;
}

function printReports(reports: readonly HeadToHeadReport[]): void {
  console.log(
    '| mode | foghorn variant | peer | plain µs CPU/call | foghorn added | peer added | foghorn minus peer | spans/call (foghorn, peer) | foghorn metric calls/call |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
  for (const report of reports) {
    const cells = [
      report.mode,
      report.foghorn,
      report.peer,
      report.plainUs.toFixed(1),
      formatEstimate(report.foghornAdded),
      formatEstimate(report.peerAdded),
      formatEstimate(report.foghornMinusPeer),
      `${report.spansPerCall.foghorn.toFixed(2)}, ${report.spansPerCall.peer.toFixed(2)}`,
      report.foghornMetricCallsPerCall.toFixed(2),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  if (isChild()) reportAndExit(await runAsChild(options));
  if (options.peers.includes('traceloop-node-server-sdk')) ensurePeersInstalled();
  const startLoad = loadAverageText();
  const startedMs = performance.now();
  const reports: HeadToHeadReport[] = [];
  for (const stream of [false, true]) {
    for (const peer of options.peers) reports.push(await runChild(peer, stream, options));
  }
  console.log(machineLine(startLoad, startedMs));
  console.log(
    `per child ${options.warmupRounds} warm-up and ${options.rounds} measured sets of one round of ${options.calls} calls per client; medians over the sets, with 95 % confidence intervals of the median\n`,
  );
  printReports(reports);
}

await main();
