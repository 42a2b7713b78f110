import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_DEPS, type ApiDeps } from '../api.deps';

/** The WebSocket subprotocol of the live view (GET /cameras/:id/live). */
export const LIVE_PROTOCOL = 'wyze-nvr.live.v1';
/** A subprotocol entry `bearer.<API_TOKEN>`: browsers cannot set an Authorization header on a WebSocket. */
const BEARER_PROTOCOL = /^bearer\.(\S+)$/;

export type AuthResult = { ok: true } | { ok: false; message: string };

/** The entries of a Sec-WebSocket-Protocol header (RFC 6455 §11.3.4: comma-separated tokens). */
export function offeredProtocols(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  return (Array.isArray(h) ? h.join(',') : (h ?? '')).split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * Who may use the API: one check for the bearer guard (every HTTP route) and the live WebSocket upgrade,
 * which happens outside Nest's routing. A credential is the API token, presented as `Authorization: Bearer`
 * or — on a WebSocket upgrade only — as a `bearer.<token>` subprotocol; never in the URL, which ends up in
 * logs and browser history. The cookie session (issue #15) will be one more credential here.
 */
@Injectable()
export class ApiAuthService {
  private readonly expected: Buffer;

  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    if (!deps.config.apiToken) throw new Error('API_TOKEN: required but not set');
    // Compare digests so the comparison takes the same time whatever the presented token's length.
    this.expected = createHash('sha256').update(deps.config.apiToken).digest();
  }

  authenticate(req: IncomingMessage, opts: { webSocket?: boolean } = {}): AuthResult {
    const presented: string[] = [];
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) return { ok: false, message: 'malformed Authorization header (Authorization: Bearer <API_TOKEN>)' };
      presented.push(m[1]);
    }
    if (opts.webSocket) {
      for (const p of offeredProtocols(req)) {
        const m = BEARER_PROTOCOL.exec(p);
        if (m) presented.push(m[1]);
      }
    }
    if (presented.length === 0) {
      return { ok: false, message: opts.webSocket ? `missing bearer token (Authorization: Bearer <API_TOKEN>, or the subprotocol bearer.<API_TOKEN> next to ${LIVE_PROTOCOL})` : 'missing bearer token (Authorization: Bearer <API_TOKEN>)' };
    }
    return presented.every((t) => this.matches(t)) ? { ok: true } : { ok: false, message: 'invalid bearer token' };
  }

  private matches(token: string): boolean {
    return timingSafeEqual(createHash('sha256').update(token).digest(), this.expected);
  }
}
