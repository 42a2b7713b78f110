import { hostname } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { deriveInternalToken, loadRecorderSettings, SecretBox, type AppConfig, type RecorderSettings } from '@wyze-nvr/config';
import { registerSecret, type Logger } from '@wyze-nvr/log';
import { FrameBufferPool, connect as tutkConnect, defaultCrypto, type CameraSession, type ConnectOptions } from '@wyze-nvr/tutk';
import type { DataSource } from 'typeorm';
import { CameraRun } from './cameras/camera-run';
import { CameraSync, type CameraChangeFeed, type CameraStopReason } from './cameras/camera-sync';
import { CameraLeases } from './cluster/camera-leases';
import { isLastNode } from './cluster/last-node';
import { renderClusterPrometheus } from './cluster/cluster-metrics';
import { deleteOwnRetainedFiles, PgDeletionJournal } from './cluster/deletion-journal';
import { PgLeaseStore, type LeaseStore } from './cluster/lease-store';
import { recorderNodeId } from './cluster/node-id';
import { PgCameraChangeFeed } from './cameras/pg-camera-feed';
import { systemClock, type RecorderClock, type TimerHandle } from './clock/recorder-clock';
import { PgRecorderStore, type RecorderStore, type StoredCamera } from './index/recorder-store';
import { startInternalServer, type InternalServer } from './internal/internal-server';
import { renderLivePrometheus } from './live/live-metrics';
import { renderPrometheus } from './metrics/prometheus';
import { renderMotionPrometheus } from './motion/motion-metrics';
import { MqttPublisher } from './mqtt/mqtt-publisher';
import { Reconciler, type ReconcileReport } from './reconcile/reconciler';
import { NodeSegmentFileSystem } from './segment/segment-file';
import { describeCamera, type CameraMetrics, type CameraTarget } from './supervisor/camera-metrics';

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
  /** Default: the lease rows in the app's database (PgLeaseStore). */
  leaseStore?: LeaseStore;
  /** Default: the host's clock and timers. */
  clock?: RecorderClock;
  /** Default: LISTEN cameras_changed on DATABASE_URL (none for the embedded database, which is polled faster). */
  cameraFeed?: CameraChangeFeed | null;
  /** How often the cameras table is re-read whatever the feed says; default 30 s (2 s on the embedded database). */
  cameraPollMs?: number;
}

/** What a camera session needs to connect; the ENR is only ever held in memory, decrypted. */
export type CameraCredentials = CameraTarget;

const STATUS_INTERVAL_MS = 5000;
/** How often files retention dropped from the index are looked for on this recorder's disk. */
const RETAINED_FILES_MS = 30_000;
/** Camera states are compared this often; a change (a session opening) is written at once, not at the next interval. */
const STATUS_CHECK_MS = 500;
const POLL_MS = 30_000;
/** The embedded database has no LISTEN across processes; a re-read of its in-memory table is cheap. */
const EMBEDDED_POLL_MS = 2000;

/**
 * The recording process: reconcile files and rows, the internal HTTP server (Prometheus, live view,
 * snapshots, controls), then the cameras as CameraSync says (one CameraRun each: supervisor, live tap,
 * controls), started and stopped as the cameras table changes; a status row per camera every few seconds,
 * and MQTT when MQTT_URL is set.
 */
export class Recorder {
  private readonly box: SecretBox;
  private readonly store: RecorderStore;
  private readonly settings: RecorderSettings;
  private readonly clock: RecorderClock;
  private readonly runs = new Map<number, CameraRun>();
  /** Cameras ending at their segment boundary before they go to another node. */
  private readonly handingOver = new Set<number>();
  private sync: CameraSync | undefined;
  private mqtt: MqttPublisher | undefined;
  private statusTimer: TimerHandle | undefined;
  private retainedTimer: TimerHandle | undefined;
  /** The states in the last status write ("id:state" joined), and when it was (monotonic ms). */
  private writtenStates = '';
  private writtenAtMs = -Infinity;
  private statusWrite: Promise<void> | undefined;
  private internal: InternalServer | undefined;
  private readonly id = `${hostname()}:${process.pid}`;
  /** This node's camera leases: which cameras it may record (several recorders on one database). */
  readonly leases: CameraLeases;
  /** Video frame buffers, shared by every camera and reused once written (FrameBufferPool). */
  private readonly framePool = new FrameBufferPool();
  private readonly files = new NodeSegmentFileSystem();

