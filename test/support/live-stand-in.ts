// A stand-in for the live WebSocket (protocol wyze-nvr.live.v1) that the browser player is tested against
// before and apart from the recorder: it serves apps/web like the API does and streams real fragmented MP4
// made from the media fixtures by libs/media's LiveFragmenter, paced in real time, with the recorder's
// fast start (the current GOP at once). Each camera id is a scenario.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aacConfigFromAdts, LiveFragmenter, mp4MimeType, splitAdts, videoConfigFromAccessUnit, type StreamConfig } from '@wyze-nvr/media';
import { WebSocketServer, type WebSocket } from 'ws';
import { webDir } from '../../apps/api/src/web/web.controller';
import { fixtureFrames, MEDIA_FIXTURES } from './api-recordings';

export type Scenario =
  /** Plays on. */
  | 'plays'
  /** An H.265 camera: refused unless the hello lists hvc1. */
  | 'h265'
  /** Withholds frames from 3 s to 5 s, then skips to the next keyframe (a slow viewer). */
  | 'skips'
  /** Switches to the 640×360 fixture after 3 s (a new codecs message and init segment). */
  | 'changes'
  /** Closes its first connection 2 s in (the recorder restarted). */
  | 'drops';

export const SCENARIOS: Record<number, Scenario> = { 1: 'plays', 2: 'h265', 3: 'skips', 4: 'changes', 5: 'drops' };

const FRAME_US = 50_000;
const GOP = 40;
/** The camera's stream began this long before a viewer connects: the fast start has that much to send at once. */
const BACKLOG_US = 1_500_000;

interface Connection {
  camera: number;
  protocols: string[];
  selected: string | undefined;
  hello?: { type: string; mimeTypes: string[] };
}

export interface StandIn {
  url: string;
  connections: Connection[];
  close(): Promise<void>;
}

const aac = readFileSync(join(MEDIA_FIXTURES, 'aac-16k-mono.aac'));
const aacFrames = splitAdts(new Uint8Array(aac.buffer, aac.byteOffset, aac.length)).map((f) => f.payload);
const AAC_FRAME_US = (1024 * 1e6) / 16000;

/** A looped fixture as a live camera stream on the wall clock, fragmented per frame. */
class Stream {
  private readonly frames: Uint8Array[];
  private readonly fragmenter: LiveFragmenter;
  readonly config: StreamConfig;
  private video = 0;
  private audio = 0;
  /** Video frames before this index are dropped (skipped to the keyframe at it). */
  private resumeAt = 0;

  constructor(
    fixture: string,
    readonly originUs: number,
  ) {
    this.frames = fixtureFrames(fixture, 'h264');
    this.config = { video: videoConfigFromAccessUnit('h264', this.frames[0])!, audio: aacConfigFromAdts(new Uint8Array(aac.buffer, aac.byteOffset, 64)) };
    this.fragmenter = new LiveFragmenter(this.config, { timeBaseUs: originUs });
  }

  codecs(): string {
    const v = this.config.video!;
    return JSON.stringify({ type: 'codecs', mime: mp4MimeType(this.config), video: { codec: v.codec, width: v.width, height: v.height }, audio: { codec: 'aac', sampleRate: 16000, channels: 1 }, timeBaseUs: this.originUs });
  }

  init(): Uint8Array {
    return this.fragmenter.init();
  }

  /** Fragments due by `nowUs`, in time order. */
  due(nowUs: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (;;) {
      const vt = this.originUs + this.video * FRAME_US;
      const at = this.originUs + Math.round(this.audio * AAC_FRAME_US);
      if (Math.min(vt, at) > nowUs) return out;
      if (vt <= at) {
        const i = this.video++;
        if (i < this.resumeAt) continue;
        const f = this.fragmenter.video(this.frames[i % this.frames.length], vt, i % GOP === 0);
        if (f) out.push(f);
      } else {
        const k = this.audio++;
        if (this.video <= this.resumeAt) continue;
        const f = this.fragmenter.audio([aacFrames[k % aacFrames.length]], [1024], at);
        if (f) out.push(f);
      }
    }
  }

  /** Drops every frame until the next keyframe after `nowUs`; how many video frames that drops. */
  skipToKeyframeAfter(nowUs: number): number {
    const next = Math.ceil((nowUs - this.originUs) / FRAME_US / GOP) * GOP;
    const dropped = next - this.video;
    this.resumeAt = next;
    return dropped;
  }
}

function serve(conn: Connection, ws: WebSocket, scenario: Scenario, first: boolean): void {
  const nowUs = () => Date.now() * 1000;
  const startedUs = nowUs();
  let stream: Stream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const send = (data: Uint8Array | string) => ws.readyState === ws.OPEN && ws.send(data);
  const begin = (fixture: string, originUs: number) => {
    stream = new Stream(fixture, originUs);
    send(stream.codecs());
    send(stream.init());
  };
  let paused = false;
  let changed = false;
  ws.on('close', () => clearInterval(timer));
  ws.once('message', (data, isBinary) => {
    if (isBinary) return ws.close(1008, 'hello first');
    conn.hello = JSON.parse(String(data));
    if (scenario === 'h265' && !conn.hello!.mimeTypes.some((t) => /hvc1|hev1/.test(t))) {
      send(JSON.stringify({ type: 'error', code: 'unsupported-codec', message: 'This camera sends H.265 (hvc1.1.6.L93.B0), which this browser does not play. Use Safari or Edge, or watch live.mp4 with ffplay/VLC.' }));
      return ws.close(1000);
    }
    begin('h264-720p20.h264', startedUs - BACKLOG_US);
    timer = setInterval(() => {
      const t = nowUs() - startedUs;
      if (scenario === 'drops' && first && t > 2_000_000) return ws.close(1011, 'recorder restarting');
      if (scenario === 'changes' && !changed && t > 3_000_000) {
        changed = true;
        begin('h264-360p20.h264', nowUs());
      }
      if (scenario === 'skips' && t > 3_000_000 && t < 5_000_000) {
        paused = true;
        return;
      }
      if (paused) {
        paused = false;
        send(JSON.stringify({ type: 'skipped', frames: stream!.skipToKeyframeAfter(nowUs()) }));
      }
      for (const f of stream!.due(nowUs())) send(f);
    }, 10);
  });
}

/** apps/web over HTTP and the stand-in live WebSocket at /cameras/:id/live, on 127.0.0.1. */
export async function startStandIn(): Promise<StandIn> {
  const web = webDir();
  const files: Record<string, [string, string]> = {
    '/live.html': ['live-player/live.html', 'text/html'],
    '/live-page.js': ['live-player/live-page.js', 'text/javascript'],
    '/live-player.js': ['live-player/live-player.js', 'text/javascript'],
  };
  const connections: Connection[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const file = files[path];
    if (file) return void res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(join(web, file[0])));
    const cam = /^\/cameras\/(\d+)$/.exec(path);
    if (cam) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: Number(cam[1]), name: `stand-in ${SCENARIOS[Number(cam[1])]}`, status: { state: 'recording' } }));
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('wyze-nvr.live.v1') ? 'wyze-nvr.live.v1' : false) });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const m = /^\/cameras\/(\d+)\/live$/.exec(req.url ?? '');
    const scenario = m && SCENARIOS[Number(m[1])];
    if (!scenario) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = { camera: Number(m![1]), protocols: String(req.headers['sec-websocket-protocol'] ?? '').split(/,\s*/), selected: ws.protocol };
      const first = !connections.some((c) => c.camera === conn.camera);
      connections.push(conn);
      serve(conn, ws, scenario, first);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
