import type { Logger } from '@wyze-nvr/log';
import { audioFormatOfFlags, type Frame, type FrameBufferPool } from '@wyze-nvr/tutk';
import { CameraClock, type CameraClockOptions } from '../clock/camera-clock';
import type { RecorderClock } from '../clock/recorder-clock';
import type { IndexQueue } from '../index/index-queue';
import type { CameraMotion } from '../motion/camera-motion';
import type { SegmentFileSystem } from '../segment/segment-file';
import { Segmenter, SegmentWriteError, type SegmentRecord, type SegmenterDrops, type TimedFrame } from '../segment/segmenter';
import type { FrameConsumer } from './frame-consumer';

/** What the pipeline tells its supervisor, which owns the camera's state and gaps. */
export interface PipelineEvents {
  /** A file opened: footage exists again from `s.startUs`. */
  footageResumed(s: Readonly<SegmentRecord>): void;
  /** A file closed at `endUs`: where the next gap would start. */
  footageEnded(endUs: number): void;
  /**
   * Video was lost on the network inside a session: nothing is stored for [fromUs, toUs), from the end of
   * the last frame written to the keyframe that resumes it (the file was cut there, so no segment spans it).
   */
  footageLost(fromUs: number, toUs: number): void;
  /** A segment write failed; the segmenter dropped the file and retries at the next keyframe. */
  writeFailed(e: SegmentWriteError): void;
}

export interface CameraPipelineOptions {
  cameraId: number;
  recordingsDir: string;
  segmentUs: number;
  files: SegmentFileSystem;
  index: IndexQueue;
  clock: RecorderClock;
  logger: Logger;
  events: PipelineEvents;
  cameraClock?: CameraClockOptions;
  motion?: CameraMotion;
  /** The segmenter gives each video frame's buffer back here once its fragment is written. */
  framePool?: FrameBufferPool;
}

export interface PipelineStats {
  videoFrames: number;
  audioFrames: number;
  /** Wall-clock µs of the newest frame. */
  lastFrameUs: number | null;
  /** Throws caught from consumers, by consumer name. */
  consumerErrors: Record<string, number>;
}

/**
 * One camera's frames, in order: Clock (FRAMEINFO time → wall-clock µs) → Segmenter (files, and their rows
 * through the index queue) → consumers (motion, then whatever `addConsumer` plugged in). Only the
 * segmenter may hold the frame path back, to keep fragment writes in order; consumers see each frame
 * after it and cannot.
 */
export class CameraPipeline {
  private readonly clock: CameraClock;
  private readonly segmenter: Segmenter;
  private readonly consumers: FrameConsumer[] = [];
  private readonly log: Logger;
  /** Reused for every frame: the segmenter copies what it keeps. */
  private readonly frame: TimedFrame = { kind: 'video', codec: 0, data: new Uint8Array(0), timeUs: 0 };
  private audioFlags = -1;
  private audioRate = 16000;
  private audioChannels = 1;
  readonly stats: PipelineStats = { videoFrames: 0, audioFrames: 0, lastFrameUs: null, consumerErrors: {} };

  constructor(private readonly o: CameraPipelineOptions) {
    this.log = o.logger;
    this.clock = new CameraClock({ now: () => o.clock.nowUs(), ...o.cameraClock });
    const pool = o.framePool;
    this.segmenter = new Segmenter({
      cameraId: o.cameraId,
      root: o.recordingsDir,
      segmentUs: o.segmentUs,
      files: o.files,
      listener: {
        opened: (s) => {
          o.index.segment(s);
          o.events.footageResumed(s);
        },
        fragment: (s) => o.index.segment(s),
        closed: (s) => {
          o.index.segment(s);
          o.events.footageEnded(s.endUs);
        },
      },
      release: pool && ((data) => pool.release(data)),
    });
    const motion = o.motion;
    // Motion scores video only; it retains the keyframes it sends to ffmpeg (camera-motion.ts).
    if (motion) this.addConsumer({ name: 'motion', push: (f) => f.kind === 'video' && motion.push(f.codec, f.data, f.timeUs) });
  }

