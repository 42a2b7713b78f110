import type { FrameBufferPool } from './frame-buffer-pool';
import { TutkParseError } from '../wire/parse-error';
import { MediaChannel } from './codecs';
import type { FrameInfo } from './frame-info';
import { type AvPacket, type MediaPacket, parseAvPacket } from './packet';

/** One complete media frame (FACTS §10.3). */
export interface Frame {
  kind: 'video' | 'audio';
  channel: MediaChannel;
  /** FRAMEINFO [0]. */
  codec: number;
  /** Video from the I-frame channel 0x05; always false for audio. */
  keyframe: boolean;
  /** FRAMEINFO [20-23], the camera's absolute frame counter. */
  frameNo: number;
  /** The header frame number the packets were reassembled by. */
  packetFrameNo: number;
  /** The frame's bytes, FRAMEINFO stripped. Owned by the receiver. */
  data: Uint8Array;
  info: FrameInfo;
}

export type PacketDropReason =
  /** Not a media packet at all (TutkParseError from parseAvPacket). */
  | 'malformed'
  /** pkt_total of 0, or pkt_idx outside the frame. */
  | 'bad-index'
  /** pkt_total differs from the first packet of the same frame. */
  | 'inconsistent-total'
  /** The same packet again. */
  | 'duplicate'
  /** A packet of a frame already completed or dropped, or (audio) one whose place in the order was given up. */
  | 'late'
  /** In-order mode: not the next expected index (the frame is dropped with it). */
  | 'out-of-order'
  /** An audio packet without a valid FRAMEINFO (FACTS §10.3). */
  | 'no-frameinfo'
  /** Accepted into a frame that was later dropped. */
  | 'in-dropped-frame';

export type FrameDropReason =
  /** Superseded by a newer frame on its channel before all packets arrived, evicted, or flushed. */
  | 'incomplete'
  /** In-order mode: a gap or a repeat inside the frame (go2rtc's rule, FACTS §10.3). */
  | 'out-of-order'
  /** All packets arrived, none with a valid FRAMEINFO. */
  | 'no-frameinfo'
  /** FRAMEINFO [16-19] is nonzero and differs from the assembled length (FACTS §10.3). */
  | 'size-mismatch'
  /** Nothing assembled. */
  | 'empty'
  /** Larger than maxFrameBytes. */
  | 'too-large'
  /** Pushed out to keep the in-flight byte cap. */
  | 'memory'
  /**
   * A video frame that completed after a newer video frame had already been delivered (only without the
   * reorder stage, i.e. in-order mode; with it, such packets are counted as late packets instead).
   */
  | 'late'
  /** A P-frame withheld after a loss, until the next keyframe. */
  | 'awaiting-keyframe';

const PACKET_DROP_REASONS: readonly PacketDropReason[] = ['malformed', 'bad-index', 'inconsistent-total', 'duplicate', 'late', 'out-of-order', 'no-frameinfo', 'in-dropped-frame'];
const FRAME_DROP_REASONS: readonly FrameDropReason[] = ['incomplete', 'out-of-order', 'no-frameinfo', 'size-mismatch', 'empty', 'too-large', 'memory', 'late', 'awaiting-keyframe'];

export interface FrameAssemblerStats {
  /** Every record pushed. */
  packets: number;
  /** Packets that ended up in an emitted frame. */
  packetsDelivered: number;
  /** resend = 1 frame-index packets, ignored (SEED §9.7). */
  frameIndexPackets: number;
  framesEmitted: number;
  packetsDropped: Record<PacketDropReason, number>;
  framesDropped: Record<FrameDropReason, number>;
}

