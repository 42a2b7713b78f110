/**
 * The client's single command queue (FACTS §8.1): login responses, IOCTRL frames, channel messages and
 * 0x000c records all go here. Whoever is waiting takes records from it; a record that does not match that
 * waiter is discarded, not kept for later, and records that arrive while nobody waits stay queued (the
 * oldest dropped past `depth`) for the next wait to examine. So a reply that arrives after its wait ended is
 * lost, exactly as in go2rtc, which is why requests are never overlapped.
 */
export class CommandQueue {
  private readonly queued: Uint8Array[] = [];
  private waiter: ((record: Uint8Array) => boolean) | undefined;
  /** Records discarded because they matched nobody, or were pushed out of a full queue. */
  discarded = 0;
  overflowed = 0;

  constructor(private readonly depth = 16) {}

  get waiting(): boolean {
    return this.waiter !== undefined;
  }

  push(record: Uint8Array): void {
    if (this.waiter) {
      if (!this.waiter(record)) this.discarded++;
      return;
    }
    if (this.queued.length >= this.depth) {
      this.queued.shift();
      this.overflowed++;
    }
    this.queued.push(record);
  }

  /**
   * Resolves with the first record for which `match` returns a value, or undefined when `expired`
   * resolves first. Only one wait at a time.
   */
  wait<T>(match: (record: Uint8Array) => T | undefined, expired: Promise<unknown>): Promise<T | undefined> {
    if (this.waiter) throw new Error('one command wait at a time (FACTS §8.1)');
    while (this.queued.length) {
      const r = this.queued.shift()!;
      const v = match(r);
      if (v !== undefined) return Promise.resolve(v);
      this.discarded++;
    }
    return new Promise<T | undefined>((resolve) => {
      let done = false;
      const finish = (v: T | undefined) => {
        if (done) return;
        done = true;
        if (this.waiter === take) this.waiter = undefined;
        resolve(v);
      };
      const take = (record: Uint8Array): boolean => {
        const v = match(record);
        if (v === undefined) return false;
        finish(v);
        return true;
      };
      this.waiter = take;
      void expired.then(() => finish(undefined));
    });
  }
}
