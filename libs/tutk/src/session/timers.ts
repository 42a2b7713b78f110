/**
 * Every timeout and interval a session or device starts, so that close() can clear them all at once and no
 * handle outlives its owner.
 */
export class TimerSet {
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<(v: boolean) => void>();
  private closed = false;

  /** `now`: the monotonic clock sleepUntil() deadlines are on (milliseconds). */
  constructor(readonly now: () => number = () => performance.now()) {}

  timeout(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const h = setTimeout(() => {
      this.handles.delete(h);
      fn();
    }, ms);
    this.handles.add(h);
    return h;
  }

  interval(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const h = setInterval(fn, ms);
    this.handles.add(h);
    return h;
  }

  clear(h: NodeJS.Timeout | undefined): void {
    if (!h) return;
    clearTimeout(h);
    this.handles.delete(h);
  }

  /** Resolves after `ms`, or at once (with false) when the set is closed meanwhile. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        this.sleepers.delete(done);
        resolve(v);
      };
      if (this.timeout(ms, () => done(true))) this.sleepers.add(done);
      else resolve(false);
    });
  }

  /**
   * Resolves with true once `now()` reaches `deadline`, or at once with false when the set is closed
   * meanwhile. For a fixed wait measured from when it began (FACTS §4.3's 100 ms from the stage-2 disco),
   * so that work done in the meantime (preparing DTLS) is not added to it. A timer that fires early (Node
   * counts whole milliseconds) is re-armed for the rest. Node's timers here are late by 0.3–0.5 ms
   * (median): not worth spinning on setImmediate, which cost ~2 ms of CPU per wait and, on this busy
   * machine, got the client scheduled later when the camera answered.
   */
  sleepUntil(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        this.sleepers.delete(done);
        resolve(v);
      };
      const check = () => {
        const left = deadline - this.now();
        if (left <= 0) done(true);
        else if (!this.timeout(Math.ceil(left), check)) done(false);
      };
      if (this.closed) return resolve(false);
      this.sleepers.add(done);
      check();
    });
  }

  /** `p`, or undefined after `ms` (at once when the set is closed); leaves no timer behind. */
  async within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      t = this.timeout(ms, () => resolve(undefined));
      if (!t) resolve(undefined);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      this.clear(t);
    }
  }

  get size(): number {
    return this.handles.size;
  }

  /** Clears everything and refuses new timers. Pending sleep() calls resolve with false. */
  close(): void {
    this.closed = true;
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
    for (const s of [...this.sleepers]) s(false);
    this.sleepers.clear();
  }
}
