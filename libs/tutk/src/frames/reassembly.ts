// Packet reassembly of video frames (FACTS §10.3): per media channel, the frames still assembling, their
// buffers (from the FrameBufferPool when there is one) and the checks a complete frame must pass. How
// packets that are not the next index are treated, and what happens to a finished frame, is the
// assembler's choice; this only carries it out and counts it.
import { after, type ByteBudget, type Frame, type FrameAssemblerStats, type FrameDropReason } from './assembly';
import { MediaChannel } from './codecs';
import type { FrameBufferPool } from './frame-buffer-pool';
import type { FrameInfo } from './frame-info';
import type { MediaPacket } from './packet';

export class PartialFrame {
  /** Completed or dropped: out of its channel's in-flight list. */
  closed = false;
  /** Dropped: kept in a reorder buffer only as a known gap, so the frames behind it need not wait. */
  lost = false;
  /** Contiguous bytes for packets 0..nextIdx-1; allocated on the first in-order packet. */
  buf: Uint8Array | undefined;
  len = 0;
  nextIdx = 0;
  /** Copies of packets that arrived ahead of a gap, by index. */
  ahead: Map<number, Uint8Array> | undefined;
  aheadBytes = 0;
  packets = 0;
  info: FrameInfo | undefined;
  /** When a packet of a later video frame first arrived while this one was still assembling (ms). */
  blockedSinceMs: number | undefined;

  constructor(
    readonly channel: MediaChannel,
    readonly frameNo: number,
    readonly pktTotal: number,
    readonly prevFrameNo: number,
    /** Arrival order across channels, for memory eviction. */
    readonly born: number,
    /** When its first packet arrived (ms): frames held behind a missing one wait from here. */
    readonly openedAtMs = 0,
  ) {}

  get bytes(): number {
    return (this.buf?.length ?? 0) + this.aheadBytes;
  }

  get keyframe(): boolean {
    return this.channel === MediaChannel.IFrame;
  }

  get complete(): boolean {
    return this.nextIdx >= this.pktTotal;
  }
}

/** FACTS §10.3: state is kept per media channel, so 0x05 and 0x07 assemble separately. */
export interface ChannelFrames {
  readonly inFlight: PartialFrame[];
  /** Newest frame number completed or dropped on this channel. */
  closedUpTo: number | undefined;
}

export interface ReassemblyOptions {
  maxFrameBytes: number;
  pool: FrameBufferPool | undefined;
  /** Told of every frame dropped, after it is counted and its buffer given back. */
  onDropped?: (f: PartialFrame) => void;
}

export class FrameReassembly {
  readonly channels: readonly ChannelFrames[] = [
    { inFlight: [], closedUpTo: undefined },
    { inFlight: [], closedUpTo: undefined },
  ];
  private readonly maxFrameBytes: number;
  private readonly pool: FrameBufferPool | undefined;
  private readonly onDropped: ((f: PartialFrame) => void) | undefined;
  private born = 0;

  constructor(
    private readonly stats: FrameAssemblerStats,
    private readonly budget: ByteBudget,
    options: ReassemblyOptions,
  ) {
    this.maxFrameBytes = options.maxFrameBytes;
    this.pool = options.pool;
    this.onDropped = options.onDropped;
  }

  channel(c: MediaChannel): ChannelFrames {
    return this.channels[c === MediaChannel.IFrame ? 0 : 1];
  }

  /** pkt_total and pkt_idx describe a place in a frame; counted as 'bad-index' if not. */
  validIndex(p: MediaPacket): boolean {
    if (p.pktTotal !== 0 && p.pktIdx < p.pktTotal) return true;
    this.stats.packetsDropped['bad-index']++;
    return false;
  }

  find(s: ChannelFrames, frameNo: number): PartialFrame | undefined {
    for (const f of s.inFlight) if (f.frameNo === frameNo) return f;
    return undefined;
  }

  open(s: ChannelFrames, p: MediaPacket, nowMs = 0): PartialFrame {
    const f = new PartialFrame(p.channel, p.frameNo, p.pktTotal, p.prevFrameNo, this.born++, nowMs);
    s.inFlight.push(f);
    return f;
  }

