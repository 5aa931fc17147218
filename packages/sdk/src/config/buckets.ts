/**
 * Duration thresholds of Foghorn's default alarms, in seconds: p95 time to first
 * token above 5 s (`ttft-p95-high`), the latency SLO counting calls slower than
 * 8 s (`latency-slo-fast-burn`) and p95 latency above 15 s (`latency-p95-high`).
 * Each one is a bucket boundary, so `histogram_quantile` and slow-call ratios
 * at a threshold are exact instead of interpolated.
 */
export const FOGHORN_ALARM_THRESHOLDS_SECONDS: readonly number[] = Object.freeze([5, 8, 15]);

/**
 * Bucket boundaries in seconds for LLM call durations and time to first chunk.
 * The SDK's default boundaries (0, 5, 10, 25 ... ms read as seconds) put every
 * call under 5 s in one bucket. These are 0.1 s apart from 0.5 to 1 s, 0.2 to
 * 0.5 s apart up to 5 s and 1 s apart up to 10 s, where most LLM calls end,
 * and reach 300 s for long generations.
 */
export const GENAI_DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze(
  mergeBoundaries(
    [
      0.01, 0.02, 0.04, 0.08, 0.16, 0.25, 0.32, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.2, 1.4, 1.6, 1.8,
      2, 2.5, 3, 3.5, 4, 4.5, 6, 7, 9, 10, 12, 20, 30, 45, 60, 90, 120, 180, 300,
    ],
    FOGHORN_ALARM_THRESHOLDS_SECONDS,
  ),
);

/** Bucket boundaries for token counts per call: powers of 4 from 1 to 4^13 (67,108,864). */
export const GENAI_TOKEN_BUCKETS: readonly number[] = Object.freeze(
  Array.from({ length: 14 }, (_, exponent) => 4 ** exponent),
);

function mergeBoundaries(base: readonly number[], extra: readonly number[]): number[] {
  return [...new Set([...base, ...extra])].sort((a, b) => a - b);
}
