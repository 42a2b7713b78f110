// The bounded reorder buffers that follow reassembly. UDP may reorder packets across frame boundaries, so
// a frame can complete after a later one (go2rtc has no such stage, FACTS §10.2 "TX sequence"). Complete
// frames wait here, up to maxHeld per stream (and, with a bounded wait, up to maxWaitMs), until the frames
// before them are passed or given up: video (0x05 and 0x07 as one sequence, linked by the header's previous
// frame number) and audio each come out in frame-number order, and a frame that is merely late is not
// counted as a loss. A keyframe delivered after a loss is marked (Frame.afterLoss).
import { type ByteBudget, type Frame, type FrameAssemblerStats, LATE_WINDOW, after, audioFrame, withinLateWindow } from './assembly';
import type { FrameInfo } from './frame-info';
import type { KeyframeGate } from './keyframe-gate';
import type { MediaPacket } from './packet';
import type { FrameReassembly, PartialFrame } from './reassembly';

export class VideoReorderBuffer {
  /** Completed (or lost) frames after `last`, in frame order, waiting for an earlier one. */
  private readonly held: PartialFrame[] = [];
  /** Header frame number of the last frame passed in order (delivered, withheld or given up). */
  private last: number | undefined;

  constructor(
    private readonly maxHeld: number,
    private readonly reassembly: FrameReassembly,
    private readonly gate: KeyframeGate,
    private readonly budget: ByteBudget,
    private readonly stats: FrameAssemblerStats,
    private readonly ready: Frame[],
  ) {}

  /** Complete frames held (lost ones are only markers). */
  get heldFrames(): number {
    let n = 0;
    for (const f of this.held) if (!f.lost) n++;
    return n;
  }

  get heldPackets(): number {
    let n = 0;
    for (const f of this.held) if (!f.lost) n += f.packets;
    return n;
  }

  get length(): number {
    return this.held.length;
  }

  /** The earliest frame held, complete or lost. */
  get first(): PartialFrame | undefined {
    return this.held[0];
  }

  /** Whether a packet may open a new frame: it is neither behind the buffer nor of a frame already held. */
  admit(frameNo: number): boolean {
    if (this.last !== undefined && !after(frameNo, this.last)) {
      if (withinLateWindow(this.last, frameNo)) {
        this.stats.packetsDropped.late++;
        return false;
      }
      // Far behind: the camera has started counting again, so pass out what is held and start afresh.
      for (const s of this.reassembly.channels) this.reassembly.dropAll(s, 'incomplete');
      this.release(true);
      this.last = undefined;
      this.gate.referenceLost();
      return true;
    }
    for (const h of this.held) {
      if (h.frameNo === frameNo) {
        this.stats.packetsDropped.late++;
        return false;
      }
    }
    return true;
  }

  /** A complete frame, taken out of assembly with its bytes still in the budget until it is passed. */
  hold(f: PartialFrame): void {
    const held = this.held;
    let i = held.length;
    while (i > 0 && after(held[i - 1].frameNo, f.frameNo)) i--;
    if (i === held.length) held.push(f);
    else held.splice(i, 0, f);
  }

  /**
   * A dropped frame: a loss takes effect in frame order, since frames before it are still decodable. A
   * frame at or before the last one passed was given up already.
   */
  lose(f: PartialFrame): void {
    if (this.last !== undefined && !after(f.frameNo, this.last)) return;
    f.lost = true;
    f.ahead = undefined;
    f.aheadBytes = 0;
    this.hold(f);
  }

  /**
   * Passes held frames that are next in sequence; with `force`, or beyond the hold cap, the earliest gap
   * is given up and passing goes on across it.
   */
  release(force: boolean): void {
    const held = this.held;
    while (held.length) {
      const h = held[0];
      const next = this.isNext(h);
      if (!next && !force && held.length <= this.maxHeld) return;
      held.shift();
      this.pass(h, next);
    }
  }

  /** Passes the earliest frame held, whether or not an earlier one may still come (to free memory). */
  passFirst(): void {
    const h = this.held.shift();
    if (h) this.pass(h, this.isNext(h));
  }

  /**
   * The bounded wait: frames held since `limitMs` or earlier behind a frame of which nothing arrived give
   * that frame up. (A frame still assembling is given up by FrameReassembly.expireBlocked.)
   */
  expire(limitMs: number): void {
    const held = this.held;
    while (held.length) {
      const h = held[0];
      const next = this.isNext(h);
      if (!next && (h.openedAtMs > limitMs || this.reassembly.assemblingBefore(h.frameNo))) return;
      held.shift();
      this.pass(h, next);
    }
  }

  /** Whether nothing before `h` can still arrive: its previous frame number is the last one passed. */
  private isNext(h: PartialFrame): boolean {
    if (this.last === undefined) {
      // The start: nothing to link to. A P-frame cannot be delivered before a keyframe anyway, so it
      // waits for one, which may still be an earlier frame arriving late.
      if (this.reassembly.assemblingBefore(h.frameNo)) return false;
      return !this.gate.enabled || h.lost || h.keyframe || this.holdsKeyframe();
    }
    if (h.prevFrameNo === this.last) return true;
    // A previous frame number of 0 links nothing (FACTS §10.2): next once nothing earlier is assembling.
    return h.prevFrameNo === 0 && !this.reassembly.assemblingBefore(h.frameNo);
  }

