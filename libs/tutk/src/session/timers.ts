/**
 * Every timeout and interval a session or device starts, so that close() can clear them all at once and no
 * handle outlives its owner.
 */
export class TimerSet {
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<(v: boolean) => void>();
  private closed = false;

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
