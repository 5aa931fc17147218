import type { QueryResult } from '../hooks/useApiQuery.ts';

/** Panel content state: data still loading, an API error, or the data to draw. */
export type PanelStatus<T> =
  { kind: 'loading' } | { kind: 'error'; error: Error } | { kind: 'ready'; data: T };

/**
 * Combines several queries into one status: any error wins, then loading, then ready.
 * A refresh in flight keeps showing the previous data instead of a spinner.
 */
export function combineQueries<T extends unknown[]>(
  ...results: { [K in keyof T]: QueryResult<T[K]> }
): PanelStatus<T> {
  const failed = results.find((result) => result.error !== undefined);
  if (failed?.error !== undefined) {
    return { kind: 'error', error: failed.error };
  }
  if (results.some((result) => result.data === undefined)) {
    return { kind: 'loading' };
  }
  return { kind: 'ready', data: results.map((result) => result.data) as T };
}
