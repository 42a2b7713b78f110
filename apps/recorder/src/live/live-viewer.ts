import type { LiveFormat } from './live-format';
import type { LiveBundle, LiveFragment } from './live-fragment';
import type { ViewerCodecs } from './viewer-codecs';

/** Why the recorder ends a viewer. */
export type ViewerEndCode = 'unsupported-codec' | 'stream-changed' | 'stopped';

/** Where a viewer's bytes go: a WebSocket, or a chunked HTTP response. */
export interface ViewerSink {
  /** Bytes accepted and not yet handed to the kernel: the viewer's queue. */
  readonly buffered: number;
  binary(bytes: Uint8Array): void;
  /** A protocol message (WebSocket text); absent on a plain byte stream (live.mp4). */
  text?(json: string): void;
  end(code: ViewerEndCode, message: string): void;
}

export interface ViewerStats {
  /** Times the queue overflowed and the viewer was moved on to the next keyframe. */
  skips: number;
  /** Fragments not sent because of those skips. */
  skippedFrames: number;
}

/**
 * One viewer of one camera. Per video frame it does a queue check and a socket write of the shared bundle
 * (LiveBundle); it never copies and never waits. The queue is the socket's own write buffer, bounded at `maxQueueBytes`: a
 * fragment that would overflow it is not written, and the viewer resumes at the next keyframe that fits
 * (after a `skipped` message on a WebSocket), so a slow viewer holds at most its bound of (shared) bytes,
 * or one fragment when a single one is larger.
 */
export class LiveViewer {
  readonly stats: ViewerStats = { skips: 0, skippedFrames: 0 };
  /** Set once a format is sent: `${videoVersion}:${audioVersion or -}` of what the viewer plays. */
  private playing: string | undefined;
  private withAudio = false;
  private waitingForKeyframe = false;
  private skippedSinceKeyframe = 0;
  private ended = false;
  /** The newest fragment `start` sent from the GOP cache: later bundles may still hold it (held audio). */
  private sentSeq = -1;

  constructor(
    readonly sink: ViewerSink,
    private readonly codecs: ViewerCodecs,
    private readonly maxQueueBytes: number,
    /** A WebSocket viewer is told of a format change and goes on; a byte stream cannot take a second init segment. */
    private readonly restartable: boolean,
  ) {}

  get active(): boolean {
    return !this.ended;
  }

  /**
   * Sends `format` (codecs, init segment) and the cached GOP, unless the viewer already plays exactly
   * that; false when the viewer has ended (its player cannot decode the video, or a byte stream changed).
   */
  start(format: LiveFormat, gop: readonly LiveFragment[]): boolean {
    if (this.ended) return false;
    const video = format.video.codecString;
    if (!this.codecs.video(video)) {
      this.finish('unsupported-codec', `the camera sends ${format.video.codec === 'h265' ? 'H.265' : 'H.264'} (${video}), which this player cannot decode`);
      return false;
    }
    const a = format.audio;
    const withAudio = !!a && this.codecs.audio(a.codec === 'pcmu' ? 'ulaw' : a.codecString);
    const key = `${format.videoVersion}:${withAudio ? format.audioVersion : '-'}`;
    if (key === this.playing) return true;
    if (this.playing !== undefined && !this.restartable) {
      this.finish('stream-changed', 'the camera changed its stream format; reconnect for the new one');
      return false;
    }
    this.playing = key;
    this.withAudio = withAudio;
    this.sink.text?.(JSON.stringify(format.codecs(withAudio)));
    this.sink.binary(format.init(withAudio));
    this.skippedSinceKeyframe = 0;
    this.waitingForKeyframe = gop.length === 0;
    this.sentSeq = -1;
    for (const f of gop) {
      if (f.video || withAudio) this.sink.binary(f.bytes);
      this.sentSeq = f.seq;
    }
    return true;
  }

  deliver(b: LiveBundle): void {
    if (this.ended || this.playing === undefined) return;
    const bytes = b.bytes(this.withAudio, this.sentSeq);
    if (!bytes) return;
    const frames = b.frames(this.withAudio, this.sentSeq);
    // An empty queue takes any bundle, even a keyframe larger than the bound (else such a keyframe would never fit).
    const queued = this.sink.buffered;
    const fits = queued === 0 || queued + bytes.length <= this.maxQueueBytes;
    if (this.waitingForKeyframe) {
      if (!(b.keyframe && fits)) {
        if (this.skippedSinceKeyframe > 0) {
          this.skippedSinceKeyframe += frames;
          this.stats.skippedFrames += frames;
        }
        return;
      }
      this.waitingForKeyframe = false;
      if (this.skippedSinceKeyframe > 0) this.sink.text?.(JSON.stringify({ type: 'skipped', frames: this.skippedSinceKeyframe }));
      this.skippedSinceKeyframe = 0;
    } else if (!fits) {
      this.waitingForKeyframe = true;
      this.skippedSinceKeyframe = frames;
      this.stats.skips++;
      this.stats.skippedFrames += frames;
      return;
    }
    this.sink.binary(bytes);
  }

  /** Ends the viewer (its sink is closed with the reason). */
  finish(code: ViewerEndCode, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.sink.end(code, message);
  }

  /** The socket went away: nothing more is sent. */
  detach(): void {
    this.ended = true;
  }
}
