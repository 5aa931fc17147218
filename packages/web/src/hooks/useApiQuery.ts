import { useEffect, useState } from 'preact/hooks';

/** Latest result of one API query. `data` stays while a refresh is in flight. */
export interface QueryResult<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * Runs `load` whenever `queryKey` changes and aborts the previous run. A disabled query
 * keeps its last result and sends nothing, which is how collapsed rows stay idle. Data
 * fetched under another `shapeKey` (such as another group-by dimension) is not shown while
 * the new query runs, because panels would pair it with responses of the new shape.
 */
export function useApiQuery<T>(
  load: (signal: AbortSignal) => Promise<T>,
  queryKey: string,
  enabled = true,
  shapeKey = '',
): QueryResult<T> {
  const [result, setResult] = useState<QueryResult<T> & { shapeKey: string }>({
    data: undefined,
    error: undefined,
    loading: enabled,
    shapeKey,
  });

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    const controller = new AbortController();
    setResult((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) {
          setResult({ data, error: undefined, loading: false, shapeKey });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setResult({ data: undefined, error: toError(error), loading: false, shapeKey });
        }
      },
    );
    return () => controller.abort();
    // `load` is a new closure on every render, so `queryKey` represents its inputs.
  }, [queryKey, enabled]);

  if (result.shapeKey !== shapeKey) return { data: undefined, error: undefined, loading: true };
  return { data: result.data, error: result.error, loading: result.loading };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
