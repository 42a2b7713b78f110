import type { MotionSettings } from '@wyze-nvr/config';
import type { GapReason } from '@wyze-nvr/db';
import type { Logger } from '@wyze-nvr/log';
import type { CameraSession, ConnectOptions, FrameBufferPool } from '@wyze-nvr/tutk';
import type { RecorderClock } from '../clock/recorder-clock';
import { untilSegmentBoundary } from '../cluster/handover';
import type { CameraLease } from '../cluster/lease-store';
import { CameraControls } from '../controls/camera-controls';
import { IndexQueue } from '../index/index-queue';
import type { EventRecord, GapRecord, RecorderStore } from '../index/recorder-store';
import type { LiveCamera } from '../internal/internal-server';
import { LiveTap } from '../live/live-tap';
import { ffmpegKeyframeDecoder, SnapshotCache } from '../live/snapshot-cache';
import { CameraMotion, type MotionTransition } from '../motion/camera-motion';
import type { SegmentFileSystem } from '../segment/segment-file';
import type { CameraTarget } from '../supervisor/camera-metrics';
import { CameraSupervisor } from '../supervisor/camera-supervisor';

/** What every camera of a recorder shares. */
export interface CameraRunContext {
  store: RecorderStore;
  recordingsDir: string;
  segmentUs: number;
  files: SegmentFileSystem;
  logger: Logger;
  connect: (o: ConnectOptions) => Promise<CameraSession>;
  clock: RecorderClock;
  motion: MotionSettings;
  clockMaxSkewSeconds: number;
  stallSeconds: number;
  resend: boolean;
  cameraClockSyncSeconds: number;
  live: { maxViewers: number; queueBytes: number };
  framePool: FrameBufferPool;
  /** Told when motion starts and ends (MQTT), and each event row written with its id. */
  onMotion?: (t: MotionTransition) => void;
  onEventWritten?: (e: EventRecord, id: number) => void;
  /** Told when the database refuses a write under the camera's lease (another node owns it now). */
  onFenced?: (lease: CameraLease) => void;
  /** Whether this lease is still surely held here (asked before each frame is written). */
  leaseHeld?: (lease: CameraLease) => boolean;
  /** Whether the session may still send to the camera under this lease (false once it may have lapsed or was taken). */
  leaseMayTalk?: (lease: CameraLease) => boolean;
}

/**
 * One running camera: its index queue, motion detection, supervisor (session and recording), live tap,
 * snapshots and controls. Built when CameraSync starts the camera and stopped when it stops it; stopping
 * it for a reason other than a restart leaves an open gap that says why footage stops here.
 */
export class CameraRun {
  readonly supervisor: CameraSupervisor;
  readonly index: IndexQueue;
  readonly motion: CameraMotion | undefined;
  readonly live: LiveCamera & { name: string };

  private constructor(
    readonly camera: CameraTarget,
    private readonly ctx: CameraRunContext,
    initialGap: GapRecord | undefined,
    /** The lease its rows are written under (several recorders); none on its own. */
    readonly lease: CameraLease | undefined,
  ) {
    const log = ctx.logger.child({ cameraId: camera.id });
    this.index = new IndexQueue(ctx.store, log, undefined, ctx.clock, lease);
    if (ctx.onEventWritten) this.index.onEventWritten(ctx.onEventWritten);
    if (lease && ctx.onFenced) this.index.onFenced(() => ctx.onFenced?.(lease));
    this.motion = ctx.motion.enabled
      ? new CameraMotion({ cameraId: camera.id, settings: ctx.motion, write: (e) => this.index.event(e), writeActivity: (a) => this.index.activity(a), logger: ctx.logger, framePool: ctx.framePool, onTransition: ctx.onMotion })
      : undefined;
    const rec = new CameraSupervisor({
      camera,
      recordingsDir: ctx.recordingsDir,
      segmentUs: ctx.segmentUs,
      files: ctx.files,
      index: this.index,
      logger: ctx.logger,
      connect: ctx.connect,
      clock: ctx.clock,
      cameraClock: { maxSkewUs: ctx.clockMaxSkewSeconds * 1_000_000 },
      stallMs: ctx.stallSeconds * 1000,
      resend: ctx.resend ? 1 : 0,
      initialGap,
      motion: this.motion,
      framePool: ctx.framePool,
      clockSyncSeconds: ctx.cameraClockSyncSeconds,
      mayRecord: lease && ctx.leaseHeld && (() => ctx.leaseHeld!(lease)),
      maySend: lease && ctx.leaseMayTalk && (() => ctx.leaseMayTalk!(lease)),
    });
    this.supervisor = rec;
    const tap = new LiveTap({ maxViewers: ctx.live.maxViewers, maxQueueBytes: ctx.live.queueBytes });
    rec.addConsumer(tap);
    const controls = new CameraControls({ cameraId: camera.id, model: camera.model, session: () => rec.controlSession(), nowMs: () => ctx.clock.nowUs() / 1000, logger: log });
    this.live = { name: camera.name, tap, snapshots: new SnapshotCache(ffmpegKeyframeDecoder()), status: () => rec.status(), controls };
  }

  /** Ends motion a previous run left open, finds the gap the footage resumes into, and builds the camera. */
  static async create(camera: CameraTarget, ctx: CameraRunContext, lease?: CameraLease): Promise<CameraRun> {
    await ctx.store.closeOpenEvents(camera.id);
    return new CameraRun(camera, ctx, await resumeGap(ctx.store, camera.id, lease), lease);
  }

  start(): void {
    this.supervisor.start();
  }

  /** Ends the footage at the camera's next segment boundary, or after `maxMs` at most (a planned handover). */
  endAtSegmentBoundary(maxMs: number): Promise<'boundary' | 'timeout'> {
    return untilSegmentBoundary(this.supervisor.endAtSegmentBoundary(), this.ctx.clock, maxMs);
  }

  /**
   * Stops the session, writes what is pending, and — with a reason — opens a gap from the end of the last
   * footage (or now), which the camera's next start closes at its first footage.
   */
  async stop(gapReason?: GapReason): Promise<boolean> {
    this.live.tap.close();
    await this.supervisor.stop();
    let drained = await this.index.drain(10_000);
    if (gapReason && drained) {
      // After the drain, the store knows this camera's last footage and any gap the supervisor left open.
      const open = await this.ctx.store.openGap(this.camera.id).catch(() => undefined);
      if (!open) {
        const now = this.ctx.clock.nowUs();
        const lastEnd = (await this.ctx.store.lastFootageEndUs(this.camera.id).catch(() => undefined)) ?? now;
        this.index.gap({ cameraId: this.camera.id, startUs: Math.min(lastEnd, now), endUs: null, reason: gapReason });
        drained = await this.index.drain(10_000);
      }
    }
    this.index.stop();
    return drained;
  }
}

/**
 * The gap a camera's footage resumes into: one left open in the database (a `disabled` one, or a crash's),
 * or — when the camera has footage — the time since its last indexed footage, with reason recorder_down
 * (after a takeover: from the old owner's last indexed footage to this node's first).
 */
async function resumeGap(store: RecorderStore, cameraId: number, lease: CameraLease | undefined): Promise<GapRecord | undefined> {
  const open = await store.openGap(cameraId);
  if (open) return open;
  const lastEnd = await store.lastFootageEndUs(cameraId);
  if (lastEnd === undefined) return undefined;
  const gap: GapRecord = { cameraId, startUs: lastEnd, endUs: null, reason: 'recorder_down' };
  await store.upsertGap(gap, lease);
  return gap;
}
