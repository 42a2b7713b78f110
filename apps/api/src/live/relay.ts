import type { Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';

/**
 * Sends a recorder's answer on as the client's: its status, the named headers, then its body piped with
 * backpressure (a slow client slows the read from the recorder, which sees it and skips that viewer to a
 * keyframe). A client that leaves ends the recorder request; that is not an error.
 */
export async function relayAnswer(upstream: IncomingMessage, res: Response, headers: readonly string[], extra: Record<string, string> = {}): Promise<void> {
  res.status(upstream.statusCode ?? 502);
  for (const h of headers) {
    const v = upstream.headers[h];
    if (v !== undefined) res.setHeader(h, v);
  }
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  try {
    await pipeline(upstream, res);
  } catch (e) {
    if (res.destroyed || upstream.destroyed) return;
    throw e;
  }
}
