// The session's frame assembler: packet reassembly that places packets by index, then the reorder
// buffers, then (for video) the keyframe gate; optionally a bounded wait in time for what is missing (for
// retransmission). go2rtc's strict in-order rule is in-order-assembler.ts.
import {
  ByteBudget,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  type Frame,
  type FrameAssemblerStats,
  type MediaFrameAssembler,
  type ReassemblyLimits,
  after,
  newAssemblerStats,
  parseMediaRecord,
} from './assembly';
import { MediaChannel } from './codecs';
import { KeyframeGate } from './keyframe-gate';
import type { AvPacket, MediaPacket } from './packet';
import { type ChannelFrames, FrameReassembly, type PartialFrame } from './reassembly';
import { AudioReorderBuffer, VideoReorderBuffer } from './reorder-buffer';

export type { Frame, FrameAssemblerStats, FrameDropReason, MediaFrameAssembler, PacketDropReason, ReassemblyLimits, VideoLossStats } from './assembly';
export { videoFramesLost } from './assembly';

export interface FrameAssemblerOptions extends ReassemblyLimits {
  /**
   * At the start and after any lost video frame, withhold P-frames until the next keyframe (default
   * true). Loss is seen from dropped frames and from the header's previous frame number, which the
   * sample packets show to link consecutive frames across channels 0x05 and 0x07 (vectors
   * frame_parse_*). false delivers whatever completes, as go2rtc does.
   */
  withholdUntilKeyframe?: boolean;
  /** Frames assembling at once on one media channel (default 4). */
  maxInFlightPerChannel?: number;
  /**
   * Completed frames held per stream, video (0x05 and 0x07 as one sequence) and audio, while an earlier
   * frame of the stream is still missing (default 8). An earlier frame is given up only when one more
   * would be held, or when it is evicted from the in-flight caps. 0 gives up on a missing frame as soon
   * as a later one completes.
   */
  maxHeldFrames?: number;
  /**
   * The bounded wait for a missing packet or frame (when the camera retransmits, resend = 1), applied by
   * expire(): a frame still assembling is given up (dropped as 'expired') this long after a packet of a
   * later frame arrived, and frames held behind a frame of which nothing came give it up this long after
   * their first packet arrived. Default: no time bound, only the count caps above.
   */
  maxWaitMs?: number;
  /** The clock the bounded wait reads, in ms (default Date.now). */
  now?: () => number;
  /** Sees every parsed media packet before it is used (e.g. to feed a second assembler for comparison). */
  tap?: (pkt: AvPacket) => void;
}

/**
 * Reassembles the media packets of one AV session into frames (FACTS §10.2-10.3), tolerating what UDP
 * does: packets are placed by pkt_idx, so reordering and duplicates inside a frame are harmless, and
 * frames completed out of order wait in the reorder buffers, so video comes out in header frame-number
 * order and audio in its own, and a late frame does not cost the rest of its GOP.
 */
export class FrameAssembler implements MediaFrameAssembler {
  readonly stats: FrameAssemblerStats = newAssemblerStats();

  private readonly maxInFlight: number;
  private readonly maxWaitMs: number | undefined;
  private readonly now: () => number;
  private readonly tap: ((pkt: AvPacket) => void) | undefined;
  private readonly budget: ByteBudget;
  private readonly reassembly: FrameReassembly;
  private readonly video: VideoReorderBuffer;
  private readonly audio: AudioReorderBuffer;
  /** Frames passed in order, not yet taken by push() or pull(). */
  private readonly ready: Frame[] = [];

