import { useCallback, useEffect, useState } from 'preact/hooks';
import { parseUrlState, serializeUrlState, type UrlState } from '../state/url-state.ts';

/**
 * Holds the dashboard state that lives in the address bar. It is read once on load and
 * written back with `history.replaceState`, so changes add no history entries.
 */
export function useUrlState(): [UrlState, (change: Partial<UrlState>) => void] {
  const [state, setState] = useState<UrlState>(() => parseUrlState(window.location.search));

  useEffect(() => {
    const query = serializeUrlState(state);
    const url = `${window.location.pathname}${query === '' ? '' : `?${query}`}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(null, '', url);
    }
  }, [state]);

  const update = useCallback((change: Partial<UrlState>) => {
    setState((previous) => ({ ...previous, ...change }));
  }, []);

  return [state, update];
}
