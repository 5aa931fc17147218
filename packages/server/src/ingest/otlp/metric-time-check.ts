import { wrongUnitOf } from '../timestamps.ts';
import { describeTimeProblem } from './id-check.ts';

const UNTIMED_PROBLEM =
  'timeUnixNano is missing or 0; set the time of the data point in Unix nanoseconds';

/** 2001-09-09 in Unix nanoseconds. Any time a running exporter stamps in nanoseconds is later. */
const MIN_PLAUSIBLE_UNIX_NANO = 1_000_000_000_000_000_000n;
const MAX_STORED_UNIX_NANO = (1n << 63n) - 1n;

type PointTimes = { startTimeUnixNano: bigint; timeUnixNano: bigint };

/** Scales one time sent in a coarser unit to nanoseconds and returns the warning, or ''. */
function correctUnit(point: PointTimes, field: keyof PointTimes): string {
  const sent = point[field];
  const wrongUnit = wrongUnitOf(sent);
  if (wrongUnit === null) return '';
  const [issue, factor] = wrongUnit;
  // A time scaled past 2262-04-11 fits no nanosecond column, so it stays and is rejected.
  if (sent * factor > MAX_STORED_UNIX_NANO) return '';
  point[field] = sent * factor;
  const unit = issue.slice(0, issue.indexOf('_'));
  return (
    `${field} ${sent} is before 2001-09-09 when read as Unix nanoseconds and looks like Unix ` +
    `${unit}, so Foghorn multiplied it by ${factor}; send times in Unix nanoseconds`
  );
}

/**
 * Scales the times of a data point that were sent in micro-, milli- or seconds to nanoseconds,
 * as the span and log pipelines do, and returns a warning naming the first one, or ''.
 */
export function correctPointTimeUnits(point: PointTimes): string {
  const timeWarning = correctUnit(point, 'timeUnixNano');
  const startWarning = correctUnit(point, 'startTimeUnixNano');
  return timeWarning || startWarning;
}

function describeImplausibleTime(field: keyof PointTimes, unixNano: bigint): string {
  if (unixNano === 0n || unixNano >= MIN_PLAUSIBLE_UNIX_NANO) return '';
  return `${field} ${unixNano} is before 2001-09-09 when read as Unix nanoseconds; send the time in Unix nanoseconds`;
}

/**
 * Returns why the times of a data point cannot be stored, or '' when they can. Call it after
 * `correctPointTimeUnits`. `startTimeUnixNano` may be 0 (unset), but a set one must not be
 * later than `timeUnixNano`.
 */
export function describePointTimeProblem(point: PointTimes): string {
  const { startTimeUnixNano, timeUnixNano } = point;
  if (timeUnixNano === 0n) return UNTIMED_PROBLEM;
  const problem =
    describeTimeProblem('timeUnixNano', timeUnixNano) ||
    describeTimeProblem('startTimeUnixNano', startTimeUnixNano) ||
    describeImplausibleTime('timeUnixNano', timeUnixNano) ||
    describeImplausibleTime('startTimeUnixNano', startTimeUnixNano);
  if (problem !== '' || startTimeUnixNano <= timeUnixNano) return problem;
  return (
    `startTimeUnixNano ${startTimeUnixNano} is after timeUnixNano ${timeUnixNano}; ` +
    'set the start of the interval at or before its end, or 0 when unknown'
  );
}
