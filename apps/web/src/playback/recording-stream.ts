// One piece of a camera's recording as the API streams it: GET /cameras/:id/video.mp4?from&to, a
// fragmented MP4 whose time zero is the keyframe at or before `from` (X-Start-Time). A range in which the
// codec or resolution changes is refused (409) with its `ranges`: the first one is asked for instead, the
// rest come as the next pieces.
import { ApiError } from '../api/api-error';

export interface Piece {
  /** Wall time of the piece's media time zero (its first keyframe), epoch ms. */
  startMs: number;
  /** End of the requested range, epoch ms: the next piece is asked from here. */
  toMs: number;
  body: ReadableStream<Uint8Array>;
}

interface ConflictRange {
  from: string;
  to: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Opens [fromMs, toMs) of a camera's recording. Undefined when nothing is recorded there (422
 * no-recordings); other API errors are thrown as ApiError.
 */
export async function openPiece(cameraId: number, fromMs: number, toMs: number, signal: AbortSignal, fetchFn: typeof fetch = (i, init) => fetch(i, init)): Promise<Piece | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetchFn(`/cameras/${cameraId}/video.mp4?from=${iso(fromMs)}&to=${iso(toMs)}`, { credentials: 'same-origin', signal });
    if (res.ok && res.body) {
      const start = res.headers.get('x-start-time');
      return { startMs: start ? Date.parse(start) : fromMs, toMs, body: res.body };
    }
    const error = await ApiError.from(res.clone());
    if (error.code === 'no-recordings') return undefined;
    const ranges = error.code === 'stream-config-changed' ? ((await res.json().catch(() => ({}))) as { ranges?: ConflictRange[] }).ranges : undefined;
    if (ranges?.length) {
      // Ask for the part up to the first change; the next piece starts after it.
      const firstTo = Date.parse(ranges[0].to);
      if (firstTo > fromMs && firstTo < toMs) {
        toMs = firstTo;
        continue;
      }
    }
    throw error;
  }
  throw new ApiError(409, 'stream-config-changed', 'the stream changes too often in this range to be played');
}
