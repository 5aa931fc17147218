import { useEffect, useState } from 'preact/hooks';

/** Latest result of one API query. `data` stays while a refresh is in flight. */
export interface QueryResult<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * Runs `load` whenever `queryKey` changes and aborts the previous run. A disabled query
 * keeps its last result and sends nothing, which is how collapsed rows stay idle.
 */
export function useApiQuery<T>(
  load: (signal: AbortSignal) => Promise<T>,
  queryKey: string,
  enabled = true,
): QueryResult<T> {
  const [result, setResult] = useState<QueryResult<T>>({
    data: undefined,
    error: undefined,
    loading: enabled,
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
          setResult({ data, error: undefined, loading: false });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setResult({ data: undefined, error: toError(error), loading: false });
        }
      },
    );
    return () => controller.abort();
    // `load` is a new closure on every render, so `queryKey` represents its inputs.
  }, [queryKey, enabled]);

  return result;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
