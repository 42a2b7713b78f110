/**
 * The frames a session holds for its `frames()` consumer: bounded, and when the consumer falls behind,
 * video is skipped up to the next keyframe rather than handed over with holes.
 */
import type { Frame } from '../frames/assembler';

/** The session's own counters, updated in place so its stats keep one shape. */
export interface FrameQueueCounters {
  framesDelivered: number;
  framesDroppedSlowConsumer: number;
}

export class FrameQueue {
  private readonly buffer: Frame[] = [];
  private skipVideoUntilKeyframe = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly capacity: number,
    private readonly counters: FrameQueueCounters,
  ) {}

  push(frame: Frame): void {
    if (frame.kind === 'video' && this.skipVideoUntilKeyframe) {
      if (!frame.keyframe) {
        this.counters.framesDroppedSlowConsumer++;
        return;
      }
      this.skipVideoUntilKeyframe = false;
    }
    if (this.buffer.length >= this.capacity) {
      this.counters.framesDroppedSlowConsumer++;
      // A dropped video frame breaks every P-frame after it, so skip to the next keyframe.
      if (frame.kind === 'video') this.skipVideoUntilKeyframe = true;
      return;
    }
    this.buffer.push(frame);
    this.counters.framesDelivered++;
    this.wakeConsumer();
  }

  /** Lets a waiting consumer look at `end()` again. */
  wakeConsumer(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /**
   * Frames oldest first until `end()` is no longer undefined and the buffer is empty; then returns, or
   * throws what `end()` gave. One consumer at a time.
   */
  async *drain(end: () => Error | null | undefined): AsyncGenerator<Frame, void, undefined> {
    for (;;) {
      const f = this.buffer.shift();
      if (f) {
        yield f;
        continue;
      }
      const e = end();
      if (e !== undefined) {
        if (e) throw e;
        return;
      }
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}