  /** Plugs in a consumer of every later frame; returns its removal. */
  addConsumer(c: FrameConsumer): () => void {
    this.consumers.push(c);
    return () => {
      const i = this.consumers.indexOf(c);
      if (i >= 0) this.consumers.splice(i, 1);
    };
  }

  /** The recorder set the camera's clock: adopt the corrected time (CameraClock.cameraTimeSet). */
  cameraTimeSet(): void {
    this.clock.cameraTimeSet();
  }

  get clockMode(): string {
    return this.clock.mode;
  }

  get clockJumps(): number {
    return this.clock.stats.jumps;
  }

  get bytes(): number {
    return this.segmenter.totals.bytes;
  }

  get drops(): Readonly<SegmenterDrops> {
    return this.segmenter.drops;
  }

  /** The end of the file being written, if any. */
  get currentEndUs(): number | undefined {
    return this.segmenter.current?.endUs;
  }

  /** A new camera session: its FRAMEINFO time starts afresh (output time still never goes back). */
  startSession(): void {
    this.clock.resetSession();
  }

  /**
   * One frame from the session. Returns a promise when a fragment is being written: the caller awaits it
   * before the next frame. A write failure is reported through `events.writeFailed`, never thrown.
   */
  push(f: Frame): Promise<void> | undefined {
    const tf = this.frame;
    const video = f.kind === 'video';
    tf.kind = f.kind;
    tf.codec = f.codec;
    tf.data = f.data;
    tf.timeUs = this.clock.timeOf(f.kind, f.info.timestampSec, f.info.timestampUs);
    if (!video && f.info.flags !== this.audioFlags) {
      this.audioFlags = f.info.flags;
      const fmt = audioFormatOfFlags(f.info.flags);
      this.audioRate = fmt.sampleRate;
      this.audioChannels = fmt.channels;
    }
    tf.sampleRate = this.audioRate;
    tf.channels = this.audioChannels;
    const s = this.stats;
    if (video) s.videoFrames++;
    else s.audioFrames++;
    s.lastFrameUs = tf.timeUs;
    let p: Promise<void> | undefined;
    try {
      p = video && f.afterLoss ? this.resumeAfterLoss(tf) : this.segmenter.push(tf);
    } catch (e) {
      this.writeError(e);
      return undefined;
    }
    for (const c of this.consumers) {
      try {
        c.push(tf);
      } catch (e) {
        this.consumerFailed(c, e);
      }
    }
    return p?.catch((e) => this.writeError(e));
  }

  /** A keyframe after a network loss: the file ends where footage stopped, the gap is told, the keyframe starts a new file. */
  private async resumeAfterLoss(tf: TimedFrame): Promise<void> {
    const endUs = await this.segmenter.cut(tf.timeUs);
    if (endUs !== undefined) this.o.events.footageLost(endUs, tf.timeUs);
    await this.segmenter.push(tf);
  }

  /** Ends the footage at the next segment boundary and stores nothing after it (Segmenter.endAtBoundary). */
  endAtSegmentBoundary(): Promise<void> {
    return this.segmenter.endAtBoundary();
  }

  /** Writes the last GOP and closes the file (end of a session, or stop). */
  async endSession(): Promise<void> {
    try {
      await this.segmenter.close();
    } finally {
      void this.o.motion?.endSession(); // ends an event in progress, off the reconnect path (stop awaits idle)
    }
  }

  /** Waits for consumers' work in flight (motion's last event row). */
  async idle(): Promise<void> {
    await this.o.motion?.idle();
  }

  private writeError(e: unknown): void {
    if (!(e instanceof SegmentWriteError)) throw e;
    this.o.events.writeFailed(e);
  }

  private consumerFailed(c: FrameConsumer, e: unknown): void {
    const n = (this.stats.consumerErrors[c.name] ?? 0) + 1;
    this.stats.consumerErrors[c.name] = n;
    if (n === 1) this.log.error({ err: e, consumer: c.name }, 'a frame consumer failed; it keeps getting frames, the others are unaffected');
  }
}
