import type { Labels } from './labels.ts';

/** Labels that the dashboard reads as filters from its URL. */
const FILTER_LABELS = ['service', 'environment', 'model', 'provider', 'tenant', 'feature'] as const;
const MIN_LOOKBACK_MS = 3_600_000;
const AFTER_RESOLVE_MS = 15 * 60_000;

export interface DeepLinkInput {
  publicUrl: string;
  panel: string;
  labels: Labels;
  /** When the condition first held. */
  activeAtMs: number;
  resolvedAtMs: number | null;
  nowMs: number;
  /** The rule's longest window; the link shows at least three of them before the alert. */
  windowMs: number;
}

/**
 * Builds `<public-url>/?from=<ms>&to=<ms>&panel=<id>&model=...`: the dashboard's
 * URL state, starting well before the alert and ending at its resolution (plus a
 * margin) or now.
 */
export function buildDeepLink(input: DeepLinkInput): string {
  const lookbackMs = Math.max(MIN_LOOKBACK_MS, 3 * input.windowMs);
  const fromMs = input.activeAtMs - lookbackMs;
  const toMs =
    input.resolvedAtMs === null
      ? input.nowMs
      : Math.min(input.nowMs, input.resolvedAtMs + AFTER_RESOLVE_MS);
  const params = new URLSearchParams();
  params.set('from', String(fromMs));
  params.set('to', String(Math.max(toMs, fromMs + 1)));
  params.set('panel', input.panel);
  for (const name of FILTER_LABELS) {
    const value = input.labels[name];
    if (value !== undefined && value !== '') params.set(name, value);
  }
  return `${input.publicUrl.replace(/\/+$/, '')}/?${params.toString()}`;
}
