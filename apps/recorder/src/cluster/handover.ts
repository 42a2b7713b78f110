import type { RecorderClock } from '../clock/recorder-clock';

/**
 * Waits for `boundary` (the camera's footage ended at its next segment boundary), for at most `maxMs` —
 * a camera that sends no keyframe, or whose session is down, is handed over mid-segment rather than held.
 * Says which came first.
 */
export async function untilSegmentBoundary(boundary: Promise<void>, clock: RecorderClock, maxMs: number): Promise<'boundary' | 'timeout'> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = clock.setTimeout(() => resolve('timeout'), maxMs, { unref: true })));
  try {
    return await Promise.race([boundary.then(() => 'boundary' as const), timeout]);
  } finally {
    timer?.cancel();
  }
}
