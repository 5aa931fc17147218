import { useEffect, useState } from 'preact/hooks';
import { REFRESH_INTERVAL_MS, type RefreshInterval } from '../state/refresh.ts';

/**
 * Returns a counter that grows once per refresh interval, or stays put when refresh is off.
 * `bump` advances it at once, for the manual refresh button.
 */
export function useRefreshTick(refresh: RefreshInterval): [number, () => void] {
  const [tick, setTick] = useState(0);
  const intervalMs = REFRESH_INTERVAL_MS[refresh];

  useEffect(() => {
    if (intervalMs === 0) {
      return undefined;
    }
    const timer = window.setInterval(() => setTick((value) => value + 1), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);

  return [tick, () => setTick((value) => value + 1)];
}
