/** Latency percentiles in milliseconds of repeated runs. */
export interface Timing {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function percentile(sortedMs: readonly number[], quantile: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil(quantile * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

/** Runs `task` once to warm up, then `runs` times, and returns nearest-rank percentiles. */
export async function measure(
  runs: number,
  task: (run: number) => Promise<unknown>,
): Promise<Timing> {
  await task(-1);
  const durationsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const startedMs = performance.now();
    await task(run);
    durationsMs.push(performance.now() - startedMs);
  }
  durationsMs.sort((a, b) => a - b);
  return {
    p50Ms: percentile(durationsMs, 0.5),
    p95Ms: percentile(durationsMs, 0.95),
    p99Ms: percentile(durationsMs, 0.99),
  };
}

export function formatMs(valueMs: number): string {
  return valueMs >= 100 ? valueMs.toFixed(0) : valueMs.toFixed(1);
}
