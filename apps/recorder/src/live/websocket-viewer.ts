import type { WebSocket } from 'ws';
import type { LiveTap } from './live-tap';
import type { LiveViewer, ViewerEndCode, ViewerSink } from './live-viewer';
import { parseHello, viewerCodecs } from './viewer-codecs';

/** Close codes (RFC 6455 §7.4.1): the recorder goes away; the data is not something this viewer can take; a protocol error. */
const CLOSE_GOING_AWAY = 1001;
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_POLICY = 1008;

export interface WebSocketViewerOptions {
  /** Time the client has to send its hello (default 10 s). */
  helloTimeoutMs?: number;
}

/**
 * Runs the live protocol on an upgraded socket for which `tap.reserve()` succeeded: waits for the client's
 * `hello` (the MIME types its MediaSource takes), then makes it a viewer of the tap. A missing or malformed
 * hello is answered with an `error` message and a close (1008); later client messages are ignored.
 */
export function runWebSocketViewer(ws: WebSocket, tap: LiveTap, o: WebSocketViewerOptions = {}): void {
  let viewer: LiveViewer | undefined;
  let slot = true;
  const release = () => {
    if (slot) tap.unreserve();
    slot = false;
  };
  const refuse = (message: string) => {
    ws.send(JSON.stringify({ type: 'error', code: 'bad-hello', message }));
    ws.close(CLOSE_POLICY, 'bad-hello');
    release();
  };
  const timer = setTimeout(() => refuse('no hello message in time'), o.helloTimeoutMs ?? 10_000);
  ws.once('message', (data, isBinary) => {
    clearTimeout(timer);
    if (!slot) return;
    const types = isBinary ? undefined : parseHello(data.toString());
    if (!types) return refuse('the first message must be {"type":"hello","mimeTypes":[…]}');
    slot = false;
    viewer = tap.addViewer(sinkOf(ws), viewerCodecs(types), 'websocket');
  });
  ws.on('close', () => {
    clearTimeout(timer);
    release();
    if (viewer) tap.removeViewer(viewer);
  });
  ws.on('error', () => ws.terminate());
}

function sinkOf(ws: WebSocket): ViewerSink {
  return {
    get buffered() {
      return ws.bufferedAmount;
    },
    binary: (bytes) => ws.send(bytes),
    text: (json) => ws.send(json),
    end: (code: ViewerEndCode, message: string) => {
      if (code === 'stopped') {
        ws.close(CLOSE_GOING_AWAY, code);
        return;
      }
      ws.send(JSON.stringify({ type: 'error', code, message }));
      ws.close(CLOSE_UNSUPPORTED, code);
    },
  };
}
