import { createRandom, hashSeed } from '../random.ts';
import { createSimulatedClock } from './clock.ts';
import { incidentEffects } from './incidents.ts';
import type { RunRequest } from './request-runner.ts';
import type { Telemetry } from './telemetry.ts';
import type { PlannedRequest } from './traffic.ts';
import { TENANTS, drawArrivals, planRequest } from './traffic.ts';

/** Requests per minute across all tenants at the daily peak; about 3,000 spans per hour of history. */
export const BACKFILL_PEAK_REQUESTS_PER_MINUTE = 18;
/** Simulated requests in flight at once; the mock responds to them without waiting. */
const BACKFILL_CONCURRENCY = 16;
/** The exporters are flushed after every this many requests, so queues stay far below their limit. */
export const BACKFILL_FLUSH_EVERY_REQUESTS = 400;
/** History ends this long before the backfill starts, so no simulated span ends in the future. */
const BACKFILL_END_MARGIN_MS = 60_000;

export interface BackfillOptions {
  runRequest: RunRequest;
  telemetry: Telemetry;
}

/** Plans the history deterministically from the seed; times are relative to `nowUnixMs`. */
export function planBackfill(
  seed: number,
  backfillHours: number,
  nowUnixMs: number,
): PlannedRequest[] {
  const random = createRandom(hashSeed(seed, 'backfill'));
  const toUnixMs = nowUnixMs - BACKFILL_END_MARGIN_MS;
  const fromUnixMs = toUnixMs - backfillHours * 3_600_000;
  const arrivals = drawArrivals(random, fromUnixMs, toUnixMs, BACKFILL_PEAK_REQUESTS_PER_MINUTE);
  return arrivals.map((startUnixMs, index) =>
    planRequest(random, `${seed}:backfill:${index}`, startUnixMs, TENANTS),
  );
}

/**
 * Runs the planned history with simulated clocks. After every
 * `BACKFILL_FLUSH_EVERY_REQUESTS` requests, the worker that crossed the mark
 * flushes the exporters before it continues, which bounds the span queues
 * while the other workers keep going.
 */
export async function runBackfill(
  planned: readonly PlannedRequest[],
  options: BackfillOptions,
): Promise<void> {
  const effects = incidentEffects(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < planned.length) {
      const request = planned[next] as PlannedRequest;
      next += 1;
      await options.runRequest(request, createSimulatedClock(request.startUnixMs), effects);
      if (next % BACKFILL_FLUSH_EVERY_REQUESTS === 0) await options.telemetry.forceFlush();
    }
  };
  const workerCount = Math.min(BACKFILL_CONCURRENCY, planned.length);
  await Promise.all(Array.from({ length: workerCount }, worker));
  await options.telemetry.forceFlush();
}
