import { InvalidRequestError } from '../errors.ts';
import type { TimeWindow } from '../store/store.ts';

/** One hour past `now`, so spans whose clocks run slightly ahead are re-priced too. */
const FUTURE_SLACK_MS = 3_600_000;

/**
 * Parses the window of a re-price: RFC 3339 times, YYYY-MM-DD days or Unix
 * milliseconds. Without `from` every stored span up to `to` is re-priced, and
 * `to` defaults to an hour past `nowMs`.
 */
export function parseRepriceWindow(
  from: string | number | undefined,
  to: string | number | undefined,
  nowMs: number,
): TimeWindow {
  const fromUnixMs = from === undefined ? 0 : parseTime('from', from);
  const toUnixMs = to === undefined ? nowMs + FUTURE_SLACK_MS : parseTime('to', to);
  if (toUnixMs <= fromUnixMs) {
    throw new InvalidRequestError(
      `"to" (${new Date(toUnixMs).toISOString()}) must be after "from" (${new Date(fromUnixMs).toISOString()})`,
    );
  }
  return { fromUnixMs, toUnixMs };
}

function parseTime(name: string, value: string | number): number {
  const parsed =
    typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new InvalidRequestError(
      `"${name}" has the invalid value ${JSON.stringify(value)}; use an RFC 3339 time, a day such as 2026-03-01, or Unix milliseconds`,
    );
  }
  return parsed;
}
