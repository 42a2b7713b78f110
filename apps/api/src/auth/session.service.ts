import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { ClockRepository } from '../repositories/clock.repository';
import { SessionRepository } from '../repositories/session.repository';

/** A session's expiry is written again at most this often: a page's polling does not write on every request. */
export const RENEW_EVERY_US = 60_000_000;

export interface SessionGrant {
  id: string;
  csrfToken: string;
  expiresUs: number;
}

export type SessionCheck = { ok: true; csrfToken: string; expiresUs: number; renewed: boolean } | { ok: false };

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * The token a page sends as X-CSRF-Token with each state-changing call on its cookie: derived from the
 * session id, so it needs no storage, differs from the stored hash, and only a script that was given it
 * (ours, by POST or GET /auth/session) has it — another site's page can send the cookie, never the token.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update('wyze-nvr csrf\0').update(sessionId).digest('base64url');
}

/**
 * Server-side sessions: a random id in the cookie, its hash in `sessions`, an expiry that slides with use
 * (API_SESSION_IDLE_SECONDS), deleted on sign-out. Chosen over a signed cookie because sign-out must
 * revoke at once, several API processes share the table, and a leaked table signs nobody in.
 */
@Injectable()
export class SessionService {
  private readonly idleUs: number;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: ClockRepository,
    @Inject(API_DEPS) deps: ApiDeps,
  ) {
    this.idleUs = deps.config.sessionIdleSeconds * 1e6;
  }

  get idleSeconds(): number {
    return this.idleUs / 1e6;
  }

  async create(): Promise<SessionGrant> {
    const now = this.clock.nowUs();
    // Sessions nobody signed out of would otherwise stay forever; a sign-in is rare enough to sweep them.
    await this.sessions.deleteExpired(now);
    const id = randomBytes(32).toString('base64url');
    const expiresUs = now + this.idleUs;
    await this.sessions.insert({ idHash: hashOf(id), expiresUs, renewedUs: now });
    return { id, csrfToken: csrfTokenFor(id), expiresUs };
  }

  /** Whether the session is live; a live one's expiry moves on (written at most once per RENEW_EVERY_US). */
  async check(id: string): Promise<SessionCheck> {
    const now = this.clock.nowUs();
    const idHash = hashOf(id);
    const row = await this.sessions.get(idHash);
    if (!row) return { ok: false };
    if (row.expiresUs <= now) {
      await this.sessions.delete(idHash);
      return { ok: false };
    }
    if (now - row.renewedUs < RENEW_EVERY_US) return { ok: true, csrfToken: csrfTokenFor(id), expiresUs: row.expiresUs, renewed: false };
    const expiresUs = now + this.idleUs;
    await this.sessions.renew(idHash, expiresUs, now);
    return { ok: true, csrfToken: csrfTokenFor(id), expiresUs, renewed: true };
  }

  async revoke(id: string): Promise<void> {
    await this.sessions.delete(hashOf(id));
  }
}
