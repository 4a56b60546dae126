import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { isAbortError } from '../api/client';

export interface RequestState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** Runs the request again (after an error). */
  retry: () => void;
}

/**
 * Runs an API call whenever `deps` change, cancelling the previous one through its AbortSignal.
 * `load` null means "nothing to load" (state resets to empty).
 */
export function useRequest<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: DependencyList): RequestState<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: load !== null,
  });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!load) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: null, loading: true }));
    load(controller.signal).then(
      (data) => setState({ data, error: null, loading: false }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        setState({ data: null, error: err instanceof Error ? err : new Error(String(err)), loading: false });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the deps are the caller's (as with useEffect's own), plus the retry count
  }, [...deps, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}
