import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The time source of one demo request. Live requests read the wall clock and
 * really wait. Simulated requests start at a point in the past and advance by
 * the latencies the mock provider reports, so backfill runs in seconds.
 */
export interface RequestClock {
  readonly simulated: boolean;
  /** The current time in Unix milliseconds, possibly fractional. */
  nowMs(): number;
  /** Ends a remote call: live returns the wall clock; simulated advances by the reported latency. */
  afterCall(reportedLatencyMs: number): number;
  /** Spends time on local work: live sleeps; simulated advances. Returns the new time. */
  work(durationMs: number): Promise<number>;
}

export function createLiveClock(): RequestClock {
  const nowMs = (): number => performance.timeOrigin + performance.now();
  return {
    simulated: false,
    nowMs,
    afterCall: () => nowMs(),
    work: async (durationMs) => {
      await sleep(durationMs);
      return nowMs();
    },
  };
}

export function createSimulatedClock(startUnixMs: number): RequestClock {
  let currentMs = startUnixMs;
  const advance = (durationMs: number): number => {
    currentMs += Math.max(0, durationMs);
    return currentMs;
  };
  return {
    simulated: true,
    nowMs: () => currentMs,
    afterCall: advance,
    work: (durationMs) => Promise.resolve(advance(durationMs)),
  };
}
