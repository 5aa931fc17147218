import { useCallback, useEffect, useState } from 'preact/hooks';
import { parseUrlState, serializeUrlState, type UrlState } from '../state/url-state.ts';

/**
 * Holds the app state that lives in the address bar. It is read once on load and written
 * back with `history.replaceState`, so changes add no history entries. A `#/alerts/rules`
 * hash is read on load and then replaced by the equivalent query parameters.
 */
export function useUrlState(): [UrlState, (change: Partial<UrlState>) => void] {
  const [state, setState] = useState<UrlState>(() =>
    parseUrlState(window.location.search, window.location.hash),
  );

  useEffect(() => {
    const query = serializeUrlState(state);
    const url = `${window.location.pathname}${query === '' ? '' : `?${query}`}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(null, '', url);
    }
  }, [state]);

  const update = useCallback((change: Partial<UrlState>) => {
    setState((previous) => ({ ...previous, ...change }));
  }, []);

  return [state, update];
}
