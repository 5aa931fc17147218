import type { CanonicalSpan } from '../semconv/canonical-span.ts';

const NANOS_PER_MS = 1_000_000n;
/** Start times further ahead of the receive time than this are treated as clock errors. */
const MAX_FUTURE_SKEW_NS = 10n * 60n * 1_000_000_000n;
/** 2001-09-09 in nanoseconds: any real start time in nanoseconds is above this. */
const MIN_PLAUSIBLE_NS = 1_000_000_000_000_000_000n;

/** Units a sender may have used by mistake, with the factor to nanoseconds and the lowest plausible raw value. */
const WRONG_UNITS: ReadonlyArray<[issue: string, factor: bigint, min: bigint]> = [
  ['microseconds_as_nanoseconds', 1_000n, 1_000_000_000_000_000n],
  ['milliseconds_as_nanoseconds', 1_000_000n, 1_000_000_000_000n],
  ['seconds_as_nanoseconds', 1_000_000_000n, 1_000_000_000n],
];

function fixUnits(span: CanonicalSpan): void {
  if (span.startTimeUnixNano >= MIN_PLAUSIBLE_NS || span.startTimeUnixNano <= 0n) return;
  for (const [issue, factor, min] of WRONG_UNITS) {
    if (span.startTimeUnixNano >= min) {
      span.startTimeUnixNano *= factor;
      span.endTimeUnixNano *= factor;
      span.ingestIssues.push(issue);
      return;
    }
  }
}

/**
 * Detects and corrects impossible times so a span is never stored at 1970 or
 * 2100: a zero start takes the end time (or the receive time), times sent in
 * micro-, milli- or seconds are scaled to nanoseconds, a start in the future is
 * moved to the receive time keeping its duration, a later end in the future
 * becomes the receive time, and an end before the start becomes the start. Each
 * correction is recorded in `ingestIssues`.
 */
export function checkTimestamps(span: CanonicalSpan, receivedAtUnixNano: bigint): void {
  if (span.startTimeUnixNano <= 0n) {
    span.startTimeUnixNano = span.endTimeUnixNano > 0n ? span.endTimeUnixNano : receivedAtUnixNano;
    if (span.endTimeUnixNano <= 0n) span.endTimeUnixNano = span.startTimeUnixNano;
    span.ingestIssues.push('start_time_zero');
  }
  fixUnits(span);
  if (span.startTimeUnixNano > receivedAtUnixNano + MAX_FUTURE_SKEW_NS) {
    // A duration longer than the time since 1970 is not a measurement, and would move the start below 0.
    const durationNs =
      span.endTimeUnixNano > span.startTimeUnixNano &&
      span.endTimeUnixNano - span.startTimeUnixNano <= receivedAtUnixNano
        ? span.endTimeUnixNano - span.startTimeUnixNano
        : 0n;
    span.endTimeUnixNano = receivedAtUnixNano;
    span.startTimeUnixNano = receivedAtUnixNano - durationNs;
    span.ingestIssues.push('start_time_in_future');
  }
  if (span.endTimeUnixNano > receivedAtUnixNano + MAX_FUTURE_SKEW_NS) {
    // The exporter sent the span by the receive time, so the span ended by then.
    span.endTimeUnixNano =
      span.startTimeUnixNano > receivedAtUnixNano ? span.startTimeUnixNano : receivedAtUnixNano;
    span.ingestIssues.push('end_time_in_future');
  }
  if (span.endTimeUnixNano < span.startTimeUnixNano) {
    span.endTimeUnixNano = span.startTimeUnixNano;
    span.ingestIssues.push('end_before_start');
  }
  span.durationMs = Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
}

export function unixNanoFromMs(unixMs: number): bigint {
  return BigInt(Math.round(unixMs)) * NANOS_PER_MS;
}
