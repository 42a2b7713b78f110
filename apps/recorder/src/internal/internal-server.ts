import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { INTERNAL_TOKEN_HEADER, isInternalToken } from '@wyze-nvr/config';
import type { Logger } from '@wyze-nvr/log';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveTap } from '../live/live-tap';
import { serveMp4Viewer } from '../live/mp4-viewer';
import { SNAPSHOT_MAX_WIDTH, SNAPSHOT_MIN_WIDTH, type SnapshotCache } from '../live/snapshot-cache';
import { runWebSocketViewer } from '../live/websocket-viewer';
import type { CameraControls } from '../controls/camera-controls';
import { InternalError, refuseUpgrade, sendError } from './internal-error';
import { SEGMENT_FILE_ROUTE, serveSegmentFile } from './segment-file-route';

/** What the internal server needs of a camera this recorder records. */
export interface LiveCamera {
  tap: LiveTap;
  snapshots: SnapshotCache;
  /** Its controls, on its session (../controls/camera-controls.ts). */
  controls: Pick<CameraControls, 'list' | 'set'>;
  /** The supervisor's state, and why it is not recording (its last error). */
  status(): { state: string; reason: string | null };
}

export interface InternalServerOptions {
  host: string;
  port: number;
  /** RECORDER_ADVERTISE_URL; default http://<bound address>:<port>. */
  advertiseUrl?: string;
  /** deriveInternalToken(SECRET_KEY). */
  token: string;
  /** The Prometheus text of /metrics. */
  metrics(): string;
  camera(id: number): LiveCamera | undefined;
  /** The file of segment `id` when it is this recorder's to serve (several recorders, files on local disks). */
  segmentFile?(id: number): Promise<string | undefined>;
  logger: Logger;
  /** Between pings to WebSocket viewers (default 10 s); one that answers none for 3 intervals is dropped. */
  pingIntervalMs?: number;
}

export interface InternalServer {
  /** The base URL written into camera_status.recorder_url. */
  url: string;
  metricsUrl: string;
  close(): Promise<void>;
}

/** States in which frames flow: `degraded` still records nothing to disk, but the live view works. */
const LIVE_STATES = new Set(['recording', 'degraded']);
const ROUTE = /^\/internal\/cameras\/(\d{1,9})\/(live|live\.mp4|snapshot\.jpg|controls(?:\/[a-z0-9-]{1,40})?)$/;
/** A control's new value is a small JSON document. */
const MAX_CONTROL_BODY = 16 << 10;

/**
 * The recorder's internal HTTP server, reached by the API (which authenticates users) and by Prometheus:
 * `GET /metrics` as before, and under `/internal/` — only with the `x-wyze-nvr-internal` token — a camera's
 * live view as a WebSocket (`/live`) or one endless fragmented MP4 (`/live.mp4`), its snapshot, and its
 * controls (`GET /controls`, `PUT /controls/:name` with `{"value": …}`).
 * Every refusal is decided before an upgrade and answered as JSON like the API's errors: 401 no or wrong
 * token, 404 a camera this recorder does not record, 503 a camera that is not recording, 429 too many viewers;
 * for controls also 400 a bad value, 422 a control the model lacks (nothing sent), 504 no answer.
 * `GET /internal/segments/:id/file` (with Range) serves a segment file of this node to another node's API.
 */
