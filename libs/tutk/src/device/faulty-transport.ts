/**
 * A {@link DatagramTransport} that damages traffic on purpose, per direction: random and burst loss,
 * reordering, duplication, delay and jitter, and outages. Deterministic for a given seed and input order,
 * so a failing test replays. Used by the emulator (wrapping its sockets) and by tests on the client side.
 *
 * Jitter is a property of the path, as on Wi-Fi: latency rises and falls in bursts (retries, contention)
 * while datagrams stay in order, since they queue behind each other; reordering is rare and modelled apart
 * (`reorder`). Delaying each datagram independently would shuffle nearly every multi-packet frame, which a
 * real link does not do; that model is kept, under its own name, for tests that want it.
 */
import type { DatagramHandler, DatagramTransport, PeerAddress, ReceiveBuffer } from '../session/transport';

export interface FaultProfile {
  /** Probability that a datagram is lost (independent of the others). */
  loss?: number;
  /**
   * Gilbert–Elliott burst loss: from the good state enter the bad state with probability `enter` per
   * datagram, leave it with `exit`; in the bad state a datagram is lost with probability `lossInBad`
   * (default 1). Mean burst length is 1 / exit.
   */
  burst?: { enter: number; exit: number; lossInBad?: number };
  /** Probability that a datagram is held back and sent after the next `reorderBy` datagrams (default 2). */
  reorder?: number;
  reorderBy?: number;
  /** A held-back datagram leaves after this long at the latest, even without followers (default 50 ms). */
  reorderMaxMs?: number;
  /** Probability that a datagram is sent twice. */
  duplicate?: number;
  /** Fixed delay for every datagram; order kept. */
  delayMs?: number;
  /**
   * Path jitter: an added latency in [0, pathJitterMs] that moves as a bounded random walk, each datagram's
   * differing from the previous one's by at most pathJitterMs / 8 (reflected at the bounds), so it drifts
   * up and down over a few hundred datagrams. A datagram never leaves before the one sent ahead of it.
   */
  pathJitterMs?: number;
  /**
   * The old jitter model: each datagram delayed by its own uniform draw in [0, independentJitterMs) on top
   * of the path's delay, so datagrams overtake each other all the time. For tests that want a shuffled link.
   */
  independentJitterMs?: number;
}

/** How far the path latency moves per datagram, as a fraction of pathJitterMs. */
const PATH_STEP = 1 / 8;

export interface FaultStats {
  passed: number;
  lost: number;
  burstLost: number;
  /** Dropped during an outage ({@link FaultyTransport.blackout}). */
  blackedOut: number;
  reordered: number;
  duplicated: number;
  delayed: number;
}

export interface FaultyTransportOptions {
  /** Faults on datagrams this side receives. */
  inbound?: FaultProfile;
  /** Faults on datagrams this side sends. */
  outbound?: FaultProfile;
  seed?: number;
}

/** mulberry32: a small deterministic generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyStats(): FaultStats {
  return { passed: 0, lost: 0, burstLost: 0, blackedOut: 0, reordered: 0, duplicated: 0, delayed: 0 };
}

/** One direction's fault state: decides the fate of each datagram and delivers it through `deliver`. */
class FaultLane {
  readonly stats = emptyStats();
  private bad = false;
  private readonly held: { d: Uint8Array; peer: PeerAddress; left: number; timer: NodeJS.Timeout }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Datagrams on their way along the path, each due no earlier than the one before it. */
  private readonly path: { d: Uint8Array; peer: PeerAddress; due: number }[] = [];
  private pathTimer: NodeJS.Timeout | undefined;
  /** The path's current added latency (pathJitterMs). */
  private pathLatencyMs: number | undefined;

  constructor(
    public profile: FaultProfile,
    private readonly random: () => number,
    private readonly deliver: (d: Uint8Array, peer: PeerAddress) => void,
    /** Whether `d` may be kept after this call returns; if not, it is copied before being held. */
    private readonly owned: boolean,
  ) {}

