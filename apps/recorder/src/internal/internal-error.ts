import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** An answer of the internal server other than success, with the body shape of the API's errors. */
export class InternalError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ statusCode: this.statusCode, code: this.code, message: this.message, ...this.details });
  }
}

export function sendError(res: ServerResponse, e: InternalError): void {
  const body = e.body();
  res.writeHead(e.statusCode, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** The same answer on a socket that asked for an upgrade (before any WebSocket exists). */
export function refuseUpgrade(socket: Duplex, e: InternalError): void {
  const body = e.body();
  socket.end(
    `HTTP/1.1 ${e.statusCode} ${STATUS_CODES[e.statusCode] ?? ''}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
