// go2rtc's reassembly (FACTS §10.3), for the reassembly vectors and for comparisons: packets must arrive
// in order, a new frame number on a channel ends the frame before it, audio passes as it arrives, and
// nothing is withheld after a loss. Unlike go2rtc it delivers frame number 0 (FACTS §10.3: "a careful
// client should not copy this defect").
import {
  ByteBudget,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  type Frame,
  type FrameAssemblerStats,
  type MediaFrameAssembler,
  type ReassemblyLimits,
  after,
  audioFrame,
  newAssemblerStats,
  parseMediaRecord,
  withinLateWindow,
} from './assembly';
import { MediaChannel } from './codecs';
import type { AvPacket, MediaPacket } from './packet';
import { FrameReassembly, type PartialFrame } from './reassembly';

export class InOrderFrameAssembler implements MediaFrameAssembler {
  readonly stats: FrameAssemblerStats = newAssemblerStats();
  /** Nothing is ever held for ordering. */
  readonly heldFrames = 0;

  private readonly budget: ByteBudget;
  private readonly reassembly: FrameReassembly;

  constructor(options: ReassemblyLimits = {}) {
    this.budget = new ByteBudget(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.reassembly = new FrameReassembly(this.stats, this.budget, { maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, pool: options.pool });
  }

  get bufferedBytes(): number {
    return this.budget.used;
  }

  get inFlightPackets(): number {
    return this.reassembly.inFlightPackets;
  }

  get inFlightFrames(): number {
    return this.reassembly.inFlightFrames;
  }

  push(record: Uint8Array): Frame | undefined {
    const pkt = parseMediaRecord(record, this.stats);
    return pkt && this.pushPacket(pkt);
  }

  /** A packet completes at most one frame, which is returned at once: pull() has nothing more. */
  pushPacket(pkt: AvPacket): Frame | undefined {
    this.stats.packets++;
    if (pkt.kind === 'frame-index') {
      this.stats.frameIndexPackets++;
      return undefined;
    }
    return pkt.channel === MediaChannel.Audio ? this.pushAudio(pkt) : this.pushVideo(pkt);
  }

  pull(): Frame | undefined {
    return undefined;
  }

  flush(): void {
    for (const s of this.reassembly.channels) this.reassembly.dropAll(s, 'incomplete');
  }

  private pushAudio(p: MediaPacket): Frame | undefined {
    const info = p.frameInfo;
    if (!info) {
      this.stats.packetsDropped['no-frameinfo']++;
      return undefined;
    }
    if (p.payload.length === 0) {
      this.stats.framesDropped.empty++;
      this.stats.packetsDropped['in-dropped-frame']++;
      return undefined;
    }
    this.stats.framesEmitted++;
    this.stats.packetsDelivered++;
    return audioFrame(p, info);
  }

  private pushVideo(p: MediaPacket): Frame | undefined {
    const r = this.reassembly;
    if (!r.validIndex(p)) return undefined;
    const s = r.channel(p.channel);
    if (s.closedUpTo !== undefined && !after(p.frameNo, s.closedUpTo)) {
      if (withinLateWindow(s.closedUpTo, p.frameNo)) {
        this.stats.packetsDropped.late++;
        return undefined;
      }
      // Far behind: the camera has started counting again, so forget this channel's history.
      r.dropAll(s, 'incomplete');
      s.closedUpTo = undefined;
    }
    let f = r.find(s, p.frameNo);
    if (!f) {
      // A packet of another frame number ends the current one (FACTS §10.3).
      r.dropAll(s, 'incomplete');
      f = r.open(s, p);
    } else if (!r.sameTotal(f, p)) return undefined;

    if (p.pktIdx !== f.nextIdx) {
      // FACTS §10.3: a gap or a repeat drops the whole frame.
      this.stats.packetsDropped['out-of-order']++;
      r.drop(s, f, 'out-of-order');
      return undefined;
    }
    if (!r.appendNext(s, f, p)) return undefined;
    if (!f.complete) {
      this.enforceMemory(f);
      return undefined;
    }
    const fault = r.fault(f);
    if (fault) {
      r.drop(s, f, fault);
      return undefined;
    }
    r.remove(s, f);
    return r.deliver(f);
  }

  /** Keeps the buffered bytes under their cap: the other channel's frame goes first, then `keep` itself. */
  private enforceMemory(keep: PartialFrame): void {
    while (this.budget.exceeded) {
      const victim = this.reassembly.memoryVictim(keep);
      if (!victim) return;
      this.reassembly.drop(this.reassembly.channel(victim.channel), victim, 'memory');
      if (victim === keep) return;
    }
  }
}
