// Waiting in e2e tests: on a condition, never on a guess at how long something takes.

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Lets a span the scenario itself is made of (an outage, a downtime) last `durationMs` from `sinceMs`.
 * Not a wait for anything to happen: follow it with `eventually` on the outcome.
 */
export async function holdFor(durationMs: number, sinceMs = Date.now()): Promise<void> {
  const left = sinceMs + durationMs - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}
