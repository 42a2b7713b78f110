import type { Request, Response } from 'express';
import { DomainError } from './domain.error';
import { resolveRange } from './http-range';
import { formatIsoUs } from './time';

/** Aborted when the client goes away before the response has finished. */
export function clientGone(res: Response): AbortController {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort(new Error('client closed the connection'));
  });
  return ac;
}

/** Writes chunks with backpressure; stops when the client is gone. */
export async function pipeChunks(res: Response, chunks: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<void> {
  for await (const chunk of chunks) {
    if (signal.aborted) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        res.on('drain', done);
        signal.addEventListener('abort', done);
      });
    }
  }
  res.end();
}

/** What a range copy is given by {@link streamMp4}. */
export interface Mp4StreamHooks {
  signal: AbortSignal;
  /** Sends status and headers; the copy calls it once it knows its first keyframe. */
  onStart: (info: { startUs: number }) => void;
}

/**
 * Streams a range copy as a chunked `video/mp4` answer with its first keyframe's time in X-Start-Time.
 * Nothing is sent before the copy starts, so an error before then still gets the exception filter's
 * answer; once the client is gone, the copy is aborted and its error dropped.
 */
export async function streamMp4(res: Response, filename: string, copy: (hooks: Mp4StreamHooks) => AsyncIterable<Uint8Array>): Promise<void> {
  const ac = clientGone(res);
  const chunks = copy({
    signal: ac.signal,
    onStart: ({ startUs }) => {
      res.status(200);
      res.setHeader('Content-Type', 'video/mp4');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Start-Time', formatIsoUs(startUs));
      res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
    },
  });
  try {
    await pipeChunks(res, chunks, ac.signal);
  } catch (e) {
    if (ac.signal.aborted) return;
    throw e;
  }
}

export interface ReadableFile {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

const READ_BYTES = 1 << 20;

/** Sends a file with `Accept-Ranges: bytes`: 200, 206 for one satisfiable range, 416 otherwise. */
export async function sendFile(req: Request, res: Response, file: ReadableFile, headers: Record<string, string>): Promise<void> {
  try {
    const range = resolveRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, file.size);
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      throw new DomainError('range-not-satisfiable', `the range is outside the file's ${file.size} bytes`);
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, file.size - 1];
    res.status(range.kind === 'partial' ? 206 : 200);
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Length', String(end - start + 1));
    if (range.kind === 'partial') res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const ac = clientGone(res);
    async function* chunks() {
      for (let off = start; off <= end; off += READ_BYTES) yield await file.read(off, Math.min(READ_BYTES, end - off + 1));
    }
    await pipeChunks(res, chunks(), ac.signal);
  } finally {
    await file.close();
  }
}
