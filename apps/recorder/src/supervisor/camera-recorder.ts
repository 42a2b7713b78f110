import type { GapReason } from '@wyze-nvr/db';
import type { Logger } from '@wyze-nvr/log';
import { audioFormatOfFlags, type CameraSession, type CameraSessionStats, type ConnectOptions, type Frame, type FrameBufferPool } from '@wyze-nvr/tutk';
import { CameraClock, type CameraClockOptions } from '../clock/camera-clock';
import type { GapRecord } from '../index/recorder-store';
import type { IndexQueue } from '../index/index-queue';
import type { CameraMotion } from '../motion/camera-motion';
import type { SegmentFileSystem } from '../segment/segment-file';
import { Segmenter, SegmentWriteError, type SegmentListener, type TimedFrame } from '../segment/segmenter';
import { Backoff } from './backoff';
import { gapReasonOf } from './gap-reason';

/** 'degraded': connected, but frames cannot be written (disk full or failing); a gap is open meanwhile. */
export type CameraState = 'starting' | 'connecting' | 'recording' | 'degraded' | 'backoff' | 'stopped';

/** What a camera's recorder needs to dial it (the ENR only in memory). */
export interface CameraTarget {
  id: number;
  name: string;
  uid: string;
  enr: string;
  mac: string;
  ip: string | null;
  port: number | null;
  model: string;
  quality: 'hd' | 'sd';
}

/** Live figures of one camera, read by the metrics endpoint, the status writer and the demo API. */
export interface CameraMetrics {
  cameraId: number;
  name: string;
  state: CameraState;
  videoFrames: number;
  audioFrames: number;
  /** Bytes written to segment files. */
  bytes: number;
  segments: number;
  reconnects: number;
  sessions: number;
  /** Wall-clock µs of the newest recorded frame. */
  lastFrameUs: number | null;
  lastError: string | null;
  clockMode: string;
  clockJumps: number;
  gapOpen: boolean;
  indexPending: number;
  /** The session's UDP receive buffer as the OS granted it (null before a session). */
  receiveBufferBytes: number | null;
  /** Frame drops by reason: assembler (`assembler:<reason>`), session, slow consumer, segmenter. */
  framesDropped: Record<string, number>;
  packetsDropped: Record<string, number>;
}

export interface CameraRecorderOptions {
  camera: CameraTarget;
  recordingsDir: string;
  segmentUs: number;
  files: SegmentFileSystem;
  index: IndexQueue;
  logger: Logger;
  connect: (o: ConnectOptions) => Promise<CameraSession>;
  clock?: CameraClockOptions;
  /** No frame for this long restarts the session ('stalled'). */
  stallMs?: number;
  /** Frames flowing this long reset the backoff. */
  healthyMs?: number;
  backoff?: Backoff;
  /** An open gap to continue (after a restart: recorder_down, or one left open in the database). */
  initialGap?: GapRecord;
  connectOptions?: Partial<ConnectOptions>;
  /** Motion detection fed with every video frame after the segmenter. */
  motion?: CameraMotion;
  /**
   * Where the session's video frame buffers come from; the segmenter gives each back once its fragment is
   * written (and motion once ffmpeg has a keyframe), so frames reuse memory instead of churning the GC.
   */
  framePool?: FrameBufferPool;
}

/** The OS capping the UDP receive buffer is a host setting: said once per process, not per camera. */
let receiveBufferWarned = false;

const addInto = (into: Record<string, number>, key: string, n: number) => {
  if (n > 0) into[key] = (into[key] ?? 0) + n;
};

/**
 * One camera's supervisor and pipeline: connect, frames → Clock → Segmenter → files + index, watch for
 * stalls, back off and reconnect, and keep the gaps table telling why footage is missing. Everything it
 * does is inside this object: one camera's failure never reaches another's.
 */
export class CameraRecorder {
  private readonly o: Required<Omit<CameraRecorderOptions, 'initialGap' | 'clock' | 'connectOptions' | 'motion' | 'framePool'>> &
    Pick<CameraRecorderOptions, 'initialGap' | 'clock' | 'connectOptions' | 'motion' | 'framePool'>;
  private readonly clock: CameraClock;
  private readonly segmenter: Segmenter;
  private readonly log: Logger;
  private session: CameraSession | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private gap: GapRecord | undefined;
  private lastFootageEndUs: number | undefined;
  private lastArrivalMs = 0;
  private stalled = false;
  private wakeBackoff: (() => void) | undefined;
  /** Drops of sessions that have ended. */
  private readonly pastFrameDrops: Record<string, number> = {};
  private readonly pastPacketDrops: Record<string, number> = {};
  readonly metrics: CameraMetrics;
  /** Reused for every frame: the segmenter copies what it keeps. */
  private readonly frame: TimedFrame = { kind: 'video', codec: 0, data: new Uint8Array(0), timeUs: 0 };
  private audioFlags = -1;
  private audioRate = 16000;
  private audioChannels = 1;

