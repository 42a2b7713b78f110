/**
 * The recorder's port to host time and timers (ARCHITECTURE "Boundaries": the clock is a side effect), so
 * that backoff, stall detection and index retries are tested with a fake clock instead of real waits.
 * Camera time (FRAMEINFO) is a separate question: see camera-clock.ts.
 */

/** A pending timeout or interval; `cancel` may be called more than once. */
export interface TimerHandle {
  cancel(): void;
}

export interface RecorderClock {
  /** Wall clock, µs since the Unix epoch (the unit of every row the recorder writes). */
  nowUs(): number;
  /** Monotonic ms for measuring intervals: a wall clock step must not look like a stall. */
  monotonicMs(): number;
  /** `unref`: the timer alone does not keep the process alive. */
  setTimeout(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
  setInterval(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
}

function handle(t: NodeJS.Timeout, clear: (t: NodeJS.Timeout) => void, unref: boolean | undefined): TimerHandle {
  if (unref) t.unref();
  return { cancel: () => clear(t) };
}

/** The host's clock and Node's timers: what production runs on. */
export const systemClock: RecorderClock = {
  nowUs: () => Date.now() * 1000,
  monotonicMs: () => performance.now(),
  setTimeout: (fn, ms, opts) => handle(setTimeout(fn, ms), clearTimeout, opts?.unref),
  setInterval: (fn, ms, opts) => handle(setInterval(fn, ms), clearInterval, opts?.unref),
};

/** Resolves after `ms` on `clock`; `wake` ends the wait early (a stop during a backoff or a retry). */
export function sleep(clock: RecorderClock, ms: number): { done: Promise<void>; wake(): void } {
  let wake!: () => void;
  const done = new Promise<void>((resolve) => {
    const t = clock.setTimeout(resolve, ms);
    wake = () => {
      t.cancel();
      resolve();
    };
  });
  return { done, wake };
}