export interface FrameAssemblerOptions {
  /**
   * go2rtc's rule: a packet that is not the next index drops its whole frame, and a packet of another
   * frame number ends the current one (FACTS §10.3). Off by default: packets are placed by pkt_idx, so
   * reordering inside a frame and duplicates are tolerated, as the seed's algorithm allows.
   */
  inOrder?: boolean;
  /**
   * After any lost video frame, withhold P-frames until the next keyframe (default true). Loss is seen
   * from dropped frames and from the header's previous frame number, which the sample packets show to
   * link consecutive frames across channels 0x05 and 0x07 (vectors frame_parse_*). Set false for
   * go2rtc's behaviour, which delivers whatever completes.
   */
  withholdAfterLoss?: boolean;
  /** Frames assembling at once on one media channel (default 4). */
  maxInFlightPerChannel?: number;
  /**
   * Reorder stage (not in in-order mode): completed frames held per stream, video (0x05 and 0x07 as one
   * sequence) and audio, while an earlier frame of the stream is still missing (default 8). Frames come
   * out in frame-number order; an earlier frame is given up only when one more would be held, or when
   * it is evicted from the in-flight caps. 0 gives up on a missing frame as soon as a later one completes.
   */
  maxHeldFrames?: number;
  /**
   * Where video frame buffers come from. Given one, each delivered video frame's buffer is held once for
   * the consumer, who releases it to the pool when done (or never: it is then collected); buffers of
   * frames the assembler gives up go back at once. Default: a fresh allocation per frame.
   */
  pool?: FrameBufferPool;
  /** Largest frame accepted (default 8 MiB). */
  maxFrameBytes?: number;
  /** Bytes buffered across all in-flight frames (default 16 MiB). */
  maxBufferedBytes?: number;
}

/** Exactly what go2rtc's Wyze client does with media packets (FACTS §10.3), for the vectors and comparisons. */
export const GO2RTC_ASSEMBLER_OPTIONS: FrameAssemblerOptions = Object.freeze({ inOrder: true, withholdAfterLoss: false });

/**
 * How far behind the last closed frame a frame number may be and still count as a late packet rather
 * than the camera starting its numbering again.
 */
const LATE_WINDOW = 256;

/** a is after b in u32 serial order. */
const after = (a: number, b: number): boolean => a !== b && ((a - b) >>> 0) < 0x8000_0000;

class InFlight {
  /** Completed or dropped: out of its channel's in-flight list. */
  closed = false;
  /** Dropped: kept in the reorder stage only as a known gap, so the frames behind it need not wait. */
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

  constructor(
    readonly channel: MediaChannel,
    readonly frameNo: number,
    readonly pktTotal: number,
    readonly prevFrameNo: number,
    /** Arrival order across channels, for memory eviction. */
    readonly born: number,
  ) {}

  get bytes(): number {
    return (this.buf?.length ?? 0) + this.aheadBytes;
  }
}

interface ChannelState {
  inFlight: InFlight[];
  /** Newest frame number completed or dropped on this channel. */
  closedUpTo: number | undefined;
}

/**
 * Reassembles the media packets of one AV session into frames (FACTS §10.2-10.3). Every packet either
 * ends in an emitted frame, is still in flight (assembling, or complete and held for ordering), or is
 * counted in `stats` under a reason; nothing throws. Each frame is copied once, into its own buffer, so
 * callers may reuse the packet buffers they push.
 *
 * Outside go2rtc's in-order profile a reorder stage follows reassembly: UDP may reorder packets across
 * frame boundaries, so a frame can complete after a later one. Completed frames wait (up to
 * maxHeldFrames per stream, within the byte cap) until the frames before them are delivered or given up,
 * so video comes out in header frame-number order and audio in its own, and a frame that is merely late
 * is not counted as a loss that costs the rest of its GOP.
 */
export class FrameAssembler {
  readonly stats: FrameAssemblerStats = {
    packets: 0,
    packetsDelivered: 0,
    frameIndexPackets: 0,
    framesEmitted: 0,
    packetsDropped: Object.fromEntries(PACKET_DROP_REASONS.map((r) => [r, 0])) as Record<PacketDropReason, number>,
    framesDropped: Object.fromEntries(FRAME_DROP_REASONS.map((r) => [r, 0])) as Record<FrameDropReason, number>,
  };

