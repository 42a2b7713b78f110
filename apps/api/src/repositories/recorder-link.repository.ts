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
 * view and of camera controls goes through here.
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

  /**
   * A JSON request (camera controls) to the recorder at `baseUrl`: its status and parsed body (undefined when
   * the body is not JSON). `timeoutMs` bounds the whole exchange: a control waits for the camera's answer.
   */
  json(baseUrl: string, method: 'GET' | 'PUT', path: string, body: unknown, timeoutMs: number, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers = payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {};
      const req = this.open(baseUrl, path, headers, signal, method, timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (e) => reject(new RecorderUnreachableError(e.message)));
      });
      req.on('error', (e) => reject(signal.aborted ? e : new RecorderUnreachableError(e.message)));
      req.end(payload);
    });
  }

  /**
   * A file another recorder serves at `path` (GET with Range, fragment by fragment); undefined when it
   * answers 404 (not its file).
   */
  async rangeReader(baseUrl: string, path: string): Promise<{ size: number; read(offset: number, length: number): Promise<Buffer>; close(): Promise<void> } | undefined> {
    const signal = new AbortController().signal;
    const first = await this.get(baseUrl, path, { range: 'bytes=0-0' }, signal);
    first.resume();
    if (first.statusCode === 404) return undefined;
    const size = Number(/\/(\d+)$/.exec(String(first.headers['content-range'] ?? ''))?.[1]);
    if (first.statusCode !== 206 || !Number.isSafeInteger(size)) throw new RecorderUnreachableError(`the recorder answered ${first.statusCode} for a segment file`);
    const read = async (offset: number, length: number): Promise<Buffer> => {
      if (length <= 0) return Buffer.alloc(0);
      const res = await this.get(baseUrl, path, { range: `bytes=${offset}-${offset + length - 1}` }, signal);
      const chunks: Buffer[] = [];
      for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
      if (res.statusCode !== 206) throw new RecorderUnreachableError(`the recorder answered ${res.statusCode} for bytes ${offset}+${length}`);
      return Buffer.concat(chunks);
    };
    return { size, read, close: async () => undefined };
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

  private open(baseUrl: string, path: string, headers: OutgoingHttpHeaders, signal: AbortSignal, method = 'GET', timeoutMs = CONNECT_TIMEOUT_MS) {
    // Relative to the base, so a recorder published under a path prefix (RECORDER_ADVERTISE_URL) keeps it.
    const url = new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method, headers: { ...headers, [INTERNAL_TOKEN_HEADER]: this.token }, signal, agent: false });
    // Until the answer's head only: a live stream may then be quiet for a while.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('response', () => req.setTimeout(0));
    req.on('upgrade', (_res, socket: Socket) => socket.setTimeout(0));
    return req;
  }
}