  /** A packet of frame `frameNo` arrived: every frame before it still assembling now holds the stream up. */
  markBlocked(frameNo: number, nowMs: number): void {
    for (const s of this.channels) for (const x of s.inFlight) if (x.blockedSinceMs === undefined && after(frameNo, x.frameNo)) x.blockedSinceMs = nowMs;
  }

  /** Drops the frames assembling that have held the stream up since `limitMs` or earlier. */
  expireBlocked(limitMs: number): void {
    for (const s of this.channels) {
      for (let i = s.inFlight.length - 1; i >= 0; i--) {
        const f = s.inFlight[i];
        if (f.blockedSinceMs !== undefined && f.blockedSinceMs <= limitMs) this.drop(s, f, 'expired');
      }
    }
  }

  /** Frames assembling on either channel strictly between `from` and `to` in frame order. */
  assemblingBetween(from: number, to: number): number {
    let n = 0;
    for (const s of this.channels) for (const x of s.inFlight) if (after(x.frameNo, from) && after(to, x.frameNo)) n++;
    return n;
  }

  /** FACTS §10.3: pkt_total must be the same in every packet of a frame; counted as 'inconsistent-total' if not. */
  sameTotal(f: PartialFrame, p: MediaPacket): boolean {
    if (p.pktTotal === f.pktTotal) return true;
    this.stats.packetsDropped['inconsistent-total']++;
    return false;
  }

  /**
   * Appends the packet with the next expected index, then any held ahead that now follow it. False if
   * the frame was dropped on the way (too large).
   */
  appendNext(s: ChannelFrames, f: PartialFrame, p: MediaPacket): boolean {
    if (!this.append(s, f, p.payload, p.pktTotal)) {
      this.stats.packetsDropped['in-dropped-frame']++;
      return false;
    }
    f.nextIdx++;
    f.packets++;
    while (f.ahead?.has(f.nextIdx)) {
      const chunk = f.ahead.get(f.nextIdx)!;
      f.ahead.delete(f.nextIdx);
      f.aheadBytes -= chunk.length;
      this.budget.used -= chunk.length;
      if (!this.append(s, f, chunk, p.pktTotal)) return false;
      f.nextIdx++;
    }
    if (p.frameInfo) f.info = p.frameInfo;
    return true;
  }

  /**
   * Keeps a copy of a packet that arrived ahead of a gap, as the seed's "store by pkt_idx" allows
   * (FACTS §10.3). False if it was a duplicate, or the frame was dropped as too large.
   */
  placeAhead(s: ChannelFrames, f: PartialFrame, p: MediaPacket): boolean {
    if (p.pktIdx < f.nextIdx || f.ahead?.has(p.pktIdx)) {
      this.stats.packetsDropped.duplicate++;
      return false;
    }
    if (f.bytes + p.payload.length > this.maxFrameBytes) {
      this.stats.packetsDropped['in-dropped-frame']++;
      this.drop(s, f, 'too-large');
      return false;
    }
    (f.ahead ??= new Map()).set(p.pktIdx, p.payload.slice());
    f.aheadBytes += p.payload.length;
    this.budget.used += p.payload.length;
    f.packets++;
    if (p.frameInfo) f.info = p.frameInfo;
    return true;
  }

  /** Why a frame with all its packets cannot be delivered (FACTS §10.3), or undefined if it can. */
  fault(f: PartialFrame): FrameDropReason | undefined {
    if (!f.info) return 'no-frameinfo';
    if (f.len === 0) return 'empty';
    if (f.info.payloadSize !== 0 && f.info.payloadSize !== f.len) return 'size-mismatch';
    return undefined;
  }

  /** Takes a complete frame out of its channel's in-flight list; its bytes stay counted until it is delivered or given up. */
  detach(s: ChannelFrames, f: PartialFrame): void {
    s.inFlight.splice(s.inFlight.indexOf(f), 1);
    f.closed = true;
  }