  constructor(options: CameraRecorderOptions) {
    this.o = { stallMs: 10_000, healthyMs: 60_000, backoff: new Backoff(), ...options };
    const c = options.camera;
    this.log = options.logger.child({ cameraId: c.id });
    this.clock = new CameraClock(options.clock);
    this.gap = options.initialGap;
    const listener: SegmentListener = {
      opened: (s) => {
        this.o.index.segment(s);
        this.metrics.segments++;
        this.closeGap(s.startUs);
        if (this.metrics.state === 'degraded') {
          this.metrics.state = 'recording';
          this.log.info({ path: s.path }, 'segment writes work again: recording resumed');
        }
      },
      fragment: (s) => this.o.index.segment(s),
      closed: (s) => {
        this.o.index.segment(s);
        this.lastFootageEndUs = s.endUs;
      },
    };
    const pool = options.framePool;
    this.segmenter = new Segmenter({
      cameraId: c.id,
      root: options.recordingsDir,
      segmentUs: options.segmentUs,
      files: options.files,
      listener,
      release: pool && ((data) => pool.release(data)),
    });
    this.metrics = {
      cameraId: c.id,
      name: c.name,
      state: 'starting',
      videoFrames: 0,
      audioFrames: 0,
      bytes: 0,
      segments: 0,
      reconnects: 0,
      sessions: 0,
      lastFrameUs: null,
      lastError: null,
      clockMode: 'camera',
      clockJumps: 0,
      gapOpen: !!this.gap,
      indexPending: 0,
      receiveBufferBytes: null,
      framesDropped: {},
      packetsDropped: {},
    };
  }

  get cameraId(): number {
    return this.o.camera.id;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the session, writes the last GOP and closes the file; no gap is opened for a deliberate stop. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeBackoff?.();
    this.session?.close();
    await this.loop;
    await this.o.motion?.idle();
    this.metrics.state = 'stopped';
  }

  /** A fresh copy of the metrics with the running session's counters folded in. */
  snapshot(): CameraMetrics {
    const m = this.metrics;
    const framesDropped = { ...this.pastFrameDrops };
    const packetsDropped = { ...this.pastPacketDrops };
    if (this.session) this.foldDrops(this.session.stats, framesDropped, packetsDropped);
    const d = this.segmenter.drops;
    addInto(framesDropped, 'recorder:before-keyframe', d.beforeKeyframe);
    addInto(framesDropped, 'recorder:unsupported-codec', d.unsupportedCodec);
    addInto(framesDropped, 'recorder:audio-config-pending', d.audioConfigPending);
    addInto(framesDropped, 'recorder:invalid', d.invalid);
    return {
      ...m,
      bytes: this.segmenter.totals.bytes,
      clockMode: this.clock.mode,
      clockJumps: this.clock.stats.jumps,
      gapOpen: !!this.gap,
      indexPending: this.o.index.pending,
      framesDropped,
      packetsDropped,
    };
  }

  private foldDrops(s: CameraSessionStats, frames: Record<string, number>, packets: Record<string, number>): void {
    for (const [k, v] of Object.entries(s.assembler.framesDropped)) addInto(frames, `assembler:${k}`, v);
    for (const [k, v] of Object.entries(s.assembler.packetsDropped)) addInto(packets, `assembler:${k}`, v);
    addInto(frames, 'session:slow-consumer', s.framesDroppedSlowConsumer);
    for (const [k, v] of Object.entries(s.drops)) addInto(packets, k, v);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const c = this.o.camera;
    while (!signal.aborted) {
      this.metrics.state = 'connecting';
      let session: CameraSession;
      try {
        if (!c.ip) throw new Error('the camera has no IP address (import it again from the cloud)');
        session = await this.o.connect({
          host: c.ip,
          port: c.port ?? undefined,
          uid: c.uid,
          enr: c.enr,
          mac: c.mac,
          model: c.model,
          quality: c.quality,
          signal,
          ...this.o.connectOptions,
          assembler: this.o.framePool ? { ...this.o.connectOptions?.assembler, pool: this.o.framePool } : this.o.connectOptions?.assembler,
        });
      } catch (e) {
        if (signal.aborted) break;
        this.failed(e, 'connect');
        await this.backoffDelay();
        continue;
      }
      if (this.metrics.sessions++ > 0) this.metrics.reconnects++;
      this.session = session;
      this.metrics.state = 'recording';
      this.log.info({ flavour: session.flavourName }, 'camera session open');
      const rb = session.receiveBuffer;
      this.metrics.receiveBufferBytes = rb?.granted ?? null;
      if (rb?.capped && !receiveBufferWarned) {
        receiveBufferWarned = true;
        this.log.warn(
          { requested: rb.requested, granted: rb.granted },
          `the OS capped the UDP receive buffer at ${rb.granted} bytes (asked for ${rb.requested}): I-frame bursts may be lost; raise it with sysctl -w net.core.rmem_max=${rb.requested}`,
        );
      }
      let error: unknown;
      try {
        await this.record(session);
      } catch (e) {
        error = e;
      }
      const stats = session.stats;
      session.close();
      this.session = undefined;
      this.foldDrops(stats, this.pastFrameDrops, this.pastPacketDrops);
      try {
        await this.segmenter.close();
      } catch (e) {
        error ??= e;
      }
      void this.o.motion?.endSession(); // ends an event in progress, off the reconnect path (stop awaits it)
      if (signal.aborted) break;
      this.failed(this.stalled ? new Error('stalled') : (error ?? new Error('session ended')), 'session', this.stalled ? 'stalled' : undefined);
      await this.backoffDelay();
    }
    this.metrics.state = 'stopped';
  }

