import { ROOT_CONTEXT, context, createContextKey } from '@opentelemetry/api';
import type OpenAI from 'openai';
import { median, trimmedMean } from './statistics.ts';

/** Fraction of the paired differences dropped at each end before averaging. */
export const TRIM_FRACTION = 0.1;

export interface PairedResult {
  /** Median CPU µs per call of the plain client over the rounds. */
  plainUs: number;
  /** Median CPU µs per call of the instrumented client over the rounds. */
  instrumentedUs: number;
  /** Trimmed mean of the paired differences (instrumented minus plain), in CPU µs per call. */
  addedUs: number;
}

const PARAMS = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'You are the support assistant of an online shop.' },
    { role: 'user' as const, content: 'Where is my order A-1042?' },
  ],
  max_tokens: 200,
};

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
 * CPU time (user and system) per call in microseconds. The CPU time of this
 * process is less disturbed than wall time by other processes on the machine.
 * The canned responses need no I/O, so the calls alone may never reach the
 * event loop. The round therefore ends with one turn of it, inside the timed
 * region. Exports, timers and the garbage collections V8 runs as tasks then
 * count in the round of the client that scheduled them.
 * Without that turn, `@traceloop/node-server-sdk` exported only 0.64 spans
 * per call, and with it outside the timed region, up to 7 µs of collection
 * per streamed call went untimed.
 */
export async function timeRound(client: OpenAI, calls: number, stream: boolean): Promise<number> {
  const start = process.cpuUsage();
  await context.with(HOST_CONTEXT, async () => {
    for (let i = 0; i < calls; i++) await callOnce(client, stream);
  });
  await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

export interface PairedOptions {
  rounds: number;
  calls: number;
  warmupRounds: number;
  stream: boolean;
}

/**
 * Times short rounds of the two clients in pairs and returns the trimmed mean
 * of the per-pair differences. The client that goes first alternates from pair
 * to pair, so neither always runs right after the other's garbage. One full
 * garbage collection runs after the warm-up, so the warm-up's garbage is not
 * collected inside a measured round; no collection is forced after that.
 */
export async function measurePaired(
  plain: OpenAI,
  instrumented: OpenAI,
  options: PairedOptions,
): Promise<PairedResult> {
  const { rounds, calls, warmupRounds, stream } = options;
  for (let round = 0; round < warmupRounds; round++) {
    await timeRound(plain, calls, stream);
    await timeRound(instrumented, calls, stream);
  }
  collectGarbage();

  const plainUs: number[] = [];
  const instrumentedUs: number[] = [];
  const differencesUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const plainFirst = round % 2 === 0;
    const first = await timeRound(plainFirst ? plain : instrumented, calls, stream);
    const second = await timeRound(plainFirst ? instrumented : plain, calls, stream);
    plainUs.push(plainFirst ? first : second);
    instrumentedUs.push(plainFirst ? second : first);
    differencesUs.push(instrumentedUs.at(-1)! - plainUs.at(-1)!);
  }
  return {
    plainUs: median(plainUs),
    instrumentedUs: median(instrumentedUs),
    addedUs: trimmedMean(differencesUs, TRIM_FRACTION),
  };
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('global gc() is missing; run the child with --expose-gc');
  gc();
}
