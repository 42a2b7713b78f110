import { ApiError } from '../api/api-error';
import { CSRF_HEADER, type FetchLike, type SessionGate } from '../api/api-client';

/** What `POST /auth/session` and `GET /auth/session` answer. */
export interface SessionInfo {
  method: 'cookie' | 'bearer';
  csrfToken: string | null;
  expiresAt: string | null;
}

export type SessionState =
  | { kind: 'checking' }
  /** `expired`: the session ended under a page that is still there (it keeps its state until sign-in). */
  | { kind: 'signed-out'; expired: boolean }
  | { kind: 'signed-in'; csrfToken: string | null; expiresAt: string | null };

/**
 * The browser's side of the cookie session: whether we are signed in, the CSRF token that goes with the
 * cookie, and the promise a 401 waits on until the person has signed in again.
 */
export class Session implements SessionGate {
  private current: SessionState = { kind: 'checking' };
  private readonly listeners = new Set<(s: SessionState) => void>();
  private waiting: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly fetchFn: FetchLike = (i, init) => fetch(i, init)) {}

  get state(): SessionState {
    return this.current;
  }

  subscribe(fn: (s: SessionState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  csrfToken(): string | undefined {
    return this.current.kind === 'signed-in' ? (this.current.csrfToken ?? undefined) : undefined;
  }

  /** At start: is there a session already (the cookie)? */
  async check(): Promise<void> {
    const res = await this.fetchFn('/auth/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.ok) this.signedIn((await res.json()) as SessionInfo);
    else if (res.status === 401) this.set({ kind: 'signed-out', expired: false });
    else throw await ApiError.from(res);
  }

  async refresh(): Promise<void> {
    const res = await this.fetchFn('/auth/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.ok) this.signedIn((await res.json()) as SessionInfo);
    else if (res.status === 401) await this.reauthenticate();
    else throw await ApiError.from(res);
  }

  /** Exchanges the API token for a session cookie; a wrong token is an ApiError with status 401. */
  async signIn(token: string): Promise<void> {
    const res = await this.fetchFn('/auth/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token: token.trim() }),
    });
    if (!res.ok) throw await ApiError.from(res);
    this.signedIn((await res.json()) as SessionInfo);
  }

  /** Revokes the session on the server and forgets it here. */
  async signOut(): Promise<void> {
    const csrf = this.csrfToken();
    const res = await this.fetchFn('/auth/session', { method: 'DELETE', credentials: 'same-origin', headers: csrf ? { [CSRF_HEADER]: csrf } : {} });
    if (!res.ok && res.status !== 401) throw await ApiError.from(res);
    this.set({ kind: 'signed-out', expired: false });
  }

  reauthenticate(): Promise<void> {
    if (!this.waiting) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waiting = { promise, resolve };
      this.set({ kind: 'signed-out', expired: true });
    }
    return this.waiting.promise;
  }

  private signedIn(info: SessionInfo): void {
    this.set({ kind: 'signed-in', csrfToken: info.csrfToken, expiresAt: info.expiresAt });
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve();
  }

  private set(s: SessionState): void {
    this.current = s;
    for (const fn of this.listeners) fn(s);
  }
}