  private async record(session: CameraSession): Promise<void> {
    this.clock.resetSession();
    this.stalled = false;
    this.lastArrivalMs = Date.now();
    const openedAt = this.lastArrivalMs;
    let healthy = false;
    const watchdog = setInterval(() => {
      const now = Date.now();
      if (now - this.lastArrivalMs > this.o.stallMs) {
        this.stalled = true;
        session.close();
      } else if (!healthy && now - openedAt >= this.o.healthyMs) {
        healthy = true;
        this.o.backoff.reset();
      }
    }, Math.min(1000, this.o.stallMs / 2));
    try {
      for await (const f of session.frames()) {
        if (this.onFrame(f)) await this.pending;
      }
    } finally {
      clearInterval(watchdog);
    }
  }

  private pending: Promise<void> | undefined;

  /** Returns true when the caller must await `this.pending` (a fragment being written) before the next frame. */
  private onFrame(f: Frame): boolean {
    this.lastArrivalMs = Date.now();
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
    if (video) this.metrics.videoFrames++;
    else this.metrics.audioFrames++;
    this.metrics.lastFrameUs = tf.timeUs;
    let p: Promise<void> | undefined;
    try {
      p = this.segmenter.push(tf);
    } catch (e) {
      this.onWriteError(e);
      return false;
    }
    if (video) this.o.motion?.push(tf.codec, tf.data, tf.timeUs);
    if (!p) return false;
    this.pending = p.catch((e) => this.onWriteError(e));
    return true;
  }

  private onWriteError(e: unknown): void {
    if (!(e instanceof SegmentWriteError)) throw e;
    // The segmenter has dropped the file; it opens a new one at the next keyframe, which closes this gap.
    this.metrics.lastError = e.message;
    const reason = gapReasonOf(e);
    if (this.metrics.state !== 'degraded') this.log.error({ err: e, reason }, 'segment write failed; recording resumes at the next keyframe that can be written');
    this.metrics.state = 'degraded';
    this.openGap(this.lastFootageEndUs ?? this.segmenter.current?.endUs ?? Date.now() * 1000, reason);
  }

  private failed(e: unknown, where: 'connect' | 'session', reason: GapReason = gapReasonOf(e)): void {
    const message = e instanceof Error ? e.message : String(e);
    this.metrics.lastError = message;
    this.log.warn({ where, reason, error: message }, where === 'connect' ? 'camera connection failed' : 'camera session ended');
    this.openGap(this.lastFootageEndUs ?? Date.now() * 1000, reason);
  }

  private openGap(startUs: number, reason: GapReason): void {
    if (this.gap) return; // one gap per period without footage; it keeps the reason footage stopped for
    this.gap = { cameraId: this.o.camera.id, startUs, endUs: null, reason };
    this.o.index.gap(this.gap);
    this.log.info({ reason, startUs }, 'gap opened');
  }

  private closeGap(endUs: number): void {
    const g = this.gap;
    if (!g) return;
    this.gap = undefined;
    g.endUs = Math.max(g.startUs, endUs);
    this.o.index.gap(g);
    this.log.info({ reason: g.reason, startUs: g.startUs, endUs: g.endUs }, 'gap closed');
  }

  private async backoffDelay(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.metrics.state = 'backoff';
    const ms = this.o.backoff.next();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakeBackoff = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wakeBackoff = undefined;
  }
}
