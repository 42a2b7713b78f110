import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/api-client';
import type { Route } from './router';
import type { Session } from './session/session';

/** What every page gets from the app (see /work/notes/web-contract.md): the API, the session, navigation. */
export interface AppServices {
  api: ApiClient;
  session: Session;
  /** Goes to a route (a new history entry; `replace` for a filter change that should not pile up). */
  navigate(route: Route, opts?: { replace?: boolean }): void;
}

export const AppContext = createContext<AppServices | null>(null);

function useServices(): AppServices {
  const s = useContext(AppContext);
  if (!s) throw new Error('AppContext is missing (render pages inside <App>)');
  return s;
}

export const useApi = (): ApiClient => useServices().api;
export const useSession = (): Session => useServices().session;
export const useNavigate = (): AppServices['navigate'] => useServices().navigate;
