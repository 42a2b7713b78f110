// What every frame assembler shares: the frame it delivers, the drop reasons it counts, its stats, the
// interface the session feeds, and the byte budget and serial-number order its stages work with.
import { TutkParseError } from '../wire/parse-error';
import type { FrameBufferPool } from './frame-buffer-pool';
import type { MediaChannel } from './codecs';
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
  /**
   * A keyframe delivered after video was lost since the previous video frame delivered (not at the start
   * of the session): the footage has a hole before it.
   */
  afterLoss?: boolean;
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
  /** In-order assembler: not the next expected index (the frame is dropped with it). */
  | 'out-of-order'
  /** An audio packet without a valid FRAMEINFO (FACTS §10.3). */
  | 'no-frameinfo'
  /** Accepted into a frame that was later dropped. */
  | 'in-dropped-frame';

export type FrameDropReason =
  /** Superseded by a newer frame on its channel before all packets arrived, evicted, or flushed. */
  | 'incomplete'
  /** In-order assembler: a gap or a repeat inside the frame (go2rtc's rule, FACTS §10.3). */
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
  /** Still missing packets when the bounded wait for them (FrameAssemblerOptions.maxWaitMs) ran out. */
  | 'expired'
  /**
   * A video frame that completed after a newer one had been delivered. Neither assembler counts it any
   * more (the reorder stage counts such packets as late packets, and the in-order assembler does not
   * withhold); it stays so that the stats, and the metrics built from them, keep their shape.
   */
  | 'late'
  /** A P-frame withheld after a loss, until the next keyframe. */
  | 'awaiting-keyframe';

const PACKET_DROP_REASONS: readonly PacketDropReason[] = ['malformed', 'bad-index', 'inconsistent-total', 'duplicate', 'late', 'out-of-order', 'no-frameinfo', 'in-dropped-frame'];
const FRAME_DROP_REASONS: readonly FrameDropReason[] = ['incomplete', 'out-of-order', 'no-frameinfo', 'size-mismatch', 'empty', 'too-large', 'memory', 'expired', 'late', 'awaiting-keyframe'];

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
  /** Video lost on the way, beside the per-frame drop reasons (FrameAssembler only). */
  loss: VideoLossStats;
}

export interface VideoLossStats {
  /** Video frames of which no packet arrived: stepped over in the header frame-number sequence. */
  framesMissing: number;
  /** P-frames withheld after a loss until the next keyframe (part of framesDropped['awaiting-keyframe']). */
  framesWithheld: number;
  /** Keyframes delivered after a loss (Frame.afterLoss): holes in the footage. */
  resumes: number;
}

/** Video frames lost to the network: never seen, dropped incomplete or expired, or withheld after a loss. */
export function videoFramesLost(s: FrameAssemblerStats): number {
  return s.loss.framesMissing + s.framesDropped.incomplete + s.framesDropped.expired + s.loss.framesWithheld;
}

export function newAssemblerStats(): FrameAssemblerStats {
  return {
    packets: 0,
    packetsDelivered: 0,
    frameIndexPackets: 0,
    framesEmitted: 0,
    packetsDropped: Object.fromEntries(PACKET_DROP_REASONS.map((r) => [r, 0])) as Record<PacketDropReason, number>,
    framesDropped: Object.fromEntries(FRAME_DROP_REASONS.map((r) => [r, 0])) as Record<FrameDropReason, number>,
    loss: { framesMissing: 0, framesWithheld: 0, resumes: 0 },
  };
}

/**
 * Turns the media packets of one AV session into frames (FACTS §10.2-10.3). Every packet either ends in
 * an emitted frame, is still in flight (assembling, or complete and held for ordering), or is counted in
 * `stats` under a reason; nothing throws. Each frame is copied once, into its own buffer, so callers may
 * reuse the packet buffers they push.
 */
export interface MediaFrameAssembler {
  readonly stats: FrameAssemblerStats;
  /** Bytes held by frames still assembling or held for ordering. */
  readonly bufferedBytes: number;
  /** Packets accepted into frames not yet delivered: still assembling, or complete and held for ordering. */
  readonly inFlightPackets: number;
  /** Frames still assembling. */
  readonly inFlightFrames: number;
  /** Complete frames held back until an earlier frame of their stream arrives or is given up. */
  readonly heldFrames: number;
  /**
   * Feeds one media record (channel 0 data whose first byte is 0x03/0x05/0x07, or 0x0c with resend = 1).
   * Returns the next frame ready for delivery, if any. One record can release several frames: take the
   * rest with pull() until it returns undefined.
   */
  push(record: Uint8Array): Frame | undefined;
  /** Feeds an already parsed packet. Its payload is copied if kept. Returns as push() does. */
  pushPacket(pkt: AvPacket): Frame | undefined;
  /** Further frames ready for delivery, oldest first: call until undefined after push() and after flush(). */
  pull(): Frame | undefined;
  /**
   * For the end of a session: drops every frame still assembling, counted as 'incomplete', and releases
   * every frame held for ordering, in order. Take them with pull().
   */
  flush(): void;
}

/** Limits of the reassembly every assembler does. */
export interface ReassemblyLimits {
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

export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Bytes held across an assembler's stages (partial frames, held frames), against one cap. */
export class ByteBudget {
  used = 0;
  constructor(readonly max: number) {}

  get exceeded(): boolean {
    return this.used > this.max;
  }
}

/**
 * How far behind the last closed frame a frame number may be and still count as a late packet rather
 * than the camera starting its numbering again.
 */
export const LATE_WINDOW = 256;

/** a is after b in u32 serial order. */
export const after = (a: number, b: number): boolean => a !== b && ((a - b) >>> 0) < 0x8000_0000;

/** frameNo, not after `last`, is less than LATE_WINDOW frames behind it: a late packet, not a camera counting again. */
export const withinLateWindow = (last: number, frameNo: number): boolean => ((last - frameNo) >>> 0) < LATE_WINDOW;

/** Parses a pushed record; a malformed one is counted (as a packet and as dropped) and gives undefined. */
export function parseMediaRecord(record: Uint8Array, stats: FrameAssemblerStats): AvPacket | undefined {
  try {
    return parseAvPacket(record);
  } catch (e) {
    if (!(e instanceof TutkParseError)) throw e;
    stats.packets++;
    stats.packetsDropped.malformed++;
    return undefined;
  }
}

/** FACTS §10.3: audio is never reassembled, so one packet with its own FRAMEINFO is one frame. */
export function audioFrame(p: MediaPacket, info: FrameInfo): Frame {
  return { kind: 'audio', channel: p.channel, codec: info.codec, keyframe: false, frameNo: info.frameNo, packetFrameNo: p.frameNo, data: p.payload.slice(), info };
}