  private readonly inOrder: boolean;
  private readonly withhold: boolean;
  private readonly maxInFlight: number;
  private readonly maxFrameBytes: number;
  private readonly pool: FrameBufferPool | undefined;
  private readonly maxBufferedBytes: number;
  private readonly channels = new Map<MediaChannel, ChannelState>([
    [MediaChannel.IFrame, { inFlight: [], closedUpTo: undefined }],
    [MediaChannel.PFrame, { inFlight: [], closedUpTo: undefined }],
  ]);
  private buffered = 0;
  private born = 0;
  /** No usable reference picture: at the start, and after a loss until a keyframe. */
  private awaitingKeyframe = true;
  /**
   * Header frame number of the newest video frame completed on either video channel; with the reorder
   * stage, of the last one passed in order (delivered, withheld or given up).
   */
  private lastVideo: number | undefined;
  /** Header frame number of the newest keyframe delivered. */
  private lastKeyframe: number | undefined;
  /** Header frame number of the last audio frame passed (in order, with the reorder stage). */
  private lastAudio: number | undefined;
  /** Reorder stage on: everything but go2rtc's in-order profile. */
  private readonly ordered: boolean;
  private readonly maxHeld: number;
  /** Completed (or lost) video frames after lastVideo, in frame order, waiting for an earlier one. */
  private readonly videoHeld: InFlight[] = [];
  /** Audio frames after lastAudio, in frame order, waiting for an earlier one. */
  private readonly audioHeld: Frame[] = [];
  /** Frames passed in order, not yet taken by push() or pull(). */
  private readonly ready: Frame[] = [];

  constructor(options: FrameAssemblerOptions = {}) {
    this.inOrder = options.inOrder ?? false;
    this.withhold = options.withholdAfterLoss ?? true;
    this.maxInFlight = Math.max(1, options.maxInFlightPerChannel ?? 4);
    this.maxFrameBytes = options.maxFrameBytes ?? 8 * 1024 * 1024;
    this.pool = options.pool;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.ordered = !this.inOrder;
    this.maxHeld = Math.max(0, options.maxHeldFrames ?? 8);
  }

  /** Bytes held by frames still assembling or held for ordering. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Packets accepted into frames not yet delivered: still assembling, or complete and held for ordering. */
  get inFlightPackets(): number {
    let n = this.audioHeld.length;
    for (const s of this.channels.values()) for (const f of s.inFlight) n += f.packets;
    for (const f of this.videoHeld) if (!f.lost) n += f.packets;
    return n;
  }

  /** Frames still assembling. */
  get inFlightFrames(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.inFlight.length;
    return n;
  }

  /** Complete frames held back until an earlier frame of their stream arrives or is given up. */
  get heldFrames(): number {
    let n = this.audioHeld.length;
    for (const f of this.videoHeld) if (!f.lost) n++;
    return n;
  }

  /**
   * Feeds one media record (channel 0 data whose first byte is 0x03/0x05/0x07, or 0x0c with resend = 1).
   * Returns the next frame ready for delivery, if any. One record can release several frames (it filled
   * a gap that held later ones back): take the rest with pull() until it returns undefined.
   */
  push(record: Uint8Array): Frame | undefined {
    let pkt: AvPacket;
    try {
      pkt = parseAvPacket(record);
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.stats.packets++;
      this.stats.packetsDropped.malformed++;
      return undefined;
    }
    return this.pushPacket(pkt);
  }

  /** Feeds an already parsed packet. Its payload is copied if kept. Returns as push() does. */
  pushPacket(pkt: AvPacket): Frame | undefined {
    this.stats.packets++;
    if (pkt.kind === 'frame-index') this.stats.frameIndexPackets++;
    else if (pkt.channel === MediaChannel.Audio) this.audio(pkt);
    else {
      this.video(pkt);
      if (this.ordered) {
        // Anything that completed or was dropped may be what held frames were waiting for.
        if (this.videoHeld.length) this.releaseVideo(false);
        this.enforceMemory(undefined);
      }
    }
    return this.ready.shift();
  }

  /** Further frames ready for delivery, oldest first: call until undefined after push() and after flush(). */
  pull(): Frame | undefined {
    return this.ready.shift();
  }

