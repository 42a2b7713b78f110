import type { Logger } from '@wyze-nvr/log';
import type { RecorderClock, TimerHandle } from '../clock/recorder-clock';
import type { StoredCamera } from '../index/recorder-store';
import type { CameraLease, ClusterView, LeaseStore } from './lease-store';
import type { LeaseToken } from './stale-lease.error';

export interface CameraLeasesOptions {
  store: LeaseStore;
  nodeId: string;
  hostname: string;
  ttlSeconds: number;
  clock: RecorderClock;
  logger: Logger;
  /** The set of held leases changed outside a sync (one lost or taken): the cameras must follow now. */
  onChange: () => void;
  /**
   * Over its share: these cameras are to go to other nodes. Still held (and renewed) until handedOver():
   * the recorder ends each at its next segment boundary first.
   */
  onHandover: (cameraIds: number[]) => void;
}

interface Held {
  lease: CameraLease;
  /** Monotonic ms after which the lease may have lapsed in the database (last renewal's start + TTL − margin). */
  deadlineMs: number;
}

/** Why a held lease is let go. */
type LossReason = 'taken' | 'lapsed' | 'fenced';

const TICK_MS = 1000;

const leaseKey = (l: CameraLease) => `${l.cameraId}/${l.epoch}`;
/** Lost leases remembered for mayTalk (the oldest forgotten first): far more than cameras stopping at once. */
const LOST_LEASES_KEPT = 1024;

/**
 * This node's camera leases. Every ~TTL/3 it beats its heartbeat, renews what it holds (a lease missing
 * from the renewal was taken: lost at once) and asks for a sync; every sync `claim`s the node's fair share,
 * ceil(enabled cameras / live nodes), from free or lapsed leases, and gives up what is over it: the Recorder
 * ends those cameras at their next segment boundary (onHandover), then they are let go (handedOver), stopped
 * and released.
 *
 * A lease not renewed by its deadline is let go before it can lapse in the database, so that the node
 * taking it over never finds a session still open. Except when this node last saw itself alone: then no
 * one can take its cameras, and it keeps recording through a database outage as a single recorder always
 * has (the renewal after the outage finds the leases still its own).
 */
export class CameraLeases {
  private readonly held = new Map<number, Held>();
  /** Held cameras being handed over (ended at their segment boundary, then handedOver()). */
  private readonly leaving = new Set<number>();
  /** Leases lost here (lapsed, taken, fenced), so that a session still running under one stays silent: see mayTalk. */
  private readonly lostLeases = new Set<string>();
  private view: ClusterView;
  private timer: TimerHandle | undefined;
  private lastRenewMs = -Infinity;
  private renewing: Promise<void> | undefined;
  private readonly renewMs: number;
  private readonly marginMs: number;
  readonly stats = { acquired: 0, released: 0, lost: 0, fencedWrites: 0 };

  constructor(private readonly o: CameraLeasesOptions) {
    this.renewMs = (o.ttlSeconds * 1000) / 3;
    this.marginMs = (o.ttlSeconds * 1000) / 5;
    this.view = { liveNodes: 1, enabledCameras: 0, leadNodeId: o.nodeId };
  }

  get nodeId(): string {
    return this.o.nodeId;
  }

  get liveNodes(): number {
    return this.view.liveNodes;
  }

  /** Whether this node is the lead (the smallest live node id) at the last beat. */
  get leads(): boolean {
    return this.view.leadNodeId === this.o.nodeId;
  }

