import { hostname } from 'node:os';
import { deriveInternalToken, loadRecorderSettings, SecretBox, type AppConfig, type RecorderSettings } from '@wyze-nvr/config';
import { registerSecret, type Logger } from '@wyze-nvr/log';
import { FrameBufferPool, connect as tutkConnect, defaultCrypto, type CameraSession, type ConnectOptions } from '@wyze-nvr/tutk';
import type { DataSource } from 'typeorm';
import { systemClock, type RecorderClock, type TimerHandle } from './clock/recorder-clock';
import { IndexQueue } from './index/index-queue';
import { PgRecorderStore, type GapRecord, type RecorderStore } from './index/recorder-store';
import { startInternalServer, type InternalServer, type LiveCamera } from './internal/internal-server';
import { CameraControls } from './controls/camera-controls';
import { renderLivePrometheus } from './live/live-metrics';
import { LiveTap } from './live/live-tap';
import { ffmpegKeyframeDecoder, SnapshotCache } from './live/snapshot-cache';
import { renderPrometheus } from './metrics/prometheus';
import { CameraMotion } from './motion/camera-motion';
import { renderMotionPrometheus } from './motion/motion-metrics';
import { Reconciler, type ReconcileReport } from './reconcile/reconciler';
import { NodeSegmentFileSystem } from './segment/segment-file';
import { describeCamera, type CameraMetrics, type CameraTarget } from './supervisor/camera-metrics';
import { CameraSupervisor } from './supervisor/camera-supervisor';

export interface RecorderDeps {
  config: AppConfig;
  secretKey: Uint8Array;
  /** Reached only through the store (PgRecorderStore), never directly. */
  dataSource: DataSource;
  logger: Logger;
  /** Default: read from the environment (@wyze-nvr/config loadRecorderSettings). */
  settings?: RecorderSettings;
  /** Default: the TUTK client. */
  connect?: (o: ConnectOptions) => Promise<CameraSession>;
  store?: RecorderStore;
  /** Default: the host's clock and timers. */
  clock?: RecorderClock;
}

/** What a camera session needs to connect; the ENR is only ever held in memory, decrypted. */
export type CameraCredentials = CameraTarget;

const STATUS_INTERVAL_MS = 5000;

/**
 * The recording process: reconcile files and rows, then one CameraSupervisor per enabled camera with its
 * live tap and its controls (on the supervisor's session), a status row per camera every few seconds (with
 * the internal server's URL), and the internal HTTP server (Prometheus, live view, snapshots, controls).
 */
export class Recorder {
  private cameras: CameraCredentials[] = [];
  private readonly box: SecretBox;
  private readonly store: RecorderStore;
  private readonly settings: RecorderSettings;
  private readonly clock: RecorderClock;
  private readonly recorders: CameraSupervisor[] = [];
  private readonly queues: IndexQueue[] = [];
  private readonly motions = new Map<number, CameraMotion>();
  private statusTimer: TimerHandle | undefined;
  private statusWrite: Promise<void> | undefined;
  private internal: InternalServer | undefined;
  /** Live view per camera, the internal server's view of the cameras this recorder records. */
  private readonly live = new Map<number, LiveCamera & { name: string }>();
  private readonly id = `${hostname()}:${process.pid}`;
  /** Video frame buffers, shared by every camera and reused once written (FrameBufferPool). */
  private readonly framePool = new FrameBufferPool();

  constructor(private readonly deps: RecorderDeps) {
    this.box = new SecretBox(deps.secretKey);
    this.store = deps.store ?? new PgRecorderStore(deps.dataSource);
    this.settings = deps.settings ?? loadRecorderSettings();
    this.clock = deps.clock ?? systemClock;
  }

