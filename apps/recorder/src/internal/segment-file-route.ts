import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { InternalError } from './internal-error';

/** `/internal/segments/:id/file`: a segment file only this recorder can read (another node's API asks). */
export const SEGMENT_FILE_ROUTE = /^\/internal\/segments\/(\d{1,15})\/file$/;

/**
 * Sends the file at `path` (a segment of this node, resolved by the caller), whole or one `Range: bytes=a-b`
 * (RFC 9110 §14.2; the API reads fragment by fragment). 404 when the file is gone, 416 for a range past its end.
 */
export async function serveSegmentFile(req: IncomingMessage, res: ServerResponse, path: string | undefined, id: number): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new InternalError(405, 'method-not-allowed', 'only GET');
  const size = path ? await stat(path).then((s) => s.size, () => undefined) : undefined;
  if (path === undefined || size === undefined) throw new InternalError(404, 'segment-not-here', `segment ${id} has no file on this recorder`);
  const range = parseRange(req.headers.range, size);
  const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  if (!range) {
    res.writeHead(200, { ...headers, 'content-length': size });
  } else {
    res.writeHead(206, { ...headers, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${size}` });
  }
  if (req.method === 'HEAD' || (range && range.end < range.start)) {
    res.end();
    return;
  }
  await pipeline(createReadStream(path, range ? { start: range.start, end: range.end } : {}), res);
}

/** One `bytes=a-b` or `bytes=a-` range, clamped to the file; undefined for none; 416 when it starts past the end. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!m) throw new InternalError(400, 'invalid-range', 'only one bytes=a-b range is served');
  const start = Number(m[1]);
  const end = Math.min(m[2] === '' ? size - 1 : Number(m[2]), size - 1);
  if (start >= size || end < start) throw new InternalError(416, 'range-not-satisfiable', `the file has ${size} bytes`, { size });
  return { start, end };
}
