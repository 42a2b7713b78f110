import { Injectable } from '@nestjs/common';
import { spawn } from 'node:child_process';

/** ffmpeg children at a time: a timeline hover asks for many pictures at once, the machine has few cores. */
const MAX_DECODERS = 2;
const DECODE_TIMEOUT_MS = 15_000;

/** ffmpeg's answer that made no picture; its stderr stays in the log, never in an answer to a client. */
export class PictureDecodeError extends Error {
  override readonly name = 'PictureDecodeError';
}

/**
 * Decodes the first video picture of a small MP4 (an init segment and one fragment) to a JPEG with ffmpeg,
 * scaled to `width` (aspect kept, even height). One child per picture; at most MAX_DECODERS at a time.
 */
@Injectable()
export class PictureDecoderRepository {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  async jpeg(mp4: readonly Uint8Array[], width?: number): Promise<Buffer> {
    if (this.running >= MAX_DECODERS) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await decode(mp4, width);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

function decode(mp4: readonly Uint8Array[], width?: number): Promise<Buffer> {
  const scale = width ? ['-vf', `scale=${width}:-2`] : [];
  const proc = spawn(
    'ffmpeg',
    // yuvj420p: the JPEG (full-range) form of the camera's 4:2:0, which ffmpeg's mjpeg encoder takes as it is.
    ['-hide_banner', '-loglevel', 'error', '-f', 'mov', '-i', 'pipe:0', '-map', '0:v:0', '-frames:v', '1', ...scale, '-pix_fmt', 'yuvj420p', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const out: Buffer[] = [];
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => out.push(d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  // ffmpeg may stop reading once it has its picture; that is not an error.
  proc.stdin.on('error', () => undefined);
  for (const chunk of mp4) proc.stdin.write(chunk);
  proc.stdin.end();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), DECODE_TIMEOUT_MS);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) resolve(jpeg);
      else reject(new PictureDecodeError(`ffmpeg made no picture (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}
