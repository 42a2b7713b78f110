// Test-only: a RecorderClock whose time moves only when a test says so.
import type { RecorderClock, TimerHandle } from '../clock/recorder-clock';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  everyMs: number | undefined;
}

/** Lets promise chains started by a timer run before the clock moves on (several hops deep). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Timers fire only inside `advance`, in due order, with the clock set to their due time, and the promise
 * chains they start settle before the next one fires: a test steps through minutes of backoff at once.
 */
export class FakeClock implements RecorderClock {
  private ms: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startUs = 1_760_000_000_000_000) {
    this.ms = startUs / 1000;
  }

  nowUs(): number {
    return Math.round(this.ms * 1000);
  }

  monotonicMs(): number {
    return this.ms;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  /** Delays of the timeouts pending now (intervals excluded), soonest first. */
  get pendingTimeouts(): number[] {
    return this.timers.filter((t) => t.everyMs === undefined).map((t) => t.at - this.ms).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const end = this.ms + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.ms = Math.max(this.ms, due.at);
      if (due.everyMs === undefined) this.timers = this.timers.filter((t) => t !== due);
      else due.at += due.everyMs;
      due.fn();
      await settle();
    }
    this.ms = end;
    await settle();
  }

  /** Time passes with no timer run, as for a process stopped (SIGSTOP) and resumed: they are late, not gone. */
  pause(ms: number): void {
    this.ms += ms;
  }

  private add(fn: () => void, ms: number, everyMs: number | undefined): TimerHandle {
    const t: Timer = { id: this.nextId++, at: this.ms + Math.max(0, ms), fn, everyMs };
    this.timers.push(t);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== t)) };
  }
}