  /**
   * For the end of a session: drops every frame still assembling, counted as 'incomplete', and releases
   * every frame held for ordering, in order (the rules for gaps still apply). Take them with pull().
   */
  flush(): void {
    for (const s of this.channels.values()) {
      while (s.inFlight.length) this.dropFrame(s, s.inFlight[0], 'incomplete');
    }
    this.releaseVideo(true);
    this.releaseAudio(true);
  }

  // FACTS §10.3: audio is never reassembled; each packet must carry its own valid FRAMEINFO.
  private audio(p: MediaPacket): void {
    const info = p.frameInfo;
    if (!info) {
      this.stats.packetsDropped['no-frameinfo']++;
      return;
    }
    if (!this.ordered) {
      if (p.payload.length === 0) {
        this.stats.framesDropped.empty++;
        this.stats.packetsDropped['in-dropped-frame']++;
        return;
      }
      this.stats.framesEmitted++;
      this.stats.packetsDelivered++;
      this.ready.push(this.audioFrame(p, info));
      return;
    }

    const n = p.frameNo;
    if (this.lastAudio !== undefined && !after(n, this.lastAudio)) {
      if (n === this.lastAudio) {
        this.stats.packetsDropped.duplicate++;
        return;
      }
      if (((this.lastAudio - n) >>> 0) < LATE_WINDOW) {
        // Behind the reorder window: its place in the sequence has been given up.
        this.stats.packetsDropped.late++;
        return;
      }
      // Far behind: the camera has started counting again.
      this.releaseAudio(true);
      this.lastAudio = undefined;
    }
    const held = this.audioHeld;
    let i = held.length;
    while (i > 0 && after(held[i - 1].packetFrameNo, n)) i--;
    if (i > 0 && held[i - 1].packetFrameNo === n) {
      this.stats.packetsDropped.duplicate++;
      return;
    }
    if (p.payload.length === 0) {
      this.stats.framesDropped.empty++;
      this.stats.packetsDropped['in-dropped-frame']++;
      // A known gap: the next frame need not wait for it.
      if (this.lastAudio !== undefined && n === ((this.lastAudio + 1) >>> 0)) {
        this.lastAudio = n;
        this.releaseAudio(false);
      }
      return;
    }
    const frame = this.audioFrame(p, info);
    if (i === held.length) held.push(frame);
    else held.splice(i, 0, frame);
    this.buffered += frame.data.length;
    this.releaseAudio(false);
    this.enforceMemory(undefined);
  }

  private audioFrame(p: MediaPacket, info: FrameInfo): Frame {
    return { kind: 'audio', channel: p.channel, codec: info.codec, keyframe: false, frameNo: info.frameNo, packetFrameNo: p.frameNo, data: p.payload.slice(), info };
  }

  /** Passes held audio frames that are next in sequence; with `force`, or beyond the hold cap, across gaps too. */
  private releaseAudio(force: boolean): void {
    const held = this.audioHeld;
    while (held.length) {
      const h = held[0];
      const next = this.lastAudio === undefined || h.packetFrameNo === ((this.lastAudio + 1) >>> 0);
      if (!next && !force && held.length <= this.maxHeld) return;
      held.shift();
      this.lastAudio = h.packetFrameNo;
      this.buffered -= h.data.length;
      this.stats.framesEmitted++;
      this.stats.packetsDelivered++;
      this.ready.push(h);
    }
  }

