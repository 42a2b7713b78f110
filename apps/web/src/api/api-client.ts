import { ApiError } from './api-error';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** What the client needs from the session: the CSRF token, and a way back in when the API says 401. */
export interface SessionGate {
  /** The session's CSRF token, sent as X-CSRF-Token on every state-changing call. */
  csrfToken(): string | undefined;
  /** The session is gone (expired, revoked): resolves once the person has signed in again. */
  reauthenticate(): Promise<void>;
  /** The CSRF token was refused (another tab signed in again, replacing the cookie): fetch the current one. */
  refresh(): Promise<void>;
}

export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE = new Set(['GET', 'HEAD']);
/** The 401s that mean "sign in (again)"; a 401 of another kind (none today) is the call's own error. */
const SESSION_ENDED = new Set(['unauthorized', 'session-expired']);

/**
 * The REST API, same origin, authenticated by the session cookie. A 401 does not fail the call: the
 * sign-in form comes up over the page (which keeps its state), and the call is made again once the
 * person has signed in — a form's save goes through as if nothing had happened.
 */
export class ApiClient {
  constructor(
    private readonly gate: SessionGate,
    private readonly fetchFn: FetchLike = (i, init) => fetch(i, init),
  ) {}

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.respond(method, path, body, signal, 'application/json');
    if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
    return (await res.json()) as T;
  }

  /**
   * A picture (or any binary answer) revalidated with the server each time (`no-cache`: an unchanged one
   * is a 304 from the API's ETag, and the cached body is used).
   */
  async blob(path: string, signal?: AbortSignal): Promise<Blob> {
    return (await this.respond('GET', path, undefined, signal, '*/*', 'no-cache')).blob();
  }

  private async respond(method: string, path: string, body: unknown, signal: AbortSignal | undefined, accept: string, cache?: RequestCache): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, path, body, signal, accept, cache);
      if (res.ok) return res;
      const error = await ApiError.from(res);
      if (attempt === 0 && SESSION_ENDED.has(error.code)) {
        await this.gate.reauthenticate();
        continue;
      }
      if (attempt === 0 && error.code === 'csrf-refused') {
        await this.gate.refresh();
        continue;
      }
      throw error;
    }
  }

  private async send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, accept: string, cache?: RequestCache): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (!SAFE.has(method)) {
      const csrf = this.gate.csrfToken();
      if (csrf) headers[CSRF_HEADER] = csrf;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchFn(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal, ...(cache ? { cache } : {}) });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new ApiError(0, 'network', 'the NVR cannot be reached; check that it is running');
    }
  }
}
