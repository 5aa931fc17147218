/** One long/short window pair of the multi-window, multi-burn-rate table for a 30-day objective. */
export interface BurnWindowPair {
  longMs: number;
  shortMs: number;
  /** Burn rate both windows must exceed: the budget share consumed times 720 h divided by the long window. */
  factor: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The recommended pairs for a 30-day objective: page on 2 % of the budget in 1 h
 * or 5 % in 6 h, ticket on 10 % in 1 d or in 3 d. The short window is 1/12 of the
 * long one so the alert stops soon after the burn stops.
 */
export const BURN_WINDOW_SETS: Readonly<Record<'page' | 'ticket', readonly BurnWindowPair[]>> = {
  page: [
    { longMs: HOUR_MS, shortMs: 5 * MINUTE_MS, factor: 14.4 },
    { longMs: 6 * HOUR_MS, shortMs: 30 * MINUTE_MS, factor: 6 },
  ],
  ticket: [
    { longMs: 24 * HOUR_MS, shortMs: 2 * HOUR_MS, factor: 3 },
    { longMs: 72 * HOUR_MS, shortMs: 6 * HOUR_MS, factor: 1 },
  ],
};
