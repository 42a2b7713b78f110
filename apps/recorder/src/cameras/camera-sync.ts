import type { Logger } from '@wyze-nvr/log';
import type { RecorderClock, TimerHandle } from '../clock/recorder-clock';
import type { StoredCamera } from '../index/recorder-store';

/**
 * Which cameras this recorder runs, of every camera row: the enabled ones it holds (`holds`: the camera
 * leases of apps/recorder/src/cluster; without, all enabled ones). The one decision about where a camera runs.
 */
export function camerasToRun(rows: readonly StoredCamera[], holds: (cameraId: number) => boolean = () => true): StoredCamera[] {
  return rows.filter((r) => r.enabled && holds(r.id));
}

/** Why a running camera is stopped; `unowned`: its lease went to another recorder (or is being handed over). */
export type CameraStopReason = 'disabled' | 'deleted' | 'changed' | 'unowned';

/** Camera ownership among several recorders (CameraLeases). */
export interface CameraOwnership {
  /** Takes or gives up leases for these rows before each sync decides; `running`: cameras running here now. */
  claim(rows: readonly StoredCamera[], running: readonly number[]): Promise<void>;
  holds(cameraId: number): boolean;
}

/** What the sync starts and stops; the Recorder in production. */
export interface CameraSyncTarget {
  /** Starts the camera; false when it cannot run as its row stands (a key that does not decrypt): not retried until the row changes. */
  start(camera: StoredCamera): Promise<boolean>;
  stop(cameraId: number, reason: CameraStopReason): Promise<void>;
  /** Every camera row, after each sync that read them (MQTT announces each, and clears deleted ones). */
  seen?(rows: readonly StoredCamera[]): void;
}

/** A push of "the cameras table changed" (PostgreSQL LISTEN); the slow poll covers what it misses. */
export interface CameraChangeFeed {
  listen(onChange: () => void): Promise<{ close(): Promise<void> }>;
}

export interface CameraSyncOptions {
  cameras: () => Promise<StoredCamera[]>;
  target: CameraSyncTarget;
  clock: RecorderClock;
  logger: Logger;
  feed?: CameraChangeFeed;
  ownership?: CameraOwnership;
  /** The table is re-read this often whatever the feed says (a notification lost while LISTEN reconnected). */
  pollMs: number;
}

/** A change to any of these restarts the camera's session; name is included so logs and metrics follow a rename. */
function sessionKey(c: StoredCamera): string {
  return JSON.stringify([c.name, c.uid, c.enrEncrypted, c.mac, c.ip, c.port, c.model, c.quality]);
}

/**
 * Keeps the running cameras equal to camerasToRun(camera rows): re-reads the table when the feed says it
 * changed and every `pollMs`, then stops the cameras that should no longer run (disabled or deleted),
 * restarts those whose connection details changed and starts the new ones. Syncs never overlap: a change
 * during one runs one more after it.
 */
export class CameraSync {
  /** Running cameras → the session key they run with. */
  private readonly running = new Map<number, string>();
  /** Cameras that could not start → the key they failed with. */
  private readonly failed = new Map<number, string>();
  private current: Promise<void> | undefined;
  private again = false;
  private timer: TimerHandle | undefined;
  private feed: { close(): Promise<void> } | undefined;
  private stopped = false;

  constructor(private readonly o: CameraSyncOptions) {}

  /** The ids of the cameras running now. */
  get runningIds(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  /** The first sync (its failure is the caller's: a recorder that cannot read its cameras does not start), then the feed and the poll. */
  async start(): Promise<void> {
    await this.syncOnce();
    this.timer = this.o.clock.setInterval(() => void this.sync(), this.o.pollMs, { unref: true });
    if (this.o.feed) {
      try {
        this.feed = await this.o.feed.listen(() => void this.sync());
      } catch (e) {
        this.o.logger.warn({ err: e }, `cannot LISTEN for camera changes; they take effect within ${this.o.pollMs / 1000} s`);
      }
    }
  }

  /** Re-reads the cameras now; resolves when the running cameras match what was read. Never rejects. */
  sync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = (async () => {
      do {
        this.again = false;
        try {
          await this.syncOnce();
        } catch (e) {
          this.o.logger.warn({ err: e }, 'camera sync failed; retried at the next change or poll');
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.current = undefined));
    return this.current;
  }

  /** Ends the feed and the poll; the cameras themselves are the target's to stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.feed?.close().catch(() => undefined);
    await this.current;
  }

  private async syncOnce(): Promise<void> {
    const rows = await this.o.cameras();
    const own = this.o.ownership;
    await own?.claim(rows, [...this.running.keys()]);
    const wanted = new Map(camerasToRun(rows, own && ((id) => own.holds(id))).map((c) => [c.id, c]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [id, key] of [...this.running]) {
      const want = wanted.get(id);
      if (want && sessionKey(want) === key) continue;
      const row = byId.get(id);
      const reason: CameraStopReason = !row ? 'deleted' : !row.enabled ? 'disabled' : !want ? 'unowned' : 'changed';
      this.running.delete(id);
      await this.o.target.stop(id, reason);
      this.o.logger.info({ cameraId: id, reason }, `camera stopped (${reason})`);
    }
    for (const [id, cam] of wanted) {
      if (this.running.has(id) || this.stopped) continue;
      const key = sessionKey(cam);
      if (this.failed.get(id) === key) continue;
      if (await this.o.target.start(cam)) {
        this.failed.delete(id);
        this.running.set(id, key);
      } else {
        this.failed.set(id, key);
      }
    }
    for (const id of this.failed.keys()) if (!wanted.has(id)) this.failed.delete(id);
    this.o.target.seen?.(rows);
  }
}