  /** The enabled cameras that decrypt with SECRET_KEY. */
  async loadCameras(): Promise<CameraCredentials[]> {
    const rows = await this.store.enabledCameras();
    const cameras: CameraCredentials[] = [];
    for (const row of rows) {
      const log = this.deps.logger.child({ cameraId: row.id });
      let enr: string;
      try {
        enr = this.box.decrypt(row.enrEncrypted);
      } catch (e) {
        // A key that no longer decrypts means SECRET_KEY changed: the camera cannot be used until re-imported.
        log.error({ err: e }, 'camera key cannot be decrypted with SECRET_KEY; camera skipped');
        continue;
      }
      registerSecret(enr);
      const cam: CameraCredentials = { id: row.id, name: row.name, uid: row.uid, enr, mac: row.mac, ip: row.ip, port: row.port, model: row.model, quality: row.quality };
      log.debug({ camera: describeCamera(cam) }, 'camera loaded');
      cameras.push(cam);
    }
    return cameras;
  }

  /** Reconciles every camera's files (all cameras, enabled or not); `openGraceMs` when a recorder may be running. */
  async reconcile(openGraceMs = 0): Promise<ReconcileReport> {
    const ids = await this.store.cameraIds();
    const r = new Reconciler(this.store, this.deps.config.recordingsDir, this.deps.logger.child({ component: 'reconcile' }), this.clock);
    const total: ReconcileReport = { indexed: 0, closed: 0, truncated: 0, missing: 0, removed: 0, ignored: 0 };
    for (const id of ids) {
      try {
        const one = await r.reconcileCamera(id, { openGraceMs });
        for (const k of Object.keys(total) as (keyof ReconcileReport)[]) total[k] += one[k];
      } catch (e) {
        this.deps.logger.error({ cameraId: id, err: e }, 'reconcile failed for camera');
      }
    }
    this.deps.logger.info({ report: total }, 'reconcile done');
    return total;
  }

  async start(): Promise<void> {
    const { config, logger } = this.deps;
    this.cameras = await this.loadCameras();
    await this.reconcile();
    const files = new NodeSegmentFileSystem();
    for (const cam of this.cameras) {
      const log = logger.child({ cameraId: cam.id });
      const index = new IndexQueue(this.store, log, undefined, this.clock);
      this.queues.push(index);
      await this.store.closeOpenEvents(cam.id); // motion that a previous run could not end
      const motion = this.settings.motion.enabled
        ? new CameraMotion({ cameraId: cam.id, settings: this.settings.motion, write: (e) => index.event(e), writeActivity: (a) => index.activity(a), logger, framePool: this.framePool })
        : undefined;
      if (motion) this.motions.set(cam.id, motion);
      const rec = new CameraSupervisor({
        camera: cam,
        recordingsDir: config.recordingsDir,
        segmentUs: config.segmentSeconds * 1_000_000,
        files,
        index,
        logger,
        connect: this.deps.connect ?? tutkConnect,
        clock: this.clock,
        cameraClock: { maxSkewUs: this.settings.clockMaxSkewSeconds * 1_000_000 },
        stallMs: this.settings.stallSeconds * 1000,
        resend: this.settings.resend ? 1 : 0,
        initialGap: await this.resumeGap(cam.id),
        motion,
        framePool: this.framePool,
        clockSyncSeconds: this.settings.cameraClockSyncSeconds,
      });
      this.recorders.push(rec);
      const tap = new LiveTap({ maxViewers: this.settings.live.maxViewers, maxQueueBytes: this.settings.live.queueBytes });
      rec.addConsumer(tap);
      const controls = new CameraControls({ cameraId: cam.id, model: cam.model, session: () => rec.controlSession(), nowMs: () => this.clock.nowUs() / 1000, logger: log });
      this.live.set(cam.id, { name: cam.name, tap, snapshots: new SnapshotCache(ffmpegKeyframeDecoder()), status: () => rec.status(), controls });
    }
    // The internal server's URL goes into the first status row, so it is up before any camera records.
    const token = deriveInternalToken(this.deps.secretKey);
    registerSecret(token);
    this.internal = await startInternalServer({
      host: this.settings.internalHost,
      port: this.settings.internalPort,
      advertiseUrl: this.settings.advertiseUrl,
      token,
      metrics: () => this.prometheus(),
      camera: (id) => this.live.get(id),
      logger,
    });
    logger.info({ url: this.internal.url }, `internal server at ${this.internal.url} (live view, snapshots); metrics at ${this.internal.metricsUrl}`);
    for (const r of this.recorders) r.start();
    this.statusTimer = this.clock.setInterval(() => void this.writeStatus(), STATUS_INTERVAL_MS, { unref: true });
    logger.info(
      { cameras: this.cameras.map((c) => ({ id: c.id, name: c.name })), dtlsCrypto: defaultCrypto.name },
      `recorder started with ${this.cameras.length} enabled camera(s)`,
    );
    // libsodium's AEAD is what keeps 100 cameras cheap (README "Performance"); say so when it did not load.
    if (defaultCrypto.name !== 'sodium') logger.warn('sodium-native did not load on this platform: DTLS uses node:crypto, at about 1.4 times the recorder CPU per camera (bench:recorder)');
  }