  /** Takes a frame out of assembly for good, its bytes out of the budget. */
  remove(s: ChannelFrames, f: PartialFrame): void {
    const i = s.inFlight.indexOf(f);
    if (i >= 0) s.inFlight.splice(i, 1);
    this.budget.used -= f.bytes;
    f.closed = true;
    if (s.closedUpTo === undefined || after(f.frameNo, s.closedUpTo)) s.closedUpTo = f.frameNo;
  }

  /** A frame that will not be delivered: its buffer goes back to the pool. */
  giveBack(f: PartialFrame): void {
    if (f.buf && this.pool) this.pool.release(f.buf);
    f.buf = undefined;
  }

  drop(s: ChannelFrames, f: PartialFrame, reason: FrameDropReason): void {
    this.remove(s, f);
    this.giveBack(f);
    this.stats.framesDropped[reason]++;
    this.stats.packetsDropped['in-dropped-frame'] += f.packets;
    this.onDropped?.(f);
  }

  /** Drops every frame assembling on a channel. */
  dropAll(s: ChannelFrames, reason: FrameDropReason): void {
    while (s.inFlight.length) this.drop(s, s.inFlight[0], reason);
  }

  /** Drops every frame assembling on either channel at or before `frameNo`: they can no longer come out in order. */
  dropUpTo(frameNo: number): void {
    for (const s of this.channels) {
      for (let i = s.inFlight.length - 1; i >= 0; i--) {
        const o = s.inFlight[i];
        if (!after(o.frameNo, frameNo)) this.drop(s, o, 'incomplete');
      }
    }
  }

  /** Some frame before `frameNo` is still assembling on either channel. */
  assemblingBefore(frameNo: number): boolean {
    for (const s of this.channels) for (const x of s.inFlight) if (after(frameNo, x.frameNo)) return true;
    return false;
  }

  oldest(s: ChannelFrames): PartialFrame {
    let o = s.inFlight[0];
    for (const x of s.inFlight) if (after(o.frameNo, x.frameNo)) o = x;
    return o;
  }

  /** The frame to evict for memory: the first to arrive, `keep` (the frame just added to) only if no other is left. */
  memoryVictim(keep: PartialFrame | undefined): PartialFrame | undefined {
    let victim = keep && !keep.closed ? keep : undefined;
    for (const s of this.channels) {
      for (const x of s.inFlight) if (x !== keep && (victim === undefined || victim === keep || x.born < victim.born)) victim = x;
    }
    return victim;
  }

  get inFlightFrames(): number {
    return this.channels[0].inFlight.length + this.channels[1].inFlight.length;
  }

  get inFlightPackets(): number {
    let n = 0;
    for (const s of this.channels) for (const f of s.inFlight) n += f.packets;
    return n;
  }

  /** The delivered frame of a complete one that passed its checks, counted as emitted. */
  deliver(f: PartialFrame): Frame {
    const info = f.info!;
    this.stats.framesEmitted++;
    this.stats.packetsDelivered += f.packets;
    return { kind: 'video', channel: f.channel, codec: info.codec, keyframe: f.keyframe, frameNo: info.frameNo, packetFrameNo: f.frameNo, data: f.buf!.subarray(0, f.len), info };
  }

  /** Copies a chunk to the end of the frame's buffer, growing it geometrically; false if the frame was dropped. */
  private append(s: ChannelFrames, f: PartialFrame, chunk: Uint8Array, pktTotal: number): boolean {
    const need = f.len + chunk.length;
    if (need > this.maxFrameBytes) {
      this.drop(s, f, 'too-large');
      return false;
    }
    const cap = f.buf?.length ?? 0;
    if (need > cap || !f.buf) {
      // Packets other than the last are normally the same size, so the first one predicts the frame.
      const guess = f.buf ? cap * 2 : Math.max(chunk.length, 1) * pktTotal;
      const size = Math.min(this.maxFrameBytes, Math.max(need, guess));
      const buf = this.pool ? this.pool.acquire(size) : new Uint8Array(size);
      if (f.buf) {
        buf.set(f.buf.subarray(0, f.len));
        this.pool?.release(f.buf);
      }
      this.budget.used += buf.length - cap;
      f.buf = buf;
    }
    f.buf!.set(chunk, f.len);
    f.len = need;
    return true;
  }
}
