/**
 * Motion activity as stored: one row per camera and UTC minute, whose `entries` bytea packs one entry per
 * GOP that started in that minute, in time order:
 *   offset_ms  u16 big-endian   GOP start − minute start, ms (0..59 999)
 *   level      u8               motion level of the GOP, 0..100
 * Three bytes a GOP, so a minute at one keyframe a second is 180 bytes.
 */
export const MINUTE_US = 60_000_000;
export const ACTIVITY_ENTRY_BYTES = 3;
/** The level at which the detector's event threshold is crossed; 100 is twice the threshold or more. */
export const ACTIVITY_THRESHOLD_LEVEL = 50;
export const ACTIVITY_MAX_LEVEL = 100;

/** One scored GOP: its start (wall-clock µs, as segments are indexed) and its level. */
export interface GopActivity {
  startUs: number;
  level: number;
}

export class ActivityFormatError extends Error {
  override readonly name = 'ActivityFormatError';
}

/** The UTC minute (µs) that holds `timeUs`. */
export function minuteOf(timeUs: number): number {
  return Math.floor(timeUs / MINUTE_US) * MINUTE_US;
}

/**
 * A motion score in multiples of the detector's threshold (1 = where an event starts) as a level:
 * 50 at the threshold, linear, clamped to 0..100.
 */
export function activityLevel(ratio: number): number {
  if (!Number.isFinite(ratio)) return ratio > 0 ? ACTIVITY_MAX_LEVEL : 0;
  return Math.max(0, Math.min(ACTIVITY_MAX_LEVEL, Math.round(ratio * ACTIVITY_THRESHOLD_LEVEL)));
}

/** Packs the GOPs of minute `minuteUs` (all must start inside it); the ms offset is truncated, never rounded into the next minute. */
export function packActivity(minuteUs: number, gops: readonly GopActivity[]): Uint8Array {
  const out = new Uint8Array(gops.length * ACTIVITY_ENTRY_BYTES);
  const view = new DataView(out.buffer);
  gops.forEach((g, i) => {
    const offsetMs = Math.floor((g.startUs - minuteUs) / 1000);
    if (offsetMs < 0 || offsetMs >= MINUTE_US / 1000) throw new RangeError(`GOP at ${g.startUs} µs is outside the minute ${minuteUs}`);
    if (!Number.isInteger(g.level) || g.level < 0 || g.level > ACTIVITY_MAX_LEVEL) throw new RangeError(`activity level must be an integer 0..100, got ${g.level}`);
    view.setUint16(i * ACTIVITY_ENTRY_BYTES, offsetMs); // offset_ms
    out[i * ACTIVITY_ENTRY_BYTES + 2] = g.level; // level
  });
  return out;
}

/**
 * Calls `each` for every entry of a stored minute, in stored order, with the GOP start in µs. A length
 * that is not a whole number of entries, or a field out of range, is an ActivityFormatError.
 */
export function forEachActivity(minuteUs: number, entries: Uint8Array, each: (startUs: number, level: number) => void): void {
  if (entries.length % ACTIVITY_ENTRY_BYTES !== 0) throw new ActivityFormatError(`activity of minute ${minuteUs}: ${entries.length} bytes is not a whole number of ${ACTIVITY_ENTRY_BYTES}-byte entries`);
  const view = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
  for (let at = 0; at < entries.length; at += ACTIVITY_ENTRY_BYTES) {
    const offsetMs = view.getUint16(at); // offset_ms
    const level = entries[at + 2]; // level
    if (offsetMs >= MINUTE_US / 1000 || level > ACTIVITY_MAX_LEVEL) throw new ActivityFormatError(`activity of minute ${minuteUs}: entry ${at / ACTIVITY_ENTRY_BYTES} out of range`);
    each(minuteUs + offsetMs * 1000, level);
  }
}

/** The entries of a stored minute as GOPs (tests, tools; the API walks them with forEachActivity). */
export function unpackActivity(minuteUs: number, entries: Uint8Array): GopActivity[] {
  const out: GopActivity[] = [];
  forEachActivity(minuteUs, entries, (startUs, level) => out.push({ startUs, level }));
  return out;
}