  private holdsKeyframe(): boolean {
    for (const x of this.held) if (!x.lost && x.keyframe) return true;
    return false;
  }

  /** Passes a frame in order: delivered, withheld by the keyframe gate, or (lost) just stepped over. */
  private pass(h: PartialFrame, next: boolean): void {
    const last = this.last;
    const gap = !next && last !== undefined;
    // Frames between the last one passed and this one that are not even assembling: nothing of them came.
    if (gap && after(h.frameNo, last)) this.stats.loss.framesMissing += Math.min(LATE_WINDOW, ((h.frameNo - last) >>> 0) - 1) - this.reassembly.assemblingBetween(last, h.frameNo);
    this.last = h.frameNo;
    // Whatever is still assembling up to here can no longer be delivered in order.
    this.reassembly.dropUpTo(h.frameNo);
    if (h.lost) {
      // Counted when it was dropped.
      this.gate.referenceLost();
      return;
    }
    this.budget.used -= h.bytes;
    const verdict = this.gate.admit(h.keyframe, gap);
    if (verdict === 'await-start' || verdict === 'await-loss') {
      this.stats.framesDropped['awaiting-keyframe']++;
      if (verdict === 'await-loss') this.stats.loss.framesWithheld++;
      this.stats.packetsDropped['in-dropped-frame'] += h.packets;
      this.reassembly.giveBack(h);
      return;
    }
    const frame = this.reassembly.deliver(h);
    if (verdict === 'resume') {
      frame.afterLoss = true;
      this.stats.loss.resumes++;
    }
    this.ready.push(frame);
  }
}

/** FACTS §10.3: audio frames are single packets, so only their order is restored. */
export class AudioReorderBuffer {
  /** Frames after `last`, in frame order, waiting for an earlier one. */
  private readonly held: Frame[] = [];
  /** When each held frame arrived (ms), index for index with `held`. */
  private readonly heldAtMs: number[] = [];
  /** Header frame number of the last frame passed. */
  private last: number | undefined;

  constructor(
    private readonly maxHeld: number,
    private readonly budget: ByteBudget,
    private readonly stats: FrameAssemblerStats,
    private readonly ready: Frame[],
  ) {}

  get length(): number {
    return this.held.length;
  }

  /** An audio packet with a valid FRAMEINFO. True if it was held (its bytes now count against the budget). */
  push(p: MediaPacket, info: FrameInfo, nowMs = 0): boolean {
    const n = p.frameNo;
    if (this.last !== undefined && !after(n, this.last)) {
      if (n === this.last) {
        this.stats.packetsDropped.duplicate++;
        return false;
      }
      if (withinLateWindow(this.last, n)) {
        // Behind the reorder window: its place in the sequence has been given up.
        this.stats.packetsDropped.late++;
        return false;
      }
      // Far behind: the camera has started counting again.
      this.release(true);
      this.last = undefined;
    }
    const held = this.held;
    let i = held.length;
    while (i > 0 && after(held[i - 1].packetFrameNo, n)) i--;
    if (i > 0 && held[i - 1].packetFrameNo === n) {
      this.stats.packetsDropped.duplicate++;
      return false;
    }
    if (p.payload.length === 0) {
      this.stats.framesDropped.empty++;
      this.stats.packetsDropped['in-dropped-frame']++;
      // A known gap: the next frame need not wait for it.
      if (this.last !== undefined && n === ((this.last + 1) >>> 0)) {
        this.last = n;
        this.release(false);
      }
      return false;
    }
    const frame = audioFrame(p, info);
    if (i === held.length) {
      held.push(frame);
      this.heldAtMs.push(nowMs);
    } else {
      held.splice(i, 0, frame);
      this.heldAtMs.splice(i, 0, nowMs);
    }
    this.budget.used += frame.data.length;
    this.release(false);
    return true;
  }

  /** Passes held frames that are next in sequence; with `force`, or beyond the hold cap, across gaps too. */
  release(force: boolean): void {
    this.releaseUntil(force ? Infinity : -Infinity);
  }

  /** The bounded wait: a gap that frames held since `limitMs` or earlier wait behind is given up. */
  expire(limitMs: number): void {
    this.releaseUntil(limitMs);
  }

  /** Passes frames next in sequence, and across a gap the first held frame if it arrived at `limitMs` or earlier. */
  private releaseUntil(limitMs: number): void {
    const held = this.held;
    while (held.length) {
      const h = held[0];
      const next = this.last === undefined || h.packetFrameNo === ((this.last + 1) >>> 0);
      if (!next && this.heldAtMs[0] > limitMs && held.length <= this.maxHeld) return;
      held.shift();
      this.heldAtMs.shift();
      this.last = h.packetFrameNo;
      this.budget.used -= h.data.length;
      this.stats.framesEmitted++;
      this.stats.packetsDelivered++;
      this.ready.push(h);
    }
  }
}
