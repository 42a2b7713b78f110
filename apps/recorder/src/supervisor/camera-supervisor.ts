import type { GapReason } from '@wyze-nvr/db';
import type { Logger } from '@wyze-nvr/log';
import { TutkSessionError, type CameraSession, type CameraSessionStats, type ConnectOptions, type FrameBufferPool } from '@wyze-nvr/tutk';
import type { CameraClockOptions } from '../clock/camera-clock';
import { sleep, systemClock, type RecorderClock } from '../clock/recorder-clock';
import type { GapRecord } from '../index/recorder-store';
import type { IndexQueue } from '../index/index-queue';
import type { CameraMotion } from '../motion/camera-motion';
import { CameraPipeline } from '../pipeline/camera-pipeline';
import type { FrameConsumer } from '../pipeline/frame-consumer';
import type { SegmentFileSystem } from '../segment/segment-file';
import type { SegmentWriteError } from '../segment/segmenter';
import { Backoff } from './backoff';
import { addInto, sessionLoss, type CameraMetrics, type CameraTarget } from './camera-metrics';
import { gapReasonOf } from './gap-reason';
import { syncCameraClock, type CommandSession } from '../controls/camera-clock-sync';

export interface CameraSupervisorOptions {
  camera: CameraTarget;
  recordingsDir: string;
  segmentUs: number;
  files: SegmentFileSystem;
  index: IndexQueue;
  logger: Logger;
  connect: (o: ConnectOptions) => Promise<CameraSession>;
  /** Host time and timers; default the system's. */
  clock?: RecorderClock;
  cameraClock?: CameraClockOptions;
  /** No frame for this long restarts the session ('stalled'). */
  stallMs?: number;
  /** Frames flowing this long reset the backoff. */
  healthyMs?: number;
  backoff?: Backoff;
  /** An open gap to continue (after a restart: recorder_down, or one left open in the database). */
  initialGap?: GapRecord;
  connectOptions?: Partial<ConnectOptions>;
  /**
   * AV login resend (default 1: the camera's retransmission, INFERRED model in libs/tutk). A camera that
   * does not answer a resend = 1 login is dialled once with 0; if that connects, 0 it stays.
   */
  resend?: 0 | 1;
  /** Motion detection fed with every video frame after the segmenter. */
  motion?: CameraMotion;
  /** RECORDER_CAMERA_CLOCK_SYNC_SECONDS: set the camera's clock on connect when it is further off; 0 or absent: never. */
  clockSyncSeconds?: number;
  /**
   * Where the session's video frame buffers come from; the segmenter gives each back once its fragment is
   * written (and motion once ffmpeg has a keyframe), so frames reuse memory instead of churning the GC.
   */
  framePool?: FrameBufferPool;
  /**
   * Asked before each frame goes to disk: false once the camera's lease is no longer surely this
   * recorder's (several recorders; a process resumed after a pause longer than the TTL), and the session
   * ends without writing that frame. Absent: always true.
   */
  mayRecord?: () => boolean;
  /**
   * Asked before each datagram to the camera: false once the lease may have lapsed or was taken, so a
   * process resumed after a long pause says nothing to a camera the new owner is connected to. Unlike
   * `mayRecord`, a camera being handed over (its lease let go here, not yet released) may still be closed
   * politely. Absent: always true.
   */
  maySend?: () => boolean;
}

/** The OS capping the UDP receive buffer is a host setting: said once per process, not per camera. */
let receiveBufferWarned = false;

/**
 * One camera's lifecycle: connect, feed the session's frames to its CameraPipeline, restart a session that
 * stalls, back off and reconnect after failures, and keep the gaps table telling why footage is missing.
 * Everything it does is inside this object: one camera's failure never reaches another's.
 */
export class CameraSupervisor {
  private readonly camera: CameraTarget;
  private readonly clock: RecorderClock;
  private readonly stallMs: number;
  private readonly healthyMs: number;
  private readonly backoff: Backoff;
  private readonly pipeline: CameraPipeline;
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
  private readonly pastLoss = { resendRequests: 0, packetsRecovered: 0, framesLostToLoss: 0 };
  private resend: 0 | 1;
  /** The current attempt uses resend = 0 because a resend = 1 login went unanswered. */
  private tryingWithoutResend = false;
  private readonly metrics: CameraMetrics;

