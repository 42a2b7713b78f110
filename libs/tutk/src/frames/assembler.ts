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
  /** A packet of a frame that was already completed or dropped. */
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
  /** A video frame that completed after a newer video frame had already been completed. */
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
   * After any lost video frame, withhold P-frames until the next keyframe, and keep video in header
   * frame-number order (default true). Loss is seen from dropped frames and from the header's previous
   * frame number, which the sample packets show to link consecutive frames across channels 0x05 and
   * 0x07 (vectors frame_parse_*). Set false for go2rtc's behaviour, which delivers whatever completes.
   */
  withholdAfterLoss?: boolean;
  /** Frames assembling at once on one media channel (default 4). */
  maxInFlightPerChannel?: number;
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
 * ends in an emitted frame, is still in flight, or is counted in `stats` under a reason; nothing throws.
 * Each frame is copied once, into its own buffer, so callers may reuse the packet buffers they push.
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
  private readonly maxBufferedBytes: number;
  private readonly channels = new Map<MediaChannel, ChannelState>([
    [MediaChannel.IFrame, { inFlight: [], closedUpTo: undefined }],
    [MediaChannel.PFrame, { inFlight: [], closedUpTo: undefined }],
  ]);
  private buffered = 0;
  private born = 0;
  /** No usable reference picture: at the start, and after a loss until a keyframe. */
  private awaitingKeyframe = true;
  /** Header frame number of the newest video frame completed on either video channel. */
  private lastVideo: number | undefined;
  /** Header frame number of the newest keyframe delivered. */
  private lastKeyframe: number | undefined;
  private lastAudio: number | undefined;

  constructor(options: FrameAssemblerOptions = {}) {
    this.inOrder = options.inOrder ?? false;
    this.withhold = options.withholdAfterLoss ?? true;
    this.maxInFlight = Math.max(1, options.maxInFlightPerChannel ?? 4);
    this.maxFrameBytes = options.maxFrameBytes ?? 8 * 1024 * 1024;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  }

  /** Bytes held by frames still assembling. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Packets accepted into frames still assembling. */
  get inFlightPackets(): number {
    let n = 0;
    for (const s of this.channels.values()) for (const f of s.inFlight) n += f.packets;
    return n;
  }

  get inFlightFrames(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.inFlight.length;
    return n;
  }

  /** Feeds one media record (channel 0 data whose first byte is 0x03/0x05/0x07, or 0x0c with resend = 1). */
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

  /** Feeds an already parsed packet. Its payload is copied if kept. */
  pushPacket(pkt: AvPacket): Frame | undefined {
    this.stats.packets++;
    if (pkt.kind === 'frame-index') {
      this.stats.frameIndexPackets++;
      return undefined;
    }
    return pkt.channel === MediaChannel.Audio ? this.audio(pkt) : this.video(pkt);
  }

  /** Drops every frame still assembling, counted as 'incomplete' (for the end of a session). */
  flush(): void {
    for (const s of this.channels.values()) {
      while (s.inFlight.length) this.dropFrame(s, s.inFlight[0], 'incomplete');
    }
  }

  // FACTS §10.3: audio is never reassembled; each packet must carry its own valid FRAMEINFO.
  private audio(p: MediaPacket): Frame | undefined {
    const info = p.frameInfo;
    if (!info) {
      this.stats.packetsDropped['no-frameinfo']++;
      return undefined;
    }
    if (!this.inOrder && this.lastAudio === p.frameNo) {
      this.stats.packetsDropped.duplicate++;
      return undefined;
    }
    this.lastAudio = p.frameNo;
    if (p.payload.length === 0) {
      this.stats.framesDropped.empty++;
      this.stats.packetsDropped['in-dropped-frame']++;
      return undefined;
    }
    this.stats.framesEmitted++;
    this.stats.packetsDelivered++;
    return { kind: 'audio', channel: p.channel, codec: info.codec, keyframe: false, frameNo: info.frameNo, packetFrameNo: p.frameNo, data: p.payload.slice(), info };
  }

  private video(p: MediaPacket): Frame | undefined {
    const s = this.channels.get(p.channel)!;
    if (p.pktTotal === 0 || p.pktIdx >= p.pktTotal) {
      this.stats.packetsDropped['bad-index']++;
      return undefined;
    }
    if (s.closedUpTo !== undefined && !after(p.frameNo, s.closedUpTo)) {
      if (((s.closedUpTo - p.frameNo) >>> 0) < LATE_WINDOW) {
        this.stats.packetsDropped.late++;
        return undefined;
      }
      // Far behind: the camera has started counting again, so forget this channel's history.
      while (s.inFlight.length) this.dropFrame(s, s.inFlight[0], 'incomplete');
      s.closedUpTo = undefined;
      this.lastVideo = undefined;
      this.lastKeyframe = undefined;
    }

    let f = s.inFlight.find((x) => x.frameNo === p.frameNo);
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
      return undefined;
    }

    if (p.pktIdx === f.nextIdx) {
      if (!this.append(s, f, p.payload, p.pktTotal)) {
        this.stats.packetsDropped['in-dropped-frame']++;
        return undefined;
      }
      f.nextIdx++;
      f.packets++;
      while (f.ahead?.has(f.nextIdx)) {
        const chunk = f.ahead.get(f.nextIdx)!;
        f.ahead.delete(f.nextIdx);
        f.aheadBytes -= chunk.length;
        this.buffered -= chunk.length;
        if (!this.append(s, f, chunk, p.pktTotal)) return undefined;
        f.nextIdx++;
      }
    } else if (this.inOrder) {
      this.stats.packetsDropped['out-of-order']++;
      this.dropFrame(s, f, 'out-of-order');
      return undefined;
    } else if (p.pktIdx < f.nextIdx || f.ahead?.has(p.pktIdx)) {
      this.stats.packetsDropped.duplicate++;
      return undefined;
    } else {
      if (f.bytes + p.payload.length > this.maxFrameBytes) {
        this.stats.packetsDropped['in-dropped-frame']++;
        this.dropFrame(s, f, 'too-large');
        return undefined;
      }
      (f.ahead ??= new Map()).set(p.pktIdx, p.payload.slice());
      f.aheadBytes += p.payload.length;
      this.buffered += p.payload.length;
      f.packets++;
    }
    if (p.frameInfo) f.info = p.frameInfo;

    if (f.nextIdx < f.pktTotal) {
      this.enforceMemory(f);
      return undefined;
    }
    return this.complete(s, f);
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
      const buf = new Uint8Array(size);
      if (f.buf) buf.set(f.buf.subarray(0, f.len));
      this.buffered += size - cap;
      f.buf = buf;
    }
    f.buf!.set(chunk, f.len);
    f.len = need;
    return true;
  }

  private complete(s: ChannelState, f: InFlight): Frame | undefined {
    const info = f.info;
    if (!info) {
      this.dropFrame(s, f, 'no-frameinfo');
      return undefined;
    }
    // Older frames on this channel can no longer be delivered in order.
    for (let i = s.inFlight.length - 1; i >= 0; i--) {
      const o = s.inFlight[i];
      if (o !== f && after(f.frameNo, o.frameNo)) this.dropFrame(s, o, 'incomplete');
    }
    if (f.len === 0) return this.dropFrame(s, f, 'empty');
    if (info.payloadSize !== 0 && info.payloadSize !== f.len) return this.dropFrame(s, f, 'size-mismatch');

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
    this.stats.framesEmitted++;
    this.stats.packetsDelivered += f.packets;
    return {
      kind: 'video',
      channel: f.channel,
      codec: info.codec,
      keyframe,
      frameNo: info.frameNo,
      packetFrameNo: f.frameNo,
      data: f.buf!.subarray(0, f.len),
      info,
    };
  }

  private oldest(s: ChannelState): InFlight {
    let o = s.inFlight[0];
    for (const x of s.inFlight) if (after(o.frameNo, x.frameNo)) o = x;
    return o;
  }

  private enforceMemory(keep: InFlight): void {
    while (this.buffered > this.maxBufferedBytes) {
      let victim = keep;
      for (const s of this.channels.values()) {
        for (const x of s.inFlight) if (x !== keep && (victim === keep || x.born < victim.born)) victim = x;
      }
      this.dropFrame(this.channels.get(victim.channel)!, victim, 'memory');
      if (victim === keep) return;
    }
  }

  private remove(s: ChannelState, f: InFlight): void {
    const i = s.inFlight.indexOf(f);
    if (i >= 0) s.inFlight.splice(i, 1);
    this.buffered -= f.bytes;
    if (s.closedUpTo === undefined || after(f.frameNo, s.closedUpTo)) s.closedUpTo = f.frameNo;
  }

  private dropFrame(s: ChannelState, f: InFlight, reason: FrameDropReason): undefined {
    this.remove(s, f);
    this.stats.framesDropped[reason]++;
    this.stats.packetsDropped['in-dropped-frame'] += f.packets;
    // Whatever follows a lost picture may reference it (awaiting-keyframe is itself such a loss), but
    // a stale frame from before the current keyframe is referenced by nothing still to come.
    if (this.lastKeyframe === undefined || after(f.frameNo, this.lastKeyframe)) this.awaitingKeyframe = true;
    return undefined;
  }
}
