/** Auto-refresh choices; `off` disables the timer. */
export const REFRESH_INTERVAL_MS = {
  off: 0,
  '10s': 10_000,
  '30s': 30_000,
  '1m': 60_000,
  '5m': 300_000,
} as const;

export type RefreshInterval = keyof typeof REFRESH_INTERVAL_MS;

export const REFRESH_INTERVALS = Object.keys(REFRESH_INTERVAL_MS) as RefreshInterval[];

export const REFRESH_LABELS: Readonly<Record<RefreshInterval, string>> = {
  off: 'Off',
  '10s': '10 s',
  '30s': '30 s',
  '1m': '1 min',
  '5m': '5 min',
};

export function isRefreshInterval(value: string): value is RefreshInterval {
  return Object.hasOwn(REFRESH_INTERVAL_MS, value);
}
