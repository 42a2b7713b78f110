import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveTap } from './live-tap';
import { ANY_CODEC } from './viewer-codecs';

/**
 * live.mp4 for a request whose slot `tap.reserve()` holds: one endless fragmented MP4 over chunked HTTP, the
 * same fragments as the WebSocket viewers get (video as the camera sends it, AAC as is, G.711/PCM as FLAC).
 * A format change ends the response: a player reading one file cannot take a second init segment, and
 * reconnecting gets the new one.
 */
export function serveMp4Viewer(req: IncomingMessage, res: ServerResponse, tap: LiveTap): void {
  res.writeHead(200, { 'content-type': 'video/mp4', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  const viewer = tap.addViewer(
    {
      get buffered() {
        return res.writableLength;
      },
      binary: (bytes) => res.write(bytes),
      end: () => res.end(),
    },
    ANY_CODEC,
    'mp4',
  );
  res.on('close', () => tap.removeViewer(viewer));
  req.on('error', () => res.destroy());
}
