import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { MotionCodec } from './frame-complexity';
import type { LumaPicture } from './keyframe-change';

export interface KeyframeThumbnailerOptions {
  width: number;
  height: number;
  ffmpegPath: string;
}

/**
 * How keyframes become thumbnails (shared with the batch decodes of the evaluation and the tests, so they
 * cannot drift): the picture area-scaled to width × height and taken as grey. The loop filter is skipped:
 * it smooths block edges of the full-size picture, which the 16×16 area average hides anyway (mean change
 * 0.04 of 255, at most 3, on the 2K bench stream), and skipping it saves a third of the decoding.
 */
export function keyframeThumbnailArgs(width: number, height: number): { input: string[]; output: string[] } {
  return {
    input: ['-skip_loop_filter', 'all'],
    output: ['-vf', `scale=${width}:${height}:flags=area,format=gray`, '-fps_mode', 'passthrough', '-f', 'rawvideo'],
  };
}

/** H.264 / H.265 access unit delimiters: sent before each keyframe, so the parser sees where the previous one ended. */
const AUD: Record<MotionCodec, Uint8Array> = {
  h264: new Uint8Array([0, 0, 0, 1, 0x09, 0xf0]),
  h265: new Uint8Array([0, 0, 0, 1, 0x46, 0x01, 0x50]),
};

/**
 * Decodes keyframes of one camera to small grey pictures for the keyframe-change score, with one
 * long-lived ffmpeg process (a side effect, hence its own class; MotionDetector stays pure).
 * Feed only keyframe access units (with their parameter sets), in order: a keyframe decodes on its own,
 * so the cost is one intra picture per GOP (see libs/motion/bench for the figure).
 * Answers come in order but lag: ffmpeg returns a keyframe's picture after it has read a keyframe or two
 * more (or at close), which MotionDetector.pushPicture allows for. If ffmpeg exits, every waiting and
 * later request fails.
 */
export class KeyframeThumbnailer {
  private readonly proc: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly waiting: { resolve: (p: LumaPicture) => void; reject: (e: Error) => void }[] = [];
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private failure: Error | null = null;
  private stderr = '';
  readonly options: KeyframeThumbnailerOptions;

  constructor(
    readonly codec: MotionCodec,
    options: Partial<KeyframeThumbnailerOptions> = {},
  ) {
    this.options = { width: 160, height: 90, ffmpegPath: 'ffmpeg', ...options };
    const { width, height } = this.options;
    const args = keyframeThumbnailArgs(width, height);
    this.proc = spawn(
      this.options.ffmpegPath,
      [
        '-hide_banner', '-loglevel', 'error', '-nostdin',
        '-probesize', '32', '-analyzeduration', '0', '-flags', 'low_delay', '-threads', '1', ...args.input,
        '-f', codec === 'h264' ? 'h264' : 'hevc', '-i', 'pipe:0',
        ...args.output, 'pipe:1',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    this.proc.stdin.on('error', (e) => this.fail(e));
    this.proc.on('error', (e) => this.fail(e));
    this.proc.on('close', (code) => this.fail(new Error(`ffmpeg exited (${code}): ${this.stderr.trim()}`)));
  }

  /** ffmpeg's process id (for CPU accounting). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /**
   * The keyframe access unit (Annex B) as a width × height grey picture. `written`, when given, is called
   * once the bytes of `keyframe` are no longer needed (handed to ffmpeg, or the write failed), so the
   * caller may reuse its buffer; until then it must not.
   */
  decode(keyframe: Uint8Array, written?: () => void): Promise<LumaPicture> {
    if (this.failure) {
      written?.();
      return Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      // One writev for delimiter and picture: each write to the pipe can wake ffmpeg (a context switch).
      const stdin = this.proc.stdin;
      stdin.cork();
      stdin.write(AUD[this.codec]);
      stdin.write(keyframe, written && (() => written()));
      stdin.uncork();
    });
  }

  /**
   * Ends the input: ffmpeg decodes what it still holds (it answers a keyframe or two behind its input),
   * then exits. Requests still unanswered after `timeoutMs` fail and ffmpeg is killed.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const closed = new Promise<void>((resolve) => this.proc.once('close', () => resolve()));
    this.proc.stdin.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    await closed;
    clearTimeout(timer);
  }

  private onData(chunk: Buffer): void {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const size = this.options.width * this.options.height;
    while (this.bufferedBytes >= size && this.waiting.length > 0) {
      const all = Buffer.concat(this.buffered);
      const picture: LumaPicture = { width: this.options.width, height: this.options.height, luma: new Uint8Array(all.subarray(0, size)) };
      const rest = all.subarray(size);
      this.buffered = rest.length ? [rest] : [];
      this.bufferedBytes = rest.length;
      this.waiting.shift()!.resolve(picture);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}