  constructor(private readonly deps: RecorderDeps) {
    this.box = new SecretBox(deps.secretKey);
    this.store = deps.store ?? new PgRecorderStore(deps.dataSource);
    this.settings = deps.settings ?? loadRecorderSettings();
    this.clock = deps.clock ?? systemClock;
    this.leases = new CameraLeases({
      store: deps.leaseStore ?? new PgLeaseStore(deps.dataSource),
      nodeId: recorderNodeId(this.settings.cluster.nodeId, deps.config.dataDir),
      hostname: hostname(),
      ttlSeconds: this.settings.cluster.leaseTtlSeconds,
      clock: this.clock,
      logger: deps.logger.child({ component: 'leases' }),
      onChange: () => void this.sync?.sync(),
      onHandover: (ids) => void this.handOver(ids),
    });
  }

  /** A camera row with its ENR decrypted, or undefined (logged) when SECRET_KEY does not open it. */
  private credentials(row: StoredCamera): CameraCredentials | undefined {
    const log = this.deps.logger.child({ cameraId: row.id });
    let enr: string;
    try {
      enr = this.box.decrypt(row.enrEncrypted);
    } catch (e) {
      // A key that no longer decrypts means SECRET_KEY changed: the camera cannot be used until re-imported.
      log.error({ err: e }, 'camera key cannot be decrypted with SECRET_KEY; camera skipped');
      return undefined;
    }
    registerSecret(enr);
    const cam: CameraCredentials = { id: row.id, name: row.name, uid: row.uid, enr, mac: row.mac, ip: row.ip, port: row.port, model: row.model, quality: row.quality };
    log.debug({ camera: describeCamera(cam) }, 'camera loaded');
    return cam;
  }

  /** Reconciles every camera's files (all cameras, enabled or not); `openGraceMs` when a recorder may be running. */
  async reconcile(openGraceMs = 0): Promise<ReconcileReport> {
    const ids = await this.store.cameraIds();
    const r = new Reconciler(this.store, this.deps.config.recordingsDir, this.deps.logger.child({ component: 'reconcile' }), this.clock, this.leases.nodeId);
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
    await this.reconcile();
    // The internal server's URL goes into the first status row, so it is up before any camera records.
    const token = deriveInternalToken(this.deps.secretKey);
    registerSecret(token);
    this.internal = await startInternalServer({
      host: this.settings.internalHost,
      port: this.settings.internalPort,
      advertiseUrl: this.settings.advertiseUrl,
      token,
      metrics: () => this.prometheus(),
      camera: (id) => this.runs.get(id)?.live,
      segmentFile: (id) => this.segmentFile(id),
      logger,
    });
    logger.info({ url: this.internal.url }, `internal server at ${this.internal.url} (live view, snapshots); metrics at ${this.internal.metricsUrl}`);
    this.mqtt = this.startMqtt();
    await this.leases.start(this.internal.url);
    logger.info({ nodeId: this.leases.nodeId, liveNodes: this.leases.liveNodes }, `recorder node ${this.leases.nodeId} (${this.leases.liveNodes} live node(s))`);
    const embedded = !config.databaseUrl;
    this.sync = new CameraSync({
      cameras: () => this.store.allCameras(),
      target: {
        start: (row) => this.startCamera(row),
        stop: (id, reason) => this.stopCamera(id, reason),
        seen: (rows) => this.mqtt?.cameraRows(rows),
      },
      clock: this.clock,
      logger,
      ownership: this.leases,
      feed: this.deps.cameraFeed === undefined ? (config.databaseUrl ? new PgCameraChangeFeed(config.databaseUrl, logger) : undefined) : (this.deps.cameraFeed ?? undefined),
      pollMs: this.deps.cameraPollMs ?? (embedded ? EMBEDDED_POLL_MS : POLL_MS),
    });
    await this.sync.start();
    this.statusTimer = this.clock.setInterval(() => this.statusTick(), STATUS_CHECK_MS, { unref: true });
    // With several recorders on local disks the API cannot delete another machine's files: each node deletes its own.
    if (!this.deps.store) this.retainedTimer = this.clock.setInterval(() => void this.deleteRetainedFiles(), RETAINED_FILES_MS, { unref: true });
    logger.info(
      { cameras: [...this.runs.values()].map((r) => ({ id: r.camera.id, name: r.camera.name })), dtlsCrypto: defaultCrypto.name },
      `recorder started with ${this.runs.size} enabled camera(s)`,
    );
    // libsodium's AEAD is what keeps 100 cameras cheap (README "Performance"); say so when it did not load.
    if (defaultCrypto.name !== 'sodium') logger.warn('sodium-native did not load on this platform: DTLS uses node:crypto, at about 1.4 times the recorder CPU per camera (bench:recorder)');
  }