  private video(p: MediaPacket): void {
    const s = this.channels.get(p.channel)!;
    if (p.pktTotal === 0 || p.pktIdx >= p.pktTotal) {
      this.stats.packetsDropped['bad-index']++;
      return;
    }
    let f: InFlight | undefined;
    if (this.ordered) {
      f = s.inFlight.find((x) => x.frameNo === p.frameNo);
      if (!f && !this.admitVideo(p.frameNo)) return;
    } else {
      if (s.closedUpTo !== undefined && !after(p.frameNo, s.closedUpTo)) {
        if (((s.closedUpTo - p.frameNo) >>> 0) < LATE_WINDOW) {
          this.stats.packetsDropped.late++;
          return;
        }
        // Far behind: the camera has started counting again, so forget this channel's history.
        while (s.inFlight.length) this.dropFrame(s, s.inFlight[0], 'incomplete');
        s.closedUpTo = undefined;
        this.lastVideo = undefined;
        this.lastKeyframe = undefined;
      }
      f = s.inFlight.find((x) => x.frameNo === p.frameNo);
    }
    if (!f) {
      if (this.inOrder) {
        while (s.inFlight.length) this.dropFrame(s, s.inFlight[0], 'incomplete');
      } else if (s.inFlight.length >= this.maxInFlight) {
        this.dropFrame(s, this.oldest(s), 'incomplete');
      }
      f = new InFlight(p.channel, p.frameNo, p.pktTotal, p.prevFrameNo, this.born++);
      s.inFlight.push(f);
    } else if (p.pktTotal !== f.pktTotal) {
      this.stats.packetsDropped['inconsistent-total']++;
      return;
    }

    if (p.pktIdx === f.nextIdx) {
      if (!this.append(s, f, p.payload, p.pktTotal)) {
        this.stats.packetsDropped['in-dropped-frame']++;
        return;
      }
      f.nextIdx++;
      f.packets++;
      while (f.ahead?.has(f.nextIdx)) {
        const chunk = f.ahead.get(f.nextIdx)!;
        f.ahead.delete(f.nextIdx);
        f.aheadBytes -= chunk.length;
        this.buffered -= chunk.length;
        if (!this.append(s, f, chunk, p.pktTotal)) return;
        f.nextIdx++;
      }
    } else if (this.inOrder) {
      this.stats.packetsDropped['out-of-order']++;
      this.dropFrame(s, f, 'out-of-order');
      return;
    } else if (p.pktIdx < f.nextIdx || f.ahead?.has(p.pktIdx)) {
      this.stats.packetsDropped.duplicate++;
      return;
    } else {
      if (f.bytes + p.payload.length > this.maxFrameBytes) {
        this.stats.packetsDropped['in-dropped-frame']++;
        this.dropFrame(s, f, 'too-large');
        return;
      }
      (f.ahead ??= new Map()).set(p.pktIdx, p.payload.slice());
      f.aheadBytes += p.payload.length;
      this.buffered += p.payload.length;
      f.packets++;
    }
    if (p.frameInfo) f.info = p.frameInfo;

    if (f.nextIdx < f.pktTotal) {
      this.enforceMemory(f);
      return;
    }
    this.complete(s, f);
  }

  /** Reorder stage: whether a packet may open a new frame (it is neither behind the stage nor of a closed frame). */
  private admitVideo(frameNo: number): boolean {
    if (this.lastVideo !== undefined && !after(frameNo, this.lastVideo)) {
      if (((this.lastVideo - frameNo) >>> 0) < LATE_WINDOW) {
        this.stats.packetsDropped.late++;
        return false;
      }
      // Far behind: the camera has started counting again, so pass out what is held and start afresh.
      for (const s of this.channels.values()) while (s.inFlight.length) this.dropFrame(s, s.inFlight[0], 'incomplete');
      this.releaseVideo(true);
      this.lastVideo = undefined;
      this.lastKeyframe = undefined;
      this.awaitingKeyframe = true;
      return true;
    }
    for (const h of this.videoHeld) {
      if (h.frameNo === frameNo) {
        this.stats.packetsDropped.late++;
        return false;
      }
    }
    return true;
  }

  /** Copies a chunk to the end of the frame's buffer, growing it geometrically; false if the frame was dropped. */
  private append(s: ChannelState, f: InFlight, chunk: Uint8Array, pktTotal: number): boolean {
    const need = f.len + chunk.length;
    if (need > this.maxFrameBytes) {
      this.dropFrame(s, f, 'too-large');
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
      this.buffered += buf.length - cap;
      f.buf = buf;
    }
    f.buf!.set(chunk, f.len);
    f.len = need;
    return true;
  }

