/** Smallest and largest pooled buffer: 1 KiB and 4 MiB (a 2K I-frame is ~0.4 MiB); others are plain allocations. */
const MIN_SHIFT = 10;
const MAX_SHIFT = 22;

export interface FrameBufferPoolOptions {
  /** Bytes kept in free lists across all sizes; a release beyond it is left to the GC (default 64 MiB). */
  maxFreeBytes?: number;
}

export interface FrameBufferPoolStats {
  /** acquire() calls, and how many of them reused a released buffer. */
  acquired: number;
  reused: number;
  /** Buffers whose last reference was released, and how many of those went back to a free list. */
  freed: number;
  pooled: number;
  /** release() of a buffer the pool does not track (not from it, bigger than it pools, or released already). */
  stray: number;
  /** Bytes in free lists now. */
  freeBytes: number;
}

/**
 * Reusable frame buffers, reference-counted. A frame's bytes live in an ArrayBuffer of their own
 * (a power-of-two size) from `acquire()`; each holder that keeps it past a call says so with
 * `retain()` and lets go with `release()`; the last release puts the ArrayBuffer back for the next
 * frame. Why: a 2K camera assembles ~250 KB/s of frames, and at 100 cameras allocating them afresh is
 * what drove V8's full collections (bench:recorder: ~2 mark-compacts a second; 0 with reuse).
 *
 * A buffer nobody releases is simply collected (the counts are weak), so a consumer that does not know
 * about the pool loses nothing but the reuse. The rule that must hold: whoever calls release() no
 * longer reads or writes the bytes, nor keeps a view of them.
 */
export class FrameBufferPool {
  private readonly free: ArrayBuffer[][] = Array.from({ length: MAX_SHIFT + 1 }, () => []);
  private readonly refs = new WeakMap<ArrayBufferLike, number>();
  private readonly maxFreeBytes: number;
  readonly stats: FrameBufferPoolStats = { acquired: 0, reused: 0, freed: 0, pooled: 0, stray: 0, freeBytes: 0 };

  constructor(options: FrameBufferPoolOptions = {}) {
    this.maxFreeBytes = options.maxFreeBytes ?? 64 * 1024 * 1024;
  }

  /** A buffer of at least `size` bytes (its whole ArrayBuffer, often larger), held once by the caller. */
  acquire(size: number): Uint8Array {
    this.stats.acquired++;
    const shift = Math.max(MIN_SHIFT, 32 - Math.clz32(Math.max(1, size) - 1));
    if (shift > MAX_SHIFT) return new Uint8Array(size);
    const list = this.free[shift];
    let ab = list.pop();
    if (ab) {
      this.stats.reused++;
      this.stats.freeBytes -= ab.byteLength;
    } else {
      ab = new ArrayBuffer(1 << shift);
    }
    this.refs.set(ab, 1);
    return new Uint8Array(ab);
  }

  /** One more holder of the buffer `view` lies in; false when the pool does not track it. */
  retain(view: Uint8Array): boolean {
    const n = this.refs.get(view.buffer);
    if (n === undefined) return false;
    this.refs.set(view.buffer, n + 1);
    return true;
  }

  /** A holder lets go of the buffer `view` lies in; the last one returns it to the pool. */
  release(view: Uint8Array): void {
    const ab = view.buffer;
    const n = this.refs.get(ab);
    if (n === undefined) {
      this.stats.stray++;
      return;
    }
    if (n > 1) {
      this.refs.set(ab, n - 1);
      return;
    }
    this.refs.delete(ab);
    this.stats.freed++;
    if (this.stats.freeBytes + ab.byteLength > this.maxFreeBytes) return;
    this.free[31 - Math.clz32(ab.byteLength)].push(ab as ArrayBuffer);
    this.stats.freeBytes += ab.byteLength;
    this.stats.pooled++;
  }

  /** Holders of the buffer `view` lies in (0: not tracked, or back in the pool). */
  holders(view: Uint8Array): number {
    return this.refs.get(view.buffer) ?? 0;
  }
}
