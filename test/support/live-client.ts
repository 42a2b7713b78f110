// Clients of the recorder's live view for the e2e tests: a WebSocket viewer that records every message,
// and a live.mp4 reader; plus the checks on what they received.
import { createHash } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { concatBytes } from '@wyze-nvr/bytes';
import { INTERNAL_TOKEN_HEADER } from '@wyze-nvr/config';
import { readFragmentedMp4 } from '@wyze-nvr/media';
import WebSocket from 'ws';

export type LiveMessage = { text: Record<string, unknown> } | { bytes: Uint8Array };

/** A browser-like hello: H.264 and H.265 candidates, AAC and FLAC. */
export const BROWSER_TYPES = ['video/mp4; codecs="avc1.640028"', 'video/mp4; codecs="avc1.4d401f"', 'audio/mp4; codecs="mp4a.40.2"', 'audio/mp4; codecs="flac"'];

/** A WebSocket viewer of /internal/cameras/:id/live that keeps every message in order. */
export class LiveSocketClient {
  readonly messages: LiveMessage[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(url: string, token: string, mimeTypes: string[] = BROWSER_TYPES) {
    this.ws = new WebSocket(url, { headers: { [INTERNAL_TOKEN_HEADER]: token }, perMessageDeflate: false });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        this.ws.send(JSON.stringify({ type: 'hello', mimeTypes }));
        resolve();
      });
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('message', (data: Buffer, isBinary) => {
      this.messages.push(isBinary ? { bytes: new Uint8Array(data.buffer, data.byteOffset, data.length) } : { text: JSON.parse(data.toString()) });
    });
  }

  texts(type?: string): Record<string, unknown>[] {
    return this.messages.flatMap((m) => ('text' in m && (!type || m.text.type === type) ? [m.text] : []));
  }

  close(): void {
    this.ws.close();
  }
}

/** The status code and JSON body a refused upgrade answers with. */
export function refusedUpgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(body) }));
    });
  });
}

/** Reads live.mp4 for `ms` and returns its status, content type and the bytes read. */
export function readLiveMp4(url: string, token: string, ms: number): Promise<{ status: number; type: string; bytes: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { [INTERNAL_TOKEN_HEADER]: token } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      const done = () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), bytes: new Uint8Array(Buffer.concat(chunks)) });
      const timer = setTimeout(() => {
        req.destroy();
        done();
      }, ms);
      res.on('end', () => {
        clearTimeout(timer);
        done();
      });
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
  });
}

/** SHA-1 and sync flag of every video sample of a fragmented MP4, in decode order. */
export function videoSamples(mp4: Uint8Array): { digest: string; keyframe: boolean }[] {
  const file = readFragmentedMp4(mp4);
  const video = new Set(file.tracks.filter((t) => t.kind === 'video').map((t) => t.trackId));
  return file.fragments.flatMap((f) => f.samples.filter((s) => video.has(s.trackId)).map((s) => ({ digest: createHash('sha1').update(mp4.subarray(s.offset, s.offset + s.size)).digest('hex'), keyframe: s.keyframe })));
}

/** One MP4 from the messages: the last init segment before index `before`, and the binary messages after it up to `before`. */
export function mp4Of(messages: readonly LiveMessage[], before = messages.length): Uint8Array {
  let init = -1;
  for (let i = 0; i < before; i++) {
    const m = messages[i];
    if ('bytes' in m && String.fromCharCode(...m.bytes.subarray(4, 8)) === 'ftyp') init = i;
  }
  return concatBytes(...messages.slice(Math.max(0, init), before).flatMap((m) => ('bytes' in m ? [m.bytes] : [])));
}

/** Where `got` lies in `sent` as one contiguous run, or -1. */
export function runIn(sent: readonly string[], got: readonly string[]): number {
  if (got.length === 0) return -1;
  for (let i = sent.indexOf(got[0]); i >= 0; i = sent.indexOf(got[0], i + 1)) {
    if (got.every((d, k) => sent[i + k] === d)) return i;
  }
  return -1;
}