  private complete(s: ChannelState, f: InFlight): void {
    const info = f.info;
    if (!info) {
      this.dropFrame(s, f, 'no-frameinfo');
      return;
    }
    if (!this.ordered) {
      // Older frames on this channel can no longer be delivered in order.
      for (let i = s.inFlight.length - 1; i >= 0; i--) {
        const o = s.inFlight[i];
        if (o !== f && after(f.frameNo, o.frameNo)) this.dropFrame(s, o, 'incomplete');
      }
    }
    if (f.len === 0) return this.dropFrame(s, f, 'empty');
    if (info.payloadSize !== 0 && info.payloadSize !== f.len) return this.dropFrame(s, f, 'size-mismatch');
    if (this.ordered) {
      // Its bytes stay counted in `buffered` until it is passed.
      s.inFlight.splice(s.inFlight.indexOf(f), 1);
      f.closed = true;
      this.hold(f);
      return;
    }

    const keyframe = f.channel === MediaChannel.IFrame;
    if (this.withhold) {
      if (this.lastVideo !== undefined && !after(f.frameNo, this.lastVideo)) return this.dropFrame(s, f, 'late');
      const gap = f.prevFrameNo !== 0 && this.lastVideo !== undefined && f.prevFrameNo !== this.lastVideo;
      this.lastVideo = f.frameNo;
      if (keyframe) {
        this.awaitingKeyframe = false;
        this.lastKeyframe = f.frameNo;
      }
      else if (gap || this.awaitingKeyframe) {
        this.awaitingKeyframe = true;
        return this.dropFrame(s, f, 'awaiting-keyframe');
      }
    }

    this.remove(s, f);
    this.emitVideo(f, info);
  }

  private emitVideo(f: InFlight, info: FrameInfo): void {
    this.stats.framesEmitted++;
    this.stats.packetsDelivered += f.packets;
    this.ready.push({
      kind: 'video',
      channel: f.channel,
      codec: info.codec,
      keyframe: f.channel === MediaChannel.IFrame,
      frameNo: info.frameNo,
      packetFrameNo: f.frameNo,
      data: f.buf!.subarray(0, f.len),
      info,
    });
  }

  /** Puts a completed or lost video frame into the reorder stage, in frame order. */
  private hold(f: InFlight): void {
    const held = this.videoHeld;
    let i = held.length;
    while (i > 0 && after(held[i - 1].frameNo, f.frameNo)) i--;
    if (i === held.length) held.push(f);
    else held.splice(i, 0, f);
  }

  /**
   * Passes held video frames that are next in sequence; with `force`, or beyond the hold cap, the
   * earliest gap is given up and passing goes on across it.
   */
  private releaseVideo(force: boolean): void {
    const held = this.videoHeld;
    while (held.length) {
      const h = held[0];
      const next = this.isNextVideo(h);
      if (!next && !force && held.length <= this.maxHeld) return;
      held.shift();
      this.passVideo(h, next);
    }
  }

  /** Whether nothing before `h` can still arrive: its previous frame number is the last one passed. */
  private isNextVideo(h: InFlight): boolean {
    if (this.lastVideo === undefined) {
      // The start: nothing to link to. A P-frame cannot be delivered before a keyframe anyway, so it
      // waits for one, which may still be an earlier frame arriving late.
      if (this.assemblingBefore(h.frameNo)) return false;
      return !this.withhold || h.lost || h.channel === MediaChannel.IFrame || this.videoHeld.some((x) => !x.lost && x.channel === MediaChannel.IFrame);
    }
    if (h.prevFrameNo === this.lastVideo) return true;
    // A previous frame number of 0 links nothing (FACTS §10.2): next once nothing earlier is assembling.
    return h.prevFrameNo === 0 && !this.assemblingBefore(h.frameNo);
  }

  private assemblingBefore(frameNo: number): boolean {
    for (const s of this.channels.values()) for (const x of s.inFlight) if (after(frameNo, x.frameNo)) return true;
    return false;
  }

