/**
 * Waits for a condition instead of sleeping a fixed time: resolves as soon as `check()` holds, polling every
 * `everyMs`; rejects with `what` and the time waited once `timeoutMs` has passed, so a test fails by
 * assertion rather than by hanging.
 */
export async function eventually(check: () => boolean, what: string, { timeoutMs = 2000, everyMs = 2 } = {}): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start >= timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
