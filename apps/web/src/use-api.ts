// Loads one API answer for a component; a new path/query aborts the request in flight (no stale answer wins).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem, type ApiOptions } from './api.js';

export interface Loaded<T> {
  data: T | null;
  error: ApiProblem | null;
  loading: boolean;
  reload: () => void;
}

/**
 * `enabled: false` holds the request back (the answer counts as loading): the dashboard sends its cheap headline
 * requests first, so that the server's single SQLite connection is not busy with heavy breakdowns meanwhile.
 */
export function useApi<T>(path: string | null, query?: ApiOptions['query'], opts: { enabled?: boolean } = {}): Loaded<T> {
  const enabled = opts.enabled ?? true;
  const key = path === null ? '' : `${path}?${JSON.stringify(query ?? {})}`;
  const [state, setState] = useState<{ key: string; data: T | null; error: ApiProblem | null }>({ key: '', data: null, error: null });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (path === null || !enabled) return;
    const controller = new AbortController();
    api<T>(path, { query, signal: controller.signal })
      .then(({ data }) => setState({ key, data, error: null }))
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setState({ key, data: null, error: e instanceof ApiProblem ? e : new ApiProblem(0, { title: String(e) }) });
      });
    return () => controller.abort();
  }, [key, attempt, enabled]);
  const current = state.key === key;
  return {
    // While a new answer loads, the previous one stays on screen (dimmed by the caller), so panels do not jump.
    data: state.data,
    error: current ? state.error : null,
    loading: path !== null && !current,
    reload: () => setAttempt((n) => n + 1),
  };
}