  private async deleteRetainedFiles(): Promise<void> {
    try {
      const n = await deleteOwnRetainedFiles(new PgDeletionJournal(this.deps.dataSource), this.deps.config.recordingsDir);
      if (n) this.deps.logger.info({ files: n }, 'deleted files retention removed from the index');
    } catch (e) {
      this.deps.logger.warn({ err: e }, 'files removed by retention not deleted; retried later');
    }
  }

  /** Segment `id`'s file when it lies under this recorder's RECORDINGS_DIR (nothing outside it is served). */
  private async segmentFile(id: number): Promise<string | undefined> {
    const path = await this.store.segmentPath(id);
    if (!path) return undefined;
    const abs = resolve(this.deps.config.recordingsDir, path);
    const rel = relative(resolve(this.deps.config.recordingsDir), abs);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? abs : undefined;
  }

  /** The ids of the cameras recording here now. */
  get runningCameraIds(): number[] {
    return [...this.runs.keys()].sort((a, b) => a - b);
  }

  /** Re-reads the cameras table now (the API in the same process after a change); resolves when the cameras match it. */
  camerasChanged(): Promise<void> {
    return this.sync?.sync() ?? Promise.resolve();
  }

  private async startCamera(row: StoredCamera): Promise<boolean> {
    const cam = this.credentials(row);
    if (!cam) return false;
    const token = this.leases.token(row.id);
    const lease = token && { cameraId: row.id, ...token };
    const run = await CameraRun.create(cam, {
      store: this.store,
      recordingsDir: this.deps.config.recordingsDir,
      segmentUs: this.deps.config.segmentSeconds * 1_000_000,
      files: this.files,
      logger: this.deps.logger,
      connect: this.deps.connect ?? tutkConnect,
      clock: this.clock,
      motion: this.settings.motion,
      clockMaxSkewSeconds: this.settings.clockMaxSkewSeconds,
      stallSeconds: this.settings.stallSeconds,
      resend: this.settings.resend,
      cameraClockSyncSeconds: this.settings.cameraClockSyncSeconds,
      live: this.settings.live,
      framePool: this.framePool,
      onMotion: this.mqtt && ((t) => this.mqtt?.motion(t)),
      onEventWritten: this.mqtt && ((e, id) => this.mqtt?.eventWritten(e, id)),
      onFenced: (lease) => this.leases.fenced(lease),
      leaseHeld: (lease) => this.leases.surelyHolds(lease),
      leaseMayTalk: (lease) => this.leases.mayTalk(lease),
    }, lease);
    this.runs.set(cam.id, run);
    run.start();
    this.deps.logger.info({ cameraId: cam.id, name: cam.name }, 'camera started');
    return true;
  }

  /**
   * A planned handover (a node joined): each camera's footage ends at its next segment boundary (at most
   * one segment length away), then its lease is let go, the sync stops it with a `handover` gap, and the
   * lease is released for the node taking it.
   */
  private async handOver(ids: number[]): Promise<void> {
    const maxMs = this.deps.config.segmentSeconds * 1000;
    await Promise.all(
      ids.map(async (id) => {
        const run = this.runs.get(id);
        if (run) {
          this.handingOver.add(id);
          const at = await run.endAtSegmentBoundary(maxMs);
          this.deps.logger.info({ cameraId: id, at }, at === 'boundary' ? 'handing the camera over at its segment boundary' : 'no segment boundary in time: handing the camera over now');
        }
        this.leases.handedOver(id);
      }),
    );
  }

  private async stopCamera(id: number, reason: CameraStopReason): Promise<void> {
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    const handover = this.handingOver.delete(id) && reason === 'unowned';
    const drained = await run.stop(reason === 'disabled' ? 'disabled' : reason === 'changed' ? 'reconfigured' : handover ? 'handover' : undefined);
    if (!drained) this.deps.logger.warn({ cameraId: id }, 'index writes still pending at camera stop; reconcile indexes the files at the next start');
    // Handed over (or no longer recorded): the lease is freed only now, with the session closed and its
    // segment indexed, so the next owner never connects while this one still does.
    if (reason !== 'changed' && run.lease) await this.leases.release(run.lease).catch((e) => this.deps.logger.warn({ err: e, cameraId: id }, 'camera lease not released; it lapses after the TTL'));
    // Its status row says so at once, rather than going stale.
    if (reason === 'disabled') {
      await this.store
        .writeStatus([{ cameraId: id, state: 'disabled', lastFrameUs: null, frames: 0, bytes: 0, reconnects: 0, lastError: null }], this.id, this.internal?.url ?? null)
        .catch((e) => this.deps.logger.debug({ err: e }, 'camera status not written'));
    }
  }

