import { forEachActivity } from '@wyze-nvr/db';

/** A stored minute of activity (motion_activity row). */
export interface ActivityMinute {
  minuteUs: number;
  entries: Uint8Array;
}

/** What the repository reads for a window: levels of buckets made of whole minutes, and the minutes to unpack. */
export interface ActivityScan {
  buckets: { bucket: number; level: number }[];
  minutes: ActivityMinute[];
}

/** Buckets of at least a second; fewer than asked when the range is short. */
export const MIN_BUCKET_MS = 1000;

/** max(1000, ceil(range / buckets)) ms, and how many such buckets cover [fromUs, toUs). */
export function bucketsOf(fromUs: number, toUs: number, buckets: number): { bucketMs: number; count: number } {
  const bucketMs = Math.max(MIN_BUCKET_MS, Math.ceil((toUs - fromUs) / 1000 / buckets));
  return { bucketMs, count: Math.ceil((toUs - fromUs) / (bucketMs * 1000)) };
}

/**
 * levels[i] = the highest level of the GOPs starting in [fromUs + i·bucket, fromUs + (i+1)·bucket), or null
 * when no scored GOP starts there. GOPs outside [fromUs, toUs) are ignored.
 */
export function activityLevels(scan: ActivityScan, fromUs: number, toUs: number, bucketMs: number, count: number): (number | null)[] {
  const levels: (number | null)[] = new Array<number | null>(count).fill(null);
  const bucketUs = bucketMs * 1000;
  for (const b of scan.buckets) {
    const seen = levels[b.bucket];
    if (seen === null || b.level > seen) levels[b.bucket] = b.level;
  }
  for (const m of scan.minutes) {
    forEachActivity(m.minuteUs, m.entries, (startUs, level) => {
      if (startUs < fromUs || startUs >= toUs) return;
      const i = Math.floor((startUs - fromUs) / bucketUs);
      const seen = levels[i];
      if (seen === null || level > seen) levels[i] = level;
    });
  }
  return levels;
}