export async function startInternalServer(o: InternalServerOptions): Promise<InternalServer> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const lastPong = new WeakMap<WebSocket, number>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      o.logger.error({ err: e, path: pathOf(req) }, 'internal request failed');
      if (!res.headersSent) sendError(res, new InternalError(500, 'internal-error', 'the recorder could not answer'));
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const { cam, kind } = route(req);
      if (kind !== 'live') throw new InternalError(404, 'not-found', 'no WebSocket at this path');
      admit(cam);
      wss.handleUpgrade(req, socket, head, (ws) => {
        lastPong.set(ws, Date.now());
        ws.on('pong', () => lastPong.set(ws, Date.now()));
        runWebSocketViewer(ws, cam.tap);
      });
    } catch (e) {
      if (!(e instanceof InternalError)) throw e;
      refuseUpgrade(socket, e);
    }
  });

  const pingMs = o.pingIntervalMs ?? 10_000;
  const pinger = setInterval(() => {
    const now = Date.now();
    for (const ws of wss.clients) {
      if (now - (lastPong.get(ws) ?? now) > 3 * pingMs) ws.terminate();
      else ws.ping();
    }
  }, pingMs);
  pinger.unref();

  /** The camera and route of an /internal/ request, after the token; throws InternalError. */
  function route(req: IncomingMessage): { cam: LiveCamera; kind: string; url: URL } {
    const url = new URL(req.url ?? '/', 'http://recorder');
    const m = ROUTE.exec(url.pathname);
    if (!url.pathname.startsWith('/internal/')) throw new InternalError(404, 'not-found', 'no such route');
    if (!isInternalToken(req.headers[INTERNAL_TOKEN_HEADER], o.token)) throw new InternalError(401, 'unauthorized', `missing or wrong ${INTERNAL_TOKEN_HEADER} token`);
    if (!m) throw new InternalError(404, 'not-found', 'no such route');
    const cam = o.camera(Number(m[1]));
    if (!cam) throw new InternalError(404, 'camera-not-found', `camera ${m[1]} is not recorded by this recorder`);
    return { cam, kind: m[2], url };
  }

  /** A viewer slot for a recording camera (held until the viewer leaves); throws 503 or 429. */
  function admit(cam: LiveCamera): void {
    const s = cam.status();
    if (!LIVE_STATES.has(s.state)) throw new InternalError(503, 'camera-not-recording', `the camera is not recording (${s.state})`, { state: s.state, reason: s.reason });
    if (!cam.tap.reserve()) throw new InternalError(429, 'too-many-viewers', 'the camera has its maximum of live viewers (RECORDER_LIVE_MAX_VIEWERS)');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path === '/metrics' && req.method === 'GET') {
      const body = o.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    try {
      const seg = SEGMENT_FILE_ROUTE.exec(path);
      if (seg && o.segmentFile) {
        if (!isInternalToken(req.headers[INTERNAL_TOKEN_HEADER], o.token)) throw new InternalError(401, 'unauthorized', `missing or wrong ${INTERNAL_TOKEN_HEADER} token`);
        await serveSegmentFile(req, res, await o.segmentFile(Number(seg[1])), Number(seg[1]));
        return;
      }
      const { cam, kind, url } = route(req);
      if (kind.startsWith('controls')) {
        await controls(cam, kind.slice('controls/'.length), req, res);
        return;
      }
      if (req.method !== 'GET') throw new InternalError(405, 'method-not-allowed', 'only GET');
      if (kind === 'live') throw new InternalError(426, 'upgrade-required', 'the live view is a WebSocket: send Upgrade: websocket (or GET live.mp4)');
      if (kind === 'live.mp4') {
        admit(cam);
        serveMp4Viewer(req, res, cam.tap);
        return;
      }
      await snapshot(cam, url, req, res);
    } catch (e) {
      if (!(e instanceof InternalError)) throw e;
      sendError(res, e);
    }
  }

  /** GET …/controls: every control with its value; PUT …/controls/:name `{"value": …}`: one change. */
  async function controls(cam: LiveCamera, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    if (!name && req.method === 'GET') body = await cam.controls.list();
    else if (name && req.method === 'PUT') body = await cam.controls.set(name, (await readJson(req)).value);
    else throw new InternalError(405, 'method-not-allowed', name ? 'only PUT' : 'only GET');
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
  }

  async function snapshot(cam: LiveCamera, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const w = url.searchParams.get('width');
    let width: number | undefined;
    if (w !== null) {
      width = /^\d{1,5}$/.test(w) ? Number(w) : NaN;
      if (!(width >= SNAPSHOT_MIN_WIDTH && width <= SNAPSHOT_MAX_WIDTH)) throw new InternalError(400, 'invalid-width', `width must be an integer ${SNAPSHOT_MIN_WIDTH}..${SNAPSHOT_MAX_WIDTH}`);
    }
    const s = cam.status();
    if (!LIVE_STATES.has(s.state)) throw new InternalError(503, 'camera-not-recording', `the camera is not recording (${s.state})`, { state: s.state, reason: s.reason });
    const latest = cam.tap.latestKeyframe;
    if (!latest) throw new InternalError(503, 'no-keyframe-yet', 'the camera has not sent a keyframe yet', { state: s.state, reason: s.reason });
    const etag = `"${latest.timeUs}-${width ?? 'full'}"`;
    const headers = { etag, 'cache-control': 'no-cache', 'x-keyframe-time': new Date(latest.timeUs / 1000).toISOString() };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const snap = await cam.snapshots.get(latest, width);
    res.writeHead(200, { ...headers, 'content-type': 'image/jpeg', 'content-length': snap!.jpeg.length }).end(snap!.jpeg);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const bound = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  return {
    url: o.advertiseUrl ?? bound,
    metricsUrl: `${bound}/metrics`,
    close: async () => {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}

/** A JSON object body of at most MAX_CONTROL_BODY bytes; 400 or 413 otherwise. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_CONTROL_BODY) throw new InternalError(413, 'payload-too-large', `a control value is at most ${MAX_CONTROL_BODY} bytes`);
    chunks.push(c);
  }
  let v: unknown;
  try {
    v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InternalError(400, 'invalid-json', 'the body is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !('value' in v)) throw new InternalError(400, 'validation-failed', 'the body must be {"value": …}', { errors: [{ field: 'value', reason: 'is required' }] });
  return v as Record<string, unknown>;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0];
}
