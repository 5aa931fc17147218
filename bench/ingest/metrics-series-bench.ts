/**
 * Measures how long `foghorn up` takes to acknowledge one OTLP/JSON metrics request with many
 * series: a cumulative token counter of `--series` series (the OTel SDKs' default cardinality
 * limit per instrument is 2,000), sent once to set the baseline of every series and then again
 * with higher values. The baseline is a delta request of the same size in the same run, which
 * stores the same points without a series state. It also times a one-point request sent while
 * the second cumulative request is stored. `--baseline=<checkout>` runs another checkout's
 * server after this one's, such as an older commit's `git worktree` whose `node_modules` links
 * to this repository's.
 *
 * Run: npx tsx bench/ingest/metrics-series-bench.ts [--series=2000] [--rounds=3] [--baseline=<checkout>]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readIntArg } from './arguments.ts';
import { foghornBinOf, startServerProcess } from './server-process.ts';

const SERIES = readIntArg('series', 2_000, 100_000);
const ROUNDS = readIntArg('rounds', 3, 50);
const DELTA = 1;
const CUMULATIVE = 2;

function nanos(unixMs: number): string {
  return `${BigInt(unixMs) * 1_000_000n}`;
}

/** Builds a `gen_ai.client.token.usage`-style counter with one point per user. */
function tokenRequest(
  temporality: number,
  startMs: number,
  timeMs: number,
  value: number,
  series: number,
): string {
  const dataPoints = Array.from({ length: series }, (_, index) => ({
    attributes: [
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.token.type', value: { stringValue: 'input' } },
      { key: 'user.id', value: { stringValue: `user-${index}` } },
    ],
    startTimeUnixNano: nanos(startMs),
    timeUnixNano: nanos(timeMs),
    asInt: `${value}`,
  }));
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'series-bench' } }] },
        scopeMetrics: [
          {
            scope: { name: 'series-bench' },
            metrics: [
              {
                name: 'gen_ai.tokens.consumed',
                unit: '{token}',
                sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints },
              },
            ],
          },
        ],
      },
    ],
  });
}

async function post(otlpUrl: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${otlpUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`metrics request failed with ${response.status}`);
  return performance.now() - started;
}

interface RoundResult {
  deltaMs: number;
  firstCumulativeMs: number;
  secondCumulativeMs: number;
  onePointBehindMs: number;
}

async function runRound(bin: string | undefined): Promise<RoundResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-series-bench-'));
  const server = await startServerProcess(dataDir, [], [], {}, bin);
  try {
    const startMs = Date.now() - 60_000;
    const deltaMs = await post(
      server.otlpUrl,
      tokenRequest(DELTA, startMs, startMs + 1_000, 10, SERIES),
    );
    const firstCumulativeMs = await post(
      server.otlpUrl,
      tokenRequest(CUMULATIVE, startMs, startMs + 2_000, 10, SERIES),
    );
    const second = post(
      server.otlpUrl,
      tokenRequest(CUMULATIVE, startMs, startMs + 3_000, 25, SERIES),
    );
    // The one-point request is a series of its own, sent once the large one is on its way.
    await new Promise((resolveSoon) => setTimeout(resolveSoon, 5));
    const onePoint = post(server.otlpUrl, tokenRequest(DELTA, startMs, startMs + 3_000, 1, 1));
    const [secondCumulativeMs, onePointBehindMs] = await Promise.all([second, onePoint]);
    return { deltaMs, firstCumulativeMs, secondCumulativeMs, onePointBehindMs };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function readBaseline(): string | null {
  const raw = process.argv.find((arg) => arg.startsWith('--baseline='));
  return raw === undefined ? null : resolve(raw.slice('--baseline='.length));
}

const baseline = readBaseline();
const servers: [label: string, bin: string | undefined][] = [['current', undefined]];
if (baseline !== null) servers.push(['baseline', foghornBinOf(baseline)]);

console.log(`# one request of ${SERIES} series, ${ROUNDS} rounds, times in ms`);
console.log(
  '| server | delta | first cumulative | second cumulative | second / delta | one point sent behind it |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, bin] of servers) {
    const result = await runRound(bin);
    console.log(
      `| ${label} | ${result.deltaMs.toFixed(0)} | ${result.firstCumulativeMs.toFixed(0)} | ` +
        `${result.secondCumulativeMs.toFixed(0)} | ${(result.secondCumulativeMs / result.deltaMs).toFixed(2)} | ` +
        `${result.onePointBehindMs.toFixed(0)} |`,
    );
  }
}
