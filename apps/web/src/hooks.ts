import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api/api-error';
import { parseRoute, type Route } from './router';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again (keeps the previous data on screen meanwhile). */
  reload(): void;
}

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
}

/** Data loaded for a page; loads again when `deps` change, and drops answers to superseded loads. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(ac.signal).then(
      (data) => !ac.signal.aborted && setState({ data, loading: false }),
      (e: unknown) => !ac.signal.aborted && setState((s) => ({ data: s.data, error: asApiError(e), loading: false })),
    );
    return () => ac.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Calls `fn` every `ms` while the page is shown and the tab visible (`ms` null: paused). */
export function useInterval(fn: () => void, ms: number | null): void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    if (ms === null) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') fnRef.current();
    }, ms);
    return () => clearInterval(t);
  }, [ms]);
}

/** The current hash route, following back/forward and links. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** An action's state for a button: running while it runs, its error after. */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): { run: (...args: A) => Promise<void>; running: boolean; error: ApiError | undefined } {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A) => {
    setRunning(true);
    setError(undefined);
    try {
      await fnRef.current(...args);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setRunning(false);
    }
  }, []);
  return { run, running, error };
}