  get heldIds(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** Registers the node and reads the cluster once, so that the first claim knows its share. */
  async start(url: string | null): Promise<void> {
    await this.o.store.register(this.o.nodeId, url, this.o.hostname);
    this.view = await this.o.store.heartbeat(this.o.nodeId, this.o.ttlSeconds);
    this.lastRenewMs = this.o.clock.monotonicMs();
    this.timer = this.o.clock.setInterval(() => this.tick(), TICK_MS, { unref: true });
  }

  holds(cameraId: number): boolean {
    return this.held.has(cameraId);
  }

  /**
   * Whether `lease` is still held and cannot have lapsed in the database (its deadline not passed, or this
   * node alone): asked before each frame is written, so that a process resumed after a long pause writes
   * nothing before its timers catch up. Passing the deadline lets the lease go at once.
   */
  surelyHolds(lease: CameraLease): boolean {
    const h = this.held.get(lease.cameraId);
    if (h?.lease.epoch !== lease.epoch) return false;
    if (this.view.liveNodes <= 1 || this.o.clock.monotonicMs() < h.deadlineMs) return true;
    this.lose(lease.cameraId, 'lapsed');
    return false;
  }

  /**
   * Whether a session under `lease` may still send to its camera: while held, as {@link surelyHolds} (which
   * lets a lapsed lease go); once let go here (handed over, disabled) until the camera is stopped and released,
   * yes; once lost (lapsed, taken, fenced), never again: another node may be connected.
   */
  mayTalk(lease: CameraLease): boolean {
    if (this.held.get(lease.cameraId)?.lease.epoch === lease.epoch) return this.surelyHolds(lease);
    return !this.lostLeases.has(leaseKey(lease));
  }

  /** The token rows of this camera are written under; undefined when not held. */
  token(cameraId: number): LeaseToken | undefined {
    const h = this.held.get(cameraId);
    return h && { nodeId: h.lease.nodeId, epoch: h.lease.epoch };
  }

  /**
   * Takes leases up to this node's share of the enabled cameras in `rows`, and lets go of held leases over
   * it (and of cameras no longer enabled). `running`: cameras still running here, which are not taken again
   * until stopped (a lease lost a moment ago may still be this node's in the database).
   */
  async claim(rows: readonly StoredCamera[], running: readonly number[]): Promise<void> {
    const enabled = new Set(rows.filter((r) => r.enabled).map((r) => r.id));
    for (const id of [...this.held.keys()]) if (!enabled.has(id)) this.letGo(id);
    const share = Math.ceil(enabled.size / Math.max(1, this.view.liveNodes));
    const over = this.keeping - share;
    if (over > 0) {
      const extras = this.heldIds.filter((id) => !this.leaving.has(id)).slice(-over);
      for (const id of extras) this.leaving.add(id);
      this.o.logger.info({ cameras: extras, share, liveNodes: this.view.liveNodes }, `over this node's share of ${share}: handing ${extras.length} camera(s) over at their next segment boundary`);
      this.o.onHandover(extras);
      return;
    }
    if (this.leaving.size > 0) return; // no more taken while handing over
    if (over === 0) return;
    const startedMs = this.o.clock.monotonicMs();
    const exclude = [...new Set([...this.held.keys(), ...running])];
    const got = await this.o.store.acquire(this.o.nodeId, exclude, -over, this.o.ttlSeconds);
    for (const lease of got) this.held.set(lease.cameraId, { lease, deadlineMs: this.deadlineFrom(startedMs) });
    this.stats.acquired += got.length;
    if (got.length) this.o.logger.info({ leases: got.map((l) => ({ cameraId: l.cameraId, epoch: l.epoch })), share }, `took ${got.length} camera lease(s)`);
  }

  /** Held leases not being handed over. */
  private get keeping(): number {
    return this.held.size - this.leaving.size;
  }

  /** A camera handed over has ended its footage: no longer held here, so the next sync stops it (then released). */
  handedOver(cameraId: number): void {
    if (!this.leaving.has(cameraId)) return;
    this.letGo(cameraId);
    this.o.onChange();
  }

  private letGo(cameraId: number): void {
    this.held.delete(cameraId);
    this.leaving.delete(cameraId);
  }

  /** Frees a stopped camera's lease in the database, if that lease (same epoch) is still this node's there. */
  async release(lease: CameraLease): Promise<void> {
    if (this.held.get(lease.cameraId)?.lease.epoch === lease.epoch) this.letGo(lease.cameraId);
    await this.o.store.release(this.o.nodeId, [lease]);
    this.stats.released++;
  }

  /** The database refused a write under `lease` (StaleLeaseError): counted, and the camera is let go at once. */
  fenced(lease: CameraLease): void {
    this.stats.fencedWrites++;
    if (this.held.get(lease.cameraId)?.lease.epoch === lease.epoch) this.lose(lease.cameraId, 'fenced');
  }

  /**
   * Stops renewing and frees every lease still held (the cameras are stopped by then), and the node's row;
   * resolves with the other nodes still live after that (0: this was the last one).
   */
  async stop(): Promise<number> {
    this.timer?.cancel();
    await this.renewing;
    const leases = [...this.held.values()].map((h) => h.lease);
    this.held.clear();
    this.leaving.clear();
    await this.o.store.release(this.o.nodeId, leases);
    await this.o.store.deregister(this.o.nodeId);
    // Read after this node's row is gone: of nodes stopping together, the last to deregister sees 0.
    return this.othersBeatingWithin(this.o.ttlSeconds);
  }

  /** The other nodes whose heartbeat is younger than `seconds`. */
  async othersBeatingWithin(seconds: number): Promise<number> {
    return (await this.o.store.heartbeat(this.o.nodeId, seconds)).liveNodes - 1;
  }

  private deadlineFrom(startedMs: number): number {
    return startedMs + this.o.ttlSeconds * 1000 - this.marginMs;
  }

  private lose(cameraId: number, reason: LossReason): void {
    const h = this.held.get(cameraId);
    if (!h) return;
    this.letGo(cameraId);
    this.lostLeases.add(leaseKey(h.lease));
    if (this.lostLeases.size > LOST_LEASES_KEPT) this.lostLeases.delete(this.lostLeases.values().next().value!);
    this.stats.lost++;
    this.o.logger.warn({ cameraId, epoch: h.lease.epoch, reason }, `camera lease lost (${reason}): stopping the camera here`);
    this.o.onChange();
  }

  private tick(): void {
    const now = this.o.clock.monotonicMs();
    if (this.view.liveNodes > 1) for (const [id, h] of [...this.held]) if (now >= h.deadlineMs) this.lose(id, 'lapsed');
    if (this.renewing || now - this.lastRenewMs < this.renewMs) return;
    this.lastRenewMs = now;
    this.renewing = this.renew(now)
      .catch((e) => this.o.logger.warn({ err: e }, 'camera leases not renewed; retried at the next beat'))
      .finally(() => (this.renewing = undefined));
  }

  private async renew(startedMs: number): Promise<void> {
    this.view = await this.o.store.heartbeat(this.o.nodeId, this.o.ttlSeconds);
    const asked = [...this.held.values()].map((h) => h.lease);
    const renewed = new Set(await this.o.store.renew(this.o.nodeId, asked, this.o.ttlSeconds));
    for (const lease of asked) {
      const h = this.held.get(lease.cameraId);
      if (h?.lease.epoch !== lease.epoch) continue; // let go meanwhile
      if (renewed.has(lease.cameraId)) h.deadlineMs = this.deadlineFrom(startedMs);
      else this.lose(lease.cameraId, 'taken');
    }
    // Off its share (a node joined or went quiet): a sync claims or hands over against the fresh view.
    if (this.keeping !== Math.ceil(this.view.enabledCameras / Math.max(1, this.view.liveNodes))) this.o.onChange();
  }
}
