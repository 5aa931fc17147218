import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom, hashSeed } from '../random.ts';
import { createLiveClock } from './clock.ts';
import type { IncidentEffects } from './incidents.ts';
import type { RunRequest } from './request-runner.ts';
import { planRequest } from './traffic.ts';

/** Live requests beyond this many in flight are skipped, so a hung provider cannot pile them up. */
const MAX_LIVE_IN_FLIGHT = 200;
/** At the end, in-flight requests get this long to finish before they are cancelled. */
export const LIVE_STOP_GRACE_MS = 3_000;

export interface LiveOptions {
  seed: number;
  requestsPerSecond: number;
  durationMs: number | null;
  effects: IncidentEffects;
  runRequest: RunRequest;
}

export interface LiveTraffic {
  /** Resolves when the traffic has ended and every request has settled. */
  finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Sends requests in real time as a Poisson process at `requestsPerSecond`
 * until `durationMs` passes or `stop()` is called.
 */
export function startLiveTraffic(options: LiveOptions): LiveTraffic {
  const stopping = new AbortController();
  const cancelling = new AbortController();
  // Every in-flight model call listens on the shared cancel signal.
  setMaxListeners(MAX_LIVE_IN_FLIGHT * 8, cancelling.signal);
  const inFlight = new Set<Promise<void>>();

  const loop = async (): Promise<void> => {
    const random = createRandom(hashSeed(options.seed, 'live'));
    const meanGapMs = 1000 / options.requestsPerSecond;
    const endUnixMs = options.durationMs === null ? Infinity : Date.now() + options.durationMs;
    for (let index = 0; !stopping.signal.aborted; index += 1) {
      const gapMs = Math.min(random.exponential(meanGapMs), Math.max(0, endUnixMs - Date.now()));
      await sleep(gapMs, undefined, { signal: stopping.signal }).catch(() => {});
      if (stopping.signal.aborted || Date.now() >= endUnixMs) break;
      const planned = planRequest(
        random,
        `${options.seed}:live:${index}`,
        Date.now(),
        options.effects.tenants,
      );
      if (options.effects.silencedFeatures.includes(planned.feature)) continue;
      if (inFlight.size >= MAX_LIVE_IN_FLIGHT) continue;
      const request = options.runRequest(
        planned,
        createLiveClock(),
        options.effects,
        cancelling.signal,
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await settle(inFlight, cancelling);
  };

  const finished = loop();
  return {
    finished,
    stop: async () => {
      stopping.abort();
      await finished;
    },
  };
}

/** Waits for in-flight requests for up to the grace period, then cancels the rest. */
async function settle(inFlight: Set<Promise<void>>, cancelling: AbortController): Promise<void> {
  const all = Promise.allSettled([...inFlight]).then(() => 'settled' as const);
  const graceTimer = new AbortController();
  const graceOver = sleep(LIVE_STOP_GRACE_MS, 'grace-over' as const, {
    signal: graceTimer.signal,
  }).catch(() => 'settled' as const);
  const first = await Promise.race([all, graceOver]);
  graceTimer.abort();
  if (first === 'grace-over') cancelling.abort();
  await all;
}
