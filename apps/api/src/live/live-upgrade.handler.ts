import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, OutgoingHttpHeaders, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { ApiAuthService, LIVE_PROTOCOL, offeredProtocols } from '../auth/api-auth.service';
import { DomainError } from '../common/domain.error';
import { errorBodyOf, type ErrorBody } from '../common/exception.filter';
import { CameraIdPipe } from '../common/params';
import { requestIdOf } from '../http/request-id.middleware';
import { MetricsService } from '../metrics/metrics.service';
import { LiveService } from './live.service';
import { LiveSessions } from './live-sessions';

const LIVE_PATH = /^\/cameras\/([^/]+)\/live$/;
const LIVE_ROUTE = '/cameras/:id/live';
/** Handshake headers the recorder needs to answer the client's WebSocket handshake itself (RFC 6455 §4.1). */
const HANDSHAKE_HEADERS = ['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions'];

function refuse(socket: Duplex, body: ErrorBody): void {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode] ?? ''}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
      `X-Request-Id: ${body.requestId ?? ''}\r\nConnection: close\r\n\r\n${json}`,
  );
}

/** The recorder's 101 answer as the client's: its handshake headers, and our request id. */
function switchingProtocols(upstream: IncomingMessage, requestId: string): string {
  const lines = ['HTTP/1.1 101 Switching Protocols'];
  const raw = upstream.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  lines.push(`X-Request-Id: ${requestId}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * `GET /cameras/:id/live` with `Upgrade: websocket`, on the API's HTTP server beside Nest's routing (Nest
 * routes requests, not upgrades). Everything is decided before the upgrade, with the same auth service as
 * the bearer guard: 401, 400, 404, 503 (and the recorder's 503/429) are answered as JSON like every API
 * error. Then the handshake goes to the camera's recorder at the socket level — the recorder answers it —
 * and the two sockets are piped both ways: pipe() pauses the faster side, so nothing is buffered here
 * beyond the sockets' own buffers (the recorder sees a slow viewer and skips it to a keyframe), and either
 * side closing closes the other. One log line per session, when it ends; the token is never in it.
 */
@Injectable()
export class LiveUpgradeHandler {
  constructor(
    private readonly auth: ApiAuthService,
    private readonly live: LiveService,
    private readonly sessions: LiveSessions,
    private readonly metrics: MetricsService,
    @Inject(API_DEPS) private readonly deps: ApiDeps,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.handle(req, socket, head));
  }

  async handle(req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    const t0 = process.hrtime.bigint();
    const reqId = requestIdOf(req.headers['x-request-id']);
    const path = (req.url ?? '').split('?')[0];
    const match = LIVE_PATH.exec(path);
    const log = (status: number, extra: Record<string, unknown> = {}) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const route = match ? LIVE_ROUTE : 'unmatched';
      this.metrics.observeRequest(req.method ?? 'GET', route, status, seconds);
      this.deps.logger?.info({ reqId, method: req.method, path, route, status, ms: Math.round(seconds * 1e4) / 10, ...extra }, 'request');
    };
    client.on('error', () => client.destroy());
    const ac = new AbortController();
    client.once('close', () => ac.abort());
    try {
      if (!match || req.method !== 'GET') throw new DomainError('not-found', 'no WebSocket at this path');
      const auth = await this.auth.authenticate(req, { webSocket: true });
      if (!auth.ok) throw new DomainError(auth.code, auth.message);
      const cameraId = CameraIdPipe.transform(match[1]);
      const offered = offeredProtocols(req);
      // A client that offers subprotocols fails a handshake whose answer selects none (RFC 6455 §4.1).
      if (offered.length && !offered.includes(LIVE_PROTOCOL)) throw DomainError.field('validation-failed', 'Sec-WebSocket-Protocol', `must offer ${LIVE_PROTOCOL}`);
      const upstream = await this.live.upgrade(cameraId, this.forwardedHeaders(req, reqId), ac.signal);
      this.splice(client, head, upstream.socket, upstream.head, switchingProtocols(upstream.response, reqId), (bytes) => log(101, bytes));
    } catch (e) {
      if (ac.signal.aborted) return log(499);
      const body = errorBodyOf(e, reqId, this.deps.logger);
      refuse(client, body);
      log(body.statusCode);
    }
  }

  /** The client's handshake for the recorder: its WebSocket fields, our protocol only (never the bearer entry). */
  private forwardedHeaders(req: IncomingMessage, reqId: string): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { 'x-request-id': reqId };
    for (const h of HANDSHAKE_HEADERS) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
    if (offeredProtocols(req).includes(LIVE_PROTOCOL)) headers['sec-websocket-protocol'] = LIVE_PROTOCOL;
    return headers;
  }

  private splice(client: Socket, clientHead: Buffer, recorder: Socket, recorderHead: Buffer, answer: string, ended: (bytes: { bytesIn: number; bytesOut: number }) => void): void {
    if (client.destroyed) {
      recorder.destroy();
      return;
    }
    // One frame per message, sent as it comes: Nagle's delay would hold small fragments back.
    client.setNoDelay(true);
    recorder.setNoDelay(true);
    client.write(answer);
    if (recorderHead.length) client.write(recorderHead);
    if (clientHead.length) recorder.write(clientHead);
    client.pipe(recorder);
    recorder.pipe(client);
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      unregister();
      client.destroy();
      recorder.destroy();
      ended({ bytesIn: client.bytesRead, bytesOut: client.bytesWritten });
    };
    const unregister = this.sessions.add(end);
    for (const s of [client, recorder]) {
      s.on('close', end);
      s.on('error', end);
    }
  }
}
