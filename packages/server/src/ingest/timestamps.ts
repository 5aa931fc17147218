import type { OtlpSpan, OtlpSpanEvent } from './otlp/otlp-model.ts';

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

/** Returns the issue and factor of the coarser unit `time` was sent in; null for nanoseconds or 0. */
export function wrongUnitOf(time: bigint): [issue: string, factor: bigint] | null {
  if (time >= MIN_PLAUSIBLE_NS || time <= 0n) return null;
  for (const [issue, factor, min] of WRONG_UNITS) {
    if (time >= min) return [issue, factor];
  }
  return null;
}

/** Scales the times of a span sent in a coarser unit, events included, and returns the issue. */
function fixUnits(span: OtlpSpan): string | null {
  const wrongUnit = wrongUnitOf(span.startTimeUnixNano);
  if (wrongUnit === null) return null;
  const [issue, factor] = wrongUnit;
  span.startTimeUnixNano *= factor;
  span.endTimeUnixNano *= factor;
  // Events may use another unit than their span, so each is scaled by its own.
  span.events = mapEventTimes(span.events, (time) => {
    const eventUnit = wrongUnitOf(time);
    return eventUnit === null ? time : time * eventUnit[1];
  });
  return issue;
}

/**
 * Returns the time of a log record: its own time, else its observed time, else the receive
 * time, scaled to nanoseconds when sent in a coarser unit. A time more than the allowed skew
 * in the future becomes the observed time, or the receive time when that is in the future too.
 * The issue names the correction, or is null.
 */
export function correctLogTime(
  timeUnixNano: bigint,
  observedTimeUnixNano: bigint,
  receivedAtUnixNano: bigint,
): { timeUnixNano: bigint; issue: string | null } {
  const futureLimit = receivedAtUnixNano + MAX_FUTURE_SKEW_NS;
  const time = timeUnixNano > 0n ? timeUnixNano : observedTimeUnixNano;
  if (time <= 0n) return { timeUnixNano: receivedAtUnixNano, issue: null };
  const wrongUnit = wrongUnitOf(time);
  const scaled = wrongUnit === null ? time : time * wrongUnit[1];
  if (scaled > futureLimit) {
    const observedIsPlausible =
      observedTimeUnixNano >= MIN_PLAUSIBLE_NS && observedTimeUnixNano <= futureLimit;
    return {
      timeUnixNano: observedIsPlausible ? observedTimeUnixNano : receivedAtUnixNano,
      issue: 'time_in_future',
    };
  }
  return { timeUnixNano: scaled, issue: wrongUnit === null ? null : wrongUnit[0] };
}

function mapEventTimes(
  events: OtlpSpanEvent[],
  map: (timeUnixNano: bigint) => bigint,
): OtlpSpanEvent[] {
  if (events.length === 0) return events;
  return events.map((event) => {
    const timeUnixNano = map(event.timeUnixNano);
    return timeUnixNano === event.timeUnixNano ? event : { ...event, timeUnixNano };
  });
}

/**
 * Corrects impossible times before the span is read, so that no span is stored at 1970 or
 * 2100 and the time to first token is measured from the corrected start. The corrections go
 * into `span.timeIssues`.
 * - A zero start takes the end time, or the receive time.
 * - Times sent in micro-, milli- or seconds are scaled to nanoseconds, event times too.
 * - A start in the future moves to the receive time with its duration, and events in the
 *   future move with it.
 * - A later end in the future becomes the receive time, and an end before the start the start.
 */
export function correctSpanTimes(span: OtlpSpan, receivedAtUnixNano: bigint): void {
  const issues: string[] = [];
  if (span.startTimeUnixNano <= 0n) {
    span.startTimeUnixNano = span.endTimeUnixNano > 0n ? span.endTimeUnixNano : receivedAtUnixNano;
    if (span.endTimeUnixNano <= 0n) span.endTimeUnixNano = span.startTimeUnixNano;
    issues.push('start_time_zero');
  }
  const unitIssue = fixUnits(span);
  if (unitIssue !== null) issues.push(unitIssue);

  const futureLimit = receivedAtUnixNano + MAX_FUTURE_SKEW_NS;
  if (span.startTimeUnixNano > futureLimit) {
    // A duration longer than the time since 1970 is not a measurement, and would move the start below 0.
    const durationNs =
      span.endTimeUnixNano > span.startTimeUnixNano &&
      span.endTimeUnixNano - span.startTimeUnixNano <= receivedAtUnixNano
        ? span.endTimeUnixNano - span.startTimeUnixNano
        : 0n;
    const shiftNs = receivedAtUnixNano - durationNs - span.startTimeUnixNano;
    span.events = mapEventTimes(span.events, (time) =>
      time > futureLimit && time + shiftNs >= 0n ? time + shiftNs : time,
    );
    span.senderStartTimeUnixNano = span.startTimeUnixNano;
    span.endTimeUnixNano = receivedAtUnixNano;
    span.startTimeUnixNano = receivedAtUnixNano - durationNs;
    issues.push('start_time_in_future');
  }
  if (span.endTimeUnixNano > futureLimit) {
    // The exporter sent the span by the receive time, so the span ended by then.
    span.endTimeUnixNano =
      span.startTimeUnixNano > receivedAtUnixNano ? span.startTimeUnixNano : receivedAtUnixNano;
    issues.push('end_time_in_future');
  }
  if (span.endTimeUnixNano < span.startTimeUnixNano) {
    span.endTimeUnixNano = span.startTimeUnixNano;
    issues.push('end_before_start');
  }
  if (issues.length > 0) span.timeIssues = issues;
}

export function unixNanoFromMs(unixMs: number): bigint {
  return BigInt(Math.round(unixMs)) * NANOS_PER_MS;
}
