// A live view client of the API for tests (node's `ws`, auth as a browser or a program would send it): the
// messages of one WebSocket, or the answer that refused it. (The recorder's internal clients: live-client.ts.)
import { WebSocket } from 'ws';

export interface LiveClient {
  ws: WebSocket;
  /** Text messages parsed, binary ones as Buffers, in order. */
  messages: (Record<string, unknown> | Buffer)[];
  /** The subprotocol the server selected. */
  protocol: string;
  /** X-Request-Id of the 101 answer. */
  requestId: string | undefined;
  closed: Promise<{ code: number }>;
}

export interface Refusal {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** Opens a live WebSocket: the client once open (the hello sent), or the HTTP answer that refused the upgrade. */
export function openLive(url: string, o: { protocols?: string[]; headers?: Record<string, string>; mimeTypes?: string[] } = {}): Promise<LiveClient | Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, o.protocols ?? [], { headers: o.headers });
    const messages: LiveClient['messages'] = [];
    let requestId: string | undefined;
    ws.on('upgrade', (res) => (requestId = res.headers['x-request-id'] as string | undefined));
    const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })));
    ws.on('message', (data, isBinary) => messages.push(isBinary ? (data as Buffer) : (JSON.parse(String(data)) as Record<string, unknown>)));
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'hello', mimeTypes: o.mimeTypes ?? ['video/mp4; codecs="avc1.4D401F"', 'audio/mp4; codecs="mp4a.40.2"', 'audio/mp4; codecs="flac"'] }));
      resolve({ ws, messages, protocol: ws.protocol, requestId, closed });
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers }));
    });
    // After open, errors end in 'close' (awaited through `closed`); before it, they fail the open.
    ws.on('error', reject);
  });
}

export function isRefusal(x: LiveClient | Refusal): x is Refusal {
  return 'status' in x;
}