  private startMqtt(): MqttPublisher | undefined {
    const m = this.settings.mqtt;
    if (!m) return undefined;
    const { apiHost, apiPort } = this.deps.config;
    const host = apiHost === '0.0.0.0' || apiHost === '::' ? hostname() : apiHost;
    const publisher = new MqttPublisher({
      settings: m,
      apiBaseUrl: m.apiPublicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${apiPort}`,
      clock: this.clock,
      logger: this.deps.logger,
      view: {
        cameraStatus: (id) => this.runs.get(id)?.supervisor.status(),
        controls: (id) => this.runs.get(id)?.live.controls,
        snapshot: async (id) => {
          const live = this.runs.get(id)?.live;
          const latest = live?.tap.latestKeyframe;
          return latest ? (await live.snapshots.get(latest, undefined))?.jpeg : undefined;
        },
        setRecording: async (id, on) => {
          const found = await this.store.setCameraEnabled(id, on);
          if (found) await this.camerasChanged();
          return found;
        },
        holds: (id) => this.leases.holds(id),
        leads: () => this.leases.leads,
      },
    });
    publisher.start();
    return publisher;
  }

  /** Per-camera metrics (the demo's API reads these in-process). */
  metrics(): CameraMetrics[] {
    return [...this.runs.values()].map((r) => r.supervisor.snapshot());
  }

  prometheus(): string {
    const cameras = this.metrics();
    const motion = cameras.flatMap((m) => {
      const c = this.runs.get(m.cameraId)?.motion;
      return c ? [{ cameraId: m.cameraId, name: m.name, active: c.active, stats: c.stats }] : [];
    });
    const live = [...this.runs].map(([cameraId, r]) => ({ cameraId, name: r.live.name, live: r.live.tap.snapshot() }));
    return (
      renderPrometheus(cameras, { indexFailures: [...this.runs.values()].reduce((n, r) => n + r.index.failures, 0), framePool: this.framePool.stats }) +
      renderMotionPrometheus(motion) +
      renderLivePrometheus(live) +
      renderClusterPrometheus(this.leases)
    );
  }

  /** A status write every STATUS_INTERVAL_MS, and as soon as a camera's state changes (the API's live view waits for `recording`). */
  private statusTick(): void {
    const states = this.metrics().map((m) => `${m.cameraId}:${m.state}`).join(',');
    if (states !== this.writtenStates || this.clock.monotonicMs() - this.writtenAtMs >= STATUS_INTERVAL_MS) void this.writeStatus();
  }

  private writeStatus(): Promise<void> {
    if (this.statusWrite) return this.statusWrite;
    const metrics = this.metrics();
    this.writtenStates = metrics.map((m) => `${m.cameraId}:${m.state}`).join(',');
    this.writtenAtMs = this.clock.monotonicMs();
    const rows = metrics.map((m) => ({
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
    this.retainedTimer?.cancel();
    await this.sync?.stop();
    await this.internal?.close();
    const runs = [...this.runs.values()];
    const drained = await Promise.all(runs.map((r) => r.stop()));
    if (drained.some((ok) => !ok)) this.deps.logger.warn('index writes still pending at stop; reconcile indexes the files at the next start');
    await this.statusWrite;
    await this.writeStatus();
    this.runs.clear();
    // The cameras are stopped and their segments indexed: their leases are free for other nodes at once.
    const othersByTtl = await this.leases.stop().catch((e: unknown) => {
      this.deps.logger.warn({ err: e }, 'camera leases not released; they lapse after the TTL');
      return 0;
    });
    if (this.mqtt) {
      // Not the last recorder: `<prefix>/available` stays `online`. When unsure (the database away), `offline`:
      // the nodes still up answer it with `online`.
      const check = { leases: this.leases, othersByTtl, otherGoneAtMs: this.mqtt.otherNodeGoneAtMs, ttlSeconds: this.settings.cluster.leaseTtlSeconds, clock: this.clock };
      const lastNode = await isLastNode(check).catch(() => true);
      await this.mqtt.stop({ lastNode });
    }
    this.deps.logger.info('recorder stopped');
  }
}
