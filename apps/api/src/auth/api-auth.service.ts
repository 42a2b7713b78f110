import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { sessionIdOf } from './session-cookie';
import { SessionService } from './session.service';

/** The WebSocket subprotocol of the live view (GET /cameras/:id/live). */
export const LIVE_PROTOCOL = 'wyze-nvr.live.v1';
/** A subprotocol entry `bearer.<API_TOKEN>`: browsers cannot set an Authorization header on a WebSocket. */
const BEARER_PROTOCOL = /^bearer\.(\S+)$/;
/** The header a page's own script adds to every state-changing call made on the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AuthFailure = { ok: false; code: 'unauthorized' | 'session-expired' | 'csrf-refused' | 'origin-refused'; message: string };
export type AuthResult =
  | { ok: true; via: 'bearer' }
  | { ok: true; via: 'cookie'; sessionId: string; csrfToken: string; expiresUs: number; renewed: boolean }
  | AuthFailure;

/** The entries of a Sec-WebSocket-Protocol header (RFC 6455 §11.3.4: comma-separated tokens). */
export function offeredProtocols(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  return (Array.isArray(h) ? h.join(',') : (h ?? '')).split(',').map((p) => p.trim()).filter(Boolean);
}

/** Whether the request's Origin (RFC 6454) is this server as the browser addressed it (its Host header). */
export function sameOrigin(req: IncomingMessage): boolean | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  try {
    return new URL(origin).host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * Who may use the API: one check for the bearer guard (every HTTP route) and the live WebSocket upgrade,
 * which happens outside Nest's routing. A credential is either
 * - the API token (scripts), as `Authorization: Bearer` or — on a WebSocket upgrade only — a
 *   `bearer.<token>` subprotocol; never in the URL, which ends up in logs and browser history; or
 * - the web app's session cookie (SessionService), when no token is presented. A browser sends a cookie
 *   with requests other sites make, so a state-changing call on it must carry the session's CSRF token
 *   (and come from our origin if the browser says where it comes from), and a WebSocket upgrade on it
 *   must come from our origin (browsers always send Origin on one; SameSite does not cover WebSockets).
 */
@Injectable()
export class ApiAuthService {
  private readonly expected: Buffer;

  constructor(
    @Inject(API_DEPS) deps: ApiDeps,
    private readonly sessions: SessionService,
  ) {
    if (!deps.config.apiToken) throw new Error('API_TOKEN: required but not set');
    // Compare digests so the comparison takes the same time whatever the presented token's length.
    this.expected = createHash('sha256').update(deps.config.apiToken).digest();
  }

  async authenticate(req: IncomingMessage, opts: { webSocket?: boolean } = {}): Promise<AuthResult> {
    const presented: string[] = [];
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) return { ok: false, code: 'unauthorized', message: 'malformed Authorization header (Authorization: Bearer <API_TOKEN>)' };
      presented.push(m[1]);
    }
    if (opts.webSocket) {
      for (const p of offeredProtocols(req)) {
        const m = BEARER_PROTOCOL.exec(p);
        if (m) presented.push(m[1]);
      }
    }
    if (presented.length > 0) {
      return presented.every((t) => this.isApiToken(t)) ? { ok: true, via: 'bearer' } : { ok: false, code: 'unauthorized', message: 'invalid bearer token' };
    }
    const sessionId = sessionIdOf(req);
    if (sessionId === undefined) {
      return {
        ok: false,
        code: 'unauthorized',
        message: opts.webSocket
          ? `missing bearer token (Authorization: Bearer <API_TOKEN>, or the subprotocol bearer.<API_TOKEN> next to ${LIVE_PROTOCOL}) or session cookie`
          : 'missing bearer token (Authorization: Bearer <API_TOKEN>) or session cookie (POST /auth/session)',
      };
    }
    const session = await this.sessions.check(sessionId);
    if (!session.ok) return { ok: false, code: 'session-expired', message: 'the session has ended (expired or signed out); sign in again' };
    const origin = sameOrigin(req);
    if (opts.webSocket) {
      if (origin !== true) return { ok: false, code: 'origin-refused', message: 'a WebSocket on the session cookie must come from this origin' };
    } else if (!SAFE_METHODS.has(req.method ?? 'GET')) {
      if (origin === false) return { ok: false, code: 'origin-refused', message: 'a call from another origin' };
      const csrf = req.headers[CSRF_HEADER];
      if (typeof csrf !== 'string' || !safeEqual(csrf, session.csrfToken)) {
        return { ok: false, code: 'csrf-refused', message: `a state-changing call on the session cookie needs the session's X-CSRF-Token header` };
      }
    }
    return { ok: true, via: 'cookie', sessionId, csrfToken: session.csrfToken, expiresUs: session.expiresUs, renewed: session.renewed };
  }

  /** Whether `token` is the API token (constant time in the token's length). */
  isApiToken(token: string): boolean {
    return timingSafeEqual(createHash('sha256').update(token).digest(), this.expected);
  }
}
