/**
 * Anti-replay sliding window (RFC 6347 §4.1.2.6, RFC 4303 §3.4.3): remembers the highest authenticated
 * sequence number and which of the `size` numbers below it were seen.
 */
export class ReplayWindow {
  private top = -1;
  private readonly seen: Uint8Array;

  constructor(readonly size = 64) {
    this.seen = new Uint8Array(size);
  }

  /** True when `seq` is new and inside the window. Does not record it: call `mark` after the record authenticates. */
  accepts(seq: number): boolean {
    if (seq > this.top) return true;
    if (this.top - seq >= this.size) return false;
    return this.seen[seq % this.size] === 0;
  }

  mark(seq: number): void {
    if (seq > this.top) {
      const advance = Math.min(seq - this.top, this.size);
      for (let i = 1; i <= advance; i++) this.seen[(this.top + i) % this.size] = 0;
      this.top = seq;
    }
    this.seen[seq % this.size] = 1;
  }

  reset(): void {
    this.top = -1;
    this.seen.fill(0);
  }
}