  /** Passes the first held video frame: delivered, withheld, or (lost) just stepped over. */
  private passVideo(h: InFlight, next: boolean): void {
    const gap = !next && this.lastVideo !== undefined;
    this.lastVideo = h.frameNo;
    // Whatever is still assembling up to here can no longer be delivered in order.
    for (const s of this.channels.values()) {
      for (let i = s.inFlight.length - 1; i >= 0; i--) {
        const o = s.inFlight[i];
        if (!after(o.frameNo, h.frameNo)) this.dropFrame(s, o, 'incomplete');
      }
    }
    if (h.lost) {
      // Counted when it was dropped.
      if (this.withhold) this.awaitingKeyframe = true;
      return;
    }
    this.buffered -= h.bytes;
    if (this.withhold) {
      if (h.channel === MediaChannel.IFrame) {
        this.awaitingKeyframe = false;
        this.lastKeyframe = h.frameNo;
      } else if (gap || this.awaitingKeyframe) {
        this.awaitingKeyframe = true;
        this.stats.framesDropped['awaiting-keyframe']++;
        this.stats.packetsDropped['in-dropped-frame'] += h.packets;
        this.giveBack(h);
        return;
      }
    }
    this.emitVideo(h, h.info!);
  }

  private oldest(s: ChannelState): InFlight {
    let o = s.inFlight[0];
    for (const x of s.inFlight) if (after(o.frameNo, x.frameNo)) o = x;
    return o;
  }

  /**
   * Keeps `buffered` under its cap. Held frames are passed first (delivering them loses nothing but the
   * wait for an earlier frame), unless that would give up `keep`, the frame just added to; then in-flight
   * frames are evicted, the first to arrive first, `keep` last.
   */
  private enforceMemory(keep: InFlight | undefined): void {
    while (this.buffered > this.maxBufferedBytes) {
      const h = this.videoHeld[0];
      if (h && (!keep || keep.closed || !after(h.frameNo, keep.frameNo))) {
        this.videoHeld.shift();
        this.passVideo(h, this.isNextVideo(h));
        continue;
      }
      if (this.audioHeld.length) {
        this.releaseAudio(true);
        continue;
      }
      let victim = keep && !keep.closed ? keep : undefined;
      for (const s of this.channels.values()) {
        for (const x of s.inFlight) if (x !== keep && (victim === undefined || victim === keep || x.born < victim.born)) victim = x;
      }
      if (!victim) return;
      this.dropFrame(this.channels.get(victim.channel)!, victim, 'memory');
      if (victim === keep && !this.ordered) return;
    }
  }

  private remove(s: ChannelState, f: InFlight): void {
    const i = s.inFlight.indexOf(f);
    if (i >= 0) s.inFlight.splice(i, 1);
    this.buffered -= f.bytes;
    f.closed = true;
    if (s.closedUpTo === undefined || after(f.frameNo, s.closedUpTo)) s.closedUpTo = f.frameNo;
  }

  /** A frame that will not be delivered: its buffer goes back to the pool. */
  private giveBack(f: InFlight): void {
    if (f.buf && this.pool) this.pool.release(f.buf);
    f.buf = undefined;
  }

  private dropFrame(s: ChannelState, f: InFlight, reason: FrameDropReason): undefined {
    this.remove(s, f);
    this.giveBack(f);
    this.stats.framesDropped[reason]++;
    this.stats.packetsDropped['in-dropped-frame'] += f.packets;
    if (this.ordered) {
      // A loss takes effect in frame order: frames before it are still decodable. A frame at or before
      // the last one passed was given up already.
      if (this.lastVideo === undefined || after(f.frameNo, this.lastVideo)) {
        f.lost = true;
        f.ahead = undefined;
        f.aheadBytes = 0;
        this.hold(f);
      }
      return undefined;
    }
    // Whatever follows a lost picture may reference it (awaiting-keyframe is itself such a loss), but
    // a stale frame from before the current keyframe is referenced by nothing still to come.
    if (this.lastKeyframe === undefined || after(f.frameNo, this.lastKeyframe)) this.awaitingKeyframe = true;
    return undefined;
  }
}