  /**
   * The gap a camera's footage resumes into: one left open in the database, or — when the camera has
   * footage — the time since its last indexed footage, with reason recorder_down.
   */
  private async resumeGap(cameraId: number): Promise<GapRecord | undefined> {
    const open = await this.store.openGap(cameraId);
    if (open) return open;
    const lastEnd = await this.store.lastFootageEndUs(cameraId);
    if (lastEnd === undefined) return undefined;
    const gap: GapRecord = { cameraId, startUs: lastEnd, endUs: null, reason: 'recorder_down' };
    await this.store.upsertGap(gap);
    return gap;
  }

  /** Per-camera metrics (the demo's API reads these in-process). */
  metrics(): CameraMetrics[] {
    return this.recorders.map((r) => r.snapshot());
  }

  prometheus(): string {
    const cameras = this.metrics();
    const motion = cameras.flatMap((m) => {
      const c = this.motions.get(m.cameraId);
      return c ? [{ cameraId: m.cameraId, name: m.name, active: c.active, stats: c.stats }] : [];
    });
    const live = [...this.live].map(([cameraId, c]) => ({ cameraId, name: c.name, live: c.tap.snapshot() }));
    return (
      renderPrometheus(cameras, { indexFailures: this.queues.reduce((n, q) => n + q.failures, 0), framePool: this.framePool.stats }) +
      renderMotionPrometheus(motion) +
      renderLivePrometheus(live)
    );
  }

  private writeStatus(): Promise<void> {
    if (this.statusWrite) return this.statusWrite;
    const rows = this.metrics().map((m) => ({
      cameraId: m.cameraId,
      state: m.state,
      lastFrameUs: m.lastFrameUs,
      frames: m.videoFrames + m.audioFrames,
      bytes: m.bytes,
      reconnects: m.reconnects,
      lastError: m.lastError,
    }));
    this.statusWrite = this.store
      .writeStatus(rows, this.id, this.internal?.url ?? null)
      .catch((e) => this.deps.logger.debug({ err: e }, 'camera status not written'))
      .finally(() => (this.statusWrite = undefined));
    return this.statusWrite;
  }

  async stop(): Promise<void> {
    this.statusTimer?.cancel();
    for (const c of this.live.values()) c.tap.close();
    await this.internal?.close();
    await Promise.all(this.recorders.map((r) => r.stop()));
    const drained = await Promise.all(this.queues.map((q) => q.drain(10_000)));
    if (drained.some((ok) => !ok)) this.deps.logger.warn('index writes still pending at stop; reconcile indexes the files at the next start');
    for (const q of this.queues) q.stop();
    await this.statusWrite;
    await this.writeStatus();
    this.deps.logger.info('recorder stopped');
  }
}