  constructor(private readonly o: CameraSupervisorOptions) {
    const c = o.camera;
    this.camera = c;
    this.clock = o.clock ?? systemClock;
    this.stallMs = o.stallMs ?? 10_000;
    this.healthyMs = o.healthyMs ?? 60_000;
    this.backoff = o.backoff ?? new Backoff();
    this.log = o.logger.child({ cameraId: c.id });
    this.gap = o.initialGap;
    this.resend = o.resend ?? 1;
    this.pipeline = new CameraPipeline({
      cameraId: c.id,
      recordingsDir: o.recordingsDir,
      segmentUs: o.segmentUs,
      files: o.files,
      index: o.index,
      clock: this.clock,
      logger: this.log,
      cameraClock: o.cameraClock,
      motion: o.motion,
      framePool: o.framePool,
      events: {
        footageResumed: (s) => {
          this.metrics.segments++;
          this.closeGap(s.startUs);
          if (this.metrics.state === 'degraded') {
            this.metrics.state = 'recording';
            this.log.info({ path: s.path }, 'segment writes work again: recording resumed');
          }
        },
        footageEnded: (endUs) => (this.lastFootageEndUs = endUs),
        footageLost: (fromUs, toUs) => this.lostFootage(fromUs, toUs),
        writeFailed: (e) => this.onWriteError(e),
      },
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
      clockCorrections: 0,
      clockOffsetSeconds: null,
      framesDropped: {},
      packetsDropped: {},
      resendRequests: 0,
      packetsRecovered: 0,
      framesLostToLoss: 0,
      lossGaps: 0,
    };
  }

  get cameraId(): number {
    return this.camera.id;
  }

  /** The camera's state now, and the last error (why it is not recording, when it is not). */
  status(): { state: CameraMetrics['state']; reason: string | null } {
    return { state: this.metrics.state, reason: this.metrics.lastError };
  }

  /** The connected session for camera controls, or the state and why there is none. */
  controlSession(): CommandSession | { state: CameraMetrics['state']; reason: string | null } {
    const s = this.session;
    if (s && !s.closed && (this.metrics.state === 'recording' || this.metrics.state === 'degraded')) return s;
    return this.status();
  }

  /** Where more consumers of this camera's frames plug in (live viewers). */
  addConsumer(c: FrameConsumer): () => void {
    return this.pipeline.addConsumer(c);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves once the footage ended at the next segment boundary, after which nothing is recorded (a planned handover). */
  endAtSegmentBoundary(): Promise<void> {
    return this.pipeline.endAtSegmentBoundary();
  }

  /** Ends the session, writes the last GOP and closes the file; no gap is opened for a deliberate stop. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeBackoff?.();
    this.session?.close();
    await this.loop;
    await this.pipeline.idle();
    this.metrics.state = 'stopped';
  }

  /** A fresh copy of the metrics with the running session's and the pipeline's counters folded in. */
  snapshot(): CameraMetrics {
    const p = this.pipeline;
    const framesDropped = { ...this.pastFrameDrops };
    const packetsDropped = { ...this.pastPacketDrops };
    const loss = { ...this.pastLoss };
    if (this.session) this.foldDrops(this.session.stats, framesDropped, packetsDropped, loss);
    const d = p.drops;
    addInto(framesDropped, 'recorder:before-keyframe', d.beforeKeyframe);
    addInto(framesDropped, 'recorder:unsupported-codec', d.unsupportedCodec);
    addInto(framesDropped, 'recorder:audio-config-pending', d.audioConfigPending);
    addInto(framesDropped, 'recorder:invalid', d.invalid);
    return {
      ...this.metrics,
      videoFrames: p.stats.videoFrames,
      audioFrames: p.stats.audioFrames,
      lastFrameUs: p.stats.lastFrameUs,
      bytes: p.bytes,
      clockMode: p.clockMode,
      clockJumps: p.clockJumps,
      gapOpen: !!this.gap,
      indexPending: this.o.index.pending,
      framesDropped,
      packetsDropped,
      ...loss,
    };
  }

  private foldDrops(s: CameraSessionStats, frames: Record<string, number>, packets: Record<string, number>, loss: typeof this.pastLoss): void {
    const l = sessionLoss(s);
    loss.resendRequests += l.resendRequests;
    loss.packetsRecovered += l.packetsRecovered;
    loss.framesLostToLoss += l.framesLostToLoss;
    for (const [k, v] of Object.entries(s.assembler.framesDropped)) addInto(frames, `assembler:${k}`, v);
    for (const [k, v] of Object.entries(s.assembler.packetsDropped)) addInto(packets, `assembler:${k}`, v);
    addInto(frames, 'session:slow-consumer', s.framesDroppedSlowConsumer);
    for (const [k, v] of Object.entries(s.drops)) addInto(packets, k, v);
  }

  private connectOptions(signal: AbortSignal): ConnectOptions {
    const c = this.camera;
    if (!c.ip) throw new Error('the camera has no IP address (import it again from the cloud)');
    const extra = this.o.connectOptions;
    return {
      host: c.ip,
      port: c.port ?? undefined,
      uid: c.uid,
      enr: c.enr,
      mac: c.mac,
      model: c.model,
      quality: c.quality,
      signal,
      ...extra,
      resend: this.resend,
      maySend: this.o.maySend,
      assembler: this.o.framePool ? { ...extra?.assembler, pool: this.o.framePool } : extra?.assembler,
    };
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      this.metrics.state = 'connecting';
      let session: CameraSession;
      try {
        session = await this.o.connect(this.connectOptions(signal));
      } catch (e) {
        if (signal.aborted) break;
        this.chooseResend(e);
        this.failed(e, 'connect');
        await this.backoffDelay();
        continue;
      }
      this.tryingWithoutResend = false;
      this.opened(session);
      let error: unknown;
      try {
        await this.record(session);
      } catch (e) {
        error = e;
      }
      const stats = session.stats;
      session.close();
      this.session = undefined;
      this.foldDrops(stats, this.pastFrameDrops, this.pastPacketDrops, this.pastLoss);
      try {
        await this.pipeline.endSession();
      } catch (e) {
        error ??= e;
      }
      if (signal.aborted) break;
      this.failed(this.stalled ? new Error('stalled') : (error ?? new Error('session ended')), 'session', this.stalled ? 'stalled' : undefined);
      await this.backoffDelay();
    }
    this.metrics.state = 'stopped';
  }

  private opened(session: CameraSession): void {
    if (this.metrics.sessions++ > 0) this.metrics.reconnects++;
    this.session = session;
    this.metrics.state = 'recording';
    this.log.info({ flavour: session.flavourName }, 'camera session open');
    if (this.o.clockSyncSeconds) void this.syncClock(session, this.o.clockSyncSeconds);
    const rb = session.receiveBuffer;
    this.metrics.receiveBufferBytes = rb?.granted ?? null;
    if (rb?.capped && !receiveBufferWarned) {
      receiveBufferWarned = true;
      this.log.warn(
        { requested: rb.requested, granted: rb.granted },
        `the OS capped the UDP receive buffer at ${rb.granted} bytes (asked for ${rb.requested}): I-frame bursts may be lost; raise it with sysctl -w net.core.rmem_max=${rb.requested}`,
      );
    }
  }

  /** Clock sync on connect (../controls/camera-clock-sync.ts): never fails the session. */
  private async syncClock(session: CameraSession, thresholdSeconds: number): Promise<void> {
    try {
      const r = await syncCameraClock(session, thresholdSeconds, () => this.clock.nowUs() / 1000);
      if (r.outcome === 'no-answer') {
        if (!session.closed) this.log.warn({ step: r.step }, `the camera did not answer K${r.step === 'read' ? 10090 : 10092}: its clock was not checked`);
        return;
      }
      this.metrics.clockOffsetSeconds = r.offsetSeconds;
      if (r.outcome === 'corrected') {
        this.metrics.clockCorrections++;
        this.pipeline.cameraTimeSet();
        this.log.info({ offsetSeconds: r.offsetSeconds, thresholdSeconds }, `camera clock was ${Math.abs(r.offsetSeconds)} s ${r.offsetSeconds > 0 ? 'ahead' : 'behind'}: set to host time (K10092)`);
      } else if (r.outcome === 'refused') {
        this.log.warn({ offsetSeconds: r.offsetSeconds }, 'the camera refused K10092: its clock stays off');
      }
    } catch (e) {
      if (!session.closed) this.log.warn({ err: e }, 'camera clock sync failed');
    }
  }

  private async record(session: CameraSession): Promise<void> {
    this.pipeline.startSession();
    this.stalled = false;
    const clock = this.clock;
    this.lastArrivalMs = clock.monotonicMs();
    const openedAt = this.lastArrivalMs;
    let healthy = false;
    const watchdog = clock.setInterval(() => {
      const now = clock.monotonicMs();
      if (now - this.lastArrivalMs > this.stallMs) {
        this.stalled = true;
        session.close();
      } else if (!healthy && now - openedAt >= this.healthyMs) {
        healthy = true;
        this.backoff.reset();
      }
    }, Math.min(1000, this.stallMs / 2));
    try {
      for await (const f of session.frames()) {
        this.lastArrivalMs = clock.monotonicMs();
        if (this.o.mayRecord && !this.o.mayRecord()) {
          // As a stop: no gap (the next owner writes it) and no reconnect (never a second session).
          this.log.warn('the camera lease is no longer surely held here: session closed, frame not written');
          this.abort.abort();
          session.close();
          break;
        }
        const writing = this.pipeline.push(f);
        if (writing) await writing;
      }
    } finally {
      watchdog.cancel();
    }
  }

  /**
   * No answer to a resend = 1 AV login: the next attempt asks for 0, for a camera that refuses resend. If
   * that one fails too, the loss was not about resend, and 1 is asked again.
   */
  private chooseResend(e: unknown): void {
    if (this.tryingWithoutResend) {
      this.tryingWithoutResend = false;
      this.resend = 1;
    } else if (this.resend === 1 && e instanceof TutkSessionError && e.phase === 'av-login' && e.code === 'login-timeout') {
      this.tryingWithoutResend = true;
      this.resend = 0;
      this.log.warn('no answer to an AV login asking for resend = 1: trying resend = 0');
    }
  }

  /** A hole inside a session (a lost frame up to the next keyframe): a closed network_loss gap, beside the segments. */
  private lostFootage(fromUs: number, toUs: number): void {
    this.metrics.lossGaps++;
    this.o.index.gap({ cameraId: this.camera.id, startUs: fromUs, endUs: toUs, reason: 'network_loss' });
    this.log.debug({ startUs: fromUs, endUs: toUs }, 'video lost on the network: network_loss gap');
  }

  private onWriteError(e: SegmentWriteError): void {
    // The segmenter has dropped the file; it opens a new one at the next keyframe, which closes this gap.
    this.metrics.lastError = e.message;
    const reason = gapReasonOf(e);
    if (this.metrics.state !== 'degraded') this.log.error({ err: e, reason }, 'segment write failed; recording resumes at the next keyframe that can be written');
    this.metrics.state = 'degraded';
    this.openGap(this.lastFootageEndUs ?? this.pipeline.currentEndUs ?? this.clock.nowUs(), reason);
  }

  private failed(e: unknown, where: 'connect' | 'session', reason: GapReason = gapReasonOf(e)): void {
    const message = e instanceof Error ? e.message : String(e);
    this.metrics.lastError = message;
    this.log.warn({ where, reason, error: message }, where === 'connect' ? 'camera connection failed' : 'camera session ended');
    this.openGap(this.lastFootageEndUs ?? this.clock.nowUs(), reason);
  }

  private openGap(startUs: number, reason: GapReason): void {
    if (this.gap) return; // one gap per period without footage; it keeps the reason footage stopped for
    this.gap = { cameraId: this.camera.id, startUs, endUs: null, reason };
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
    const wait = sleep(this.clock, this.backoff.next());
    this.wakeBackoff = wait.wake;
    await wait.done;
    this.wakeBackoff = undefined;
  }
}
