import { Inject, Injectable } from '@nestjs/common';
import { deriveInternalToken, INTERNAL_TOKEN_HEADER } from '@wyze-nvr/config';
import { registerSecret } from '@wyze-nvr/log';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { API_DEPS, type ApiDeps } from '../api.deps';

/** A recorder that does not accept the connection within this long is unavailable. */
const CONNECT_TIMEOUT_MS = 5_000;

/** The recorder could not be reached, or broke off before answering. */
export class RecorderUnreachableError extends Error {
  override readonly name = 'RecorderUnreachableError';
}

export type UpgradeOutcome =
  /** 101: `socket` is the recorder's side of the WebSocket, `head` what it sent after its answer. */
  | { kind: 'upgraded'; response: IncomingMessage; socket: Socket; head: Buffer }
  /** Any other answer (401, 404, 429, 503 …), body unread. */
  | { kind: 'refused'; response: IncomingMessage };

/**
 * Requests to the recorders' internal servers (camera_status.recorder_url), with the internal token
 * (hex HMAC of SECRET_KEY, the same derivation as the recorder's). Every network side effect of the live
 * view goes through here.
 */
@Injectable()
export class RecorderLinkRepository {
  private readonly token: string;

  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.token = deriveInternalToken(deps.secretKey);
    registerSecret(this.token);
  }

  /** GET `path` of the recorder at `baseUrl`; the answer's body is left to the caller (aborted with `signal`). */
  get(baseUrl: string, path: string, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.open(baseUrl, path, headers, signal);
      req.on('response', resolve);
      req.on('error', (e) => reject(signal.aborted ? e : new RecorderUnreachableError(e.message)));
      req.end();
    });
  }

  /** Forwards a WebSocket upgrade request (its handshake headers) to the recorder. */
  upgrade(baseUrl: string, path: string, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<UpgradeOutcome> {
    return new Promise((resolve, reject) => {
      const req = this.open(baseUrl, path, { ...headers, connection: 'Upgrade', upgrade: 'websocket' }, signal);
      req.on('upgrade', (response, socket: Socket, head) => resolve({ kind: 'upgraded', response, socket, head }));
      req.on('response', (response) => resolve({ kind: 'refused', response }));
      req.on('error', (e) => reject(signal.aborted ? e : new RecorderUnreachableError(e.message)));
      req.end();
    });
  }

  private open(baseUrl: string, path: string, headers: OutgoingHttpHeaders, signal: AbortSignal) {
    // Relative to the base, so a recorder published under a path prefix (RECORDER_ADVERTISE_URL) keeps it.
    const url = new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers: { ...headers, [INTERNAL_TOKEN_HEADER]: this.token }, signal, agent: false });
    // Until the answer's head only: a live stream may then be quiet for a while.
    req.setTimeout(CONNECT_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)));
    req.on('response', () => req.setTimeout(0));
    req.on('upgrade', (_res, socket: Socket) => socket.setTimeout(0));
    return req;
  }
}