  constructor(options: FrameAssemblerOptions = {}) {
    this.maxInFlight = Math.max(1, options.maxInFlightPerChannel ?? 4);
    const maxHeld = Math.max(0, options.maxHeldFrames ?? 8);
    this.maxWaitMs = options.maxWaitMs;
    this.now = options.now ?? Date.now;
    this.tap = options.tap;
    this.budget = new ByteBudget(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.reassembly = new FrameReassembly(this.stats, this.budget, {
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      pool: options.pool,
      onDropped: (f) => this.video.lose(f),
    });
    const gate = new KeyframeGate(options.withholdUntilKeyframe ?? true);
    this.video = new VideoReorderBuffer(maxHeld, this.reassembly, gate, this.budget, this.stats, this.ready);
    this.audio = new AudioReorderBuffer(maxHeld, this.budget, this.stats, this.ready);
  }

  get bufferedBytes(): number {
    return this.budget.used;
  }

  get inFlightPackets(): number {
    return this.audio.length + this.reassembly.inFlightPackets + this.video.heldPackets;
  }

  get inFlightFrames(): number {
    return this.reassembly.inFlightFrames;
  }

  get heldFrames(): number {
    return this.audio.length + this.video.heldFrames;
  }

  push(record: Uint8Array): Frame | undefined {
    const pkt = parseMediaRecord(record, this.stats);
    return pkt && this.pushPacket(pkt);
  }

  pushPacket(pkt: AvPacket): Frame | undefined {
    this.stats.packets++;
    this.tap?.(pkt);
    const nowMs = this.maxWaitMs === undefined ? 0 : this.now();
    if (pkt.kind === 'frame-index') this.stats.frameIndexPackets++;
    else if (pkt.channel === MediaChannel.Audio) this.pushAudio(pkt, nowMs);
    else {
      this.pushVideo(pkt, nowMs);
      // Anything that completed or was dropped may be what held frames were waiting for.
      if (this.video.length) this.video.release(false);
      this.enforceMemory(undefined);
    }
    return this.ready.shift();
  }

  /**
   * Gives up whatever has waited longer than maxWaitMs for a missing packet or frame; a no-op without
   * maxWaitMs. Call it on a timer (every 100 ms, say), after reading what the socket holds: a packet
   * still waiting there is not late. Take what it releases with pull().
   */
  expire(): void {
    if (this.maxWaitMs === undefined) return;
    const limit = this.now() - this.maxWaitMs;
    this.reassembly.expireBlocked(limit);
    if (this.video.length) this.video.expire(limit);
    if (this.audio.length) this.audio.expire(limit);
  }

  pull(): Frame | undefined {
    return this.ready.shift();
  }

  /** The rules for gaps still apply to what flush() releases. */
  flush(): void {
    for (const s of this.reassembly.channels) this.reassembly.dropAll(s, 'incomplete');
    this.video.release(true);
    this.audio.release(true);
  }

  private pushAudio(p: MediaPacket, nowMs: number): void {
    // FACTS §10.3: each audio packet must carry its own valid FRAMEINFO.
    const info = p.frameInfo;
    if (!info) this.stats.packetsDropped['no-frameinfo']++;
    else if (this.audio.push(p, info, nowMs)) this.enforceMemory(undefined);
  }

  private pushVideo(p: MediaPacket, nowMs: number): void {
    const r = this.reassembly;
    if (!r.validIndex(p)) return;
    const s = r.channel(p.channel);
    let f = r.find(s, p.frameNo);
    if (!f) {
      if (!this.video.admit(p.frameNo)) return;
      if (s.inFlight.length >= this.maxInFlight) r.drop(s, r.oldest(s), 'incomplete');
      if (this.maxWaitMs !== undefined) r.markBlocked(p.frameNo, nowMs);
      f = r.open(s, p, nowMs);
    } else if (!r.sameTotal(f, p)) return;

    if (!(p.pktIdx === f.nextIdx ? r.appendNext(s, f, p) : r.placeAhead(s, f, p))) return;
    if (f.complete) this.complete(s, f);
    else this.enforceMemory(f);
  }

  private complete(s: ChannelFrames, f: PartialFrame): void {
    const fault = this.reassembly.fault(f);
    if (fault) return this.reassembly.drop(s, f, fault);
    this.reassembly.detach(s, f);
    this.video.hold(f);
  }

  /**
   * Keeps the buffered bytes under their cap. Held frames are passed first (delivering them loses
   * nothing but the wait for an earlier frame), unless that would give up `keep`, the frame just added
   * to; then in-flight frames are evicted, the first to arrive first, `keep` last.
   */
  private enforceMemory(keep: PartialFrame | undefined): void {
    while (this.budget.exceeded) {
      const h = this.video.first;
      if (h && (!keep || keep.closed || !after(h.frameNo, keep.frameNo))) {
        this.video.passFirst();
        continue;
      }
      if (this.audio.length) {
        this.audio.release(true);
        continue;
      }
      const victim = this.reassembly.memoryVictim(keep);
      if (!victim) return;
      this.reassembly.drop(this.reassembly.channel(victim.channel), victim, 'memory');
    }
  }
}