  push(d: Uint8Array, peer: PeerAddress, blackout: boolean): void {
    const p = this.profile;
    if (blackout) {
      this.stats.blackedOut++;
      return;
    }
    if (p.burst) {
      this.bad = this.bad ? this.random() >= p.burst.exit : this.random() < p.burst.enter;
      if (this.bad && this.random() < (p.burst.lossInBad ?? 1)) {
        this.stats.burstLost++;
        return;
      }
    }
    if (p.loss && this.random() < p.loss) {
      this.stats.lost++;
      return;
    }
    const dup = !!p.duplicate && this.random() < p.duplicate;
    if (p.reorder && this.random() < p.reorder) {
      this.stats.reordered++;
      this.hold(this.keep(d), peer);
    } else {
      this.later(d, peer);
    }
    if (dup) {
      this.stats.duplicated++;
      this.later(Uint8Array.from(d), peer);
    }
    this.releaseHeld();
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.pathTimer) clearTimeout(this.pathTimer);
    this.pathTimer = undefined;
    this.path.length = 0;
    for (const h of this.held) clearTimeout(h.timer);
    this.held.length = 0;
  }

  private keep(d: Uint8Array): Uint8Array {
    return this.owned ? d : Uint8Array.from(d);
  }

  private hold(d: Uint8Array, peer: PeerAddress): void {
    const entry = {
      d,
      peer,
      left: (this.profile.reorderBy ?? 2) + 1,
      timer: setTimeout(() => {
        const i = this.held.indexOf(entry);
        if (i >= 0) this.held.splice(i, 1);
        this.later(d, peer);
      }, this.profile.reorderMaxMs ?? 50),
    };
    this.held.push(entry);
  }

  /** Counts one datagram past every held one; those whose turn has come go out after it. */
  private releaseHeld(): void {
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i];
      if (--h.left > 0) {
        i++;
        continue;
      }
      clearTimeout(h.timer);
      this.held.splice(i, 1);
      this.later(h.d, h.peer);
    }
  }

  private later(d: Uint8Array, peer: PeerAddress): void {
    const p = this.profile;
    const pathMs = (p.delayMs ?? 0) + this.nextPathLatency();
    if (p.independentJitterMs) {
      this.timed(d, peer, pathMs + this.random() * p.independentJitterMs);
      return;
    }
    if (pathMs <= 0 && this.path.length === 0) {
      this.stats.passed++;
      this.deliver(d, peer);
      return;
    }
    const tail = this.path[this.path.length - 1];
    const due = Date.now() + pathMs;
    this.path.push({ d: this.keep(d), peer, due: tail ? Math.max(due, tail.due) : due });
    this.stats.delayed++;
    if (!this.pathTimer) this.armPath();
  }

  /** The bounded random walk of {@link FaultProfile.pathJitterMs}; 0 without it. */
  private nextPathLatency(): number {
    const span = this.profile.pathJitterMs ?? 0;
    if (span <= 0) return 0;
    let l = Math.min(this.pathLatencyMs ?? span / 2, span) + (this.random() * 2 - 1) * span * PATH_STEP;
    if (l < 0) l = -l;
    if (l > span) l = 2 * span - l;
    this.pathLatencyMs = l;
    return l;
  }

  private armPath(): void {
    this.pathTimer = setTimeout(() => {
      this.pathTimer = undefined;
      const now = Date.now();
      while (this.path.length > 0 && this.path[0].due <= now) {
        const h = this.path.shift()!;
        this.stats.passed++;
        this.deliver(h.d, h.peer);
      }
      if (this.path.length > 0 && !this.pathTimer) this.armPath();
    }, Math.max(0, this.path[0].due - Date.now()));
  }

  /** One datagram on its own timer: it may overtake others (independentJitterMs). */
  private timed(d: Uint8Array, peer: PeerAddress, ms: number): void {
    this.stats.delayed++;
    const kept = this.keep(d);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.stats.passed++;
      this.deliver(kept, peer);
    }, ms);
    this.timers.add(t);
  }
}

/**
 * Wraps a transport; faults apply to what passes through it. `blackout(ms)` drops everything both ways
 * for a while (a cable pulled); profiles can be changed at any time with {@link setProfiles}.
 */
export class FaultyTransport implements DatagramTransport {
  private handler: DatagramHandler | undefined;
  private readonly inLane: FaultLane;
  private readonly outLane: FaultLane;
  private blackoutUntil = 0;

  constructor(
    readonly inner: DatagramTransport,
    options: FaultyTransportOptions = {},
  ) {
    // One generator per direction: each lane's decisions depend only on its own datagram order.
    const seed = options.seed ?? 1;
    // Received datagrams belong to us (DatagramTransport contract); sent ones are copied before being held.
    this.inLane = new FaultLane(options.inbound ?? {}, seededRandom(seed), (d, from) => this.handler?.(d, from), true);
    this.outLane = new FaultLane(options.outbound ?? {}, seededRandom(seed ^ 0x5bd1e995), (d, to) => this.inner.send(d, to.port, to.address), false);
    inner.onMessage((d, from) => this.inLane.push(d, from, this.blackedOut));
  }

  get stats(): { inbound: FaultStats; outbound: FaultStats } {
    return { inbound: { ...this.inLane.stats }, outbound: { ...this.outLane.stats } };
  }

  /** Datagrams lost to faults of any kind, both directions. */
  get dropped(): number {
    const s = (x: FaultStats) => x.lost + x.burstLost + x.blackedOut;
    return s(this.inLane.stats) + s(this.outLane.stats);
  }

  setProfiles(p: { inbound?: FaultProfile; outbound?: FaultProfile }): void {
    if (p.inbound) this.inLane.profile = p.inbound;
    if (p.outbound) this.outLane.profile = p.outbound;
  }

  /** Drops every datagram, both ways, for `ms`. */
  blackout(ms: number): void {
    this.blackoutUntil = Math.max(this.blackoutUntil, Date.now() + ms);
  }

  private get blackedOut(): boolean {
    return Date.now() < this.blackoutUntil;
  }

  bind(port?: number, host?: string): Promise<PeerAddress> {
    return this.inner.bind(port, host);
  }

  get receiveBuffer(): ReceiveBuffer | undefined {
    return this.inner.receiveBuffer;
  }

  get local(): PeerAddress | undefined {
    return this.inner.local;
  }

  send(datagram: Uint8Array, port: number, host: string): void {
    this.outLane.push(datagram, { address: host, port }, this.blackedOut);
  }

  onMessage(handler: DatagramHandler): void {
    this.handler = handler;
  }

  onError(handler: (err: Error) => void): void {
    this.inner.onError(handler);
  }

  close(): void {
    this.inLane.close();
    this.outLane.close();
    this.handler = undefined;
    this.inner.close();
  }
}
