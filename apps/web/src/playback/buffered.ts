// Decisions on a <video>'s buffered ranges, pure so they can be tested without a browser: where a gap in
// the media (a gap in the recording, kept by the copier's timestamps) must be jumped over, and how much is
// buffered ahead of the playhead.

export interface Range {
  start: number;
  end: number;
}

export function rangesOf(b: TimeRanges): Range[] {
  const out: Range[] = [];
  for (let i = 0; i < b.length; i++) out.push({ start: b.start(i), end: b.end(i) });
  return out;
}

/** Within this of a range's end, playback is at the end of it (a frame at 20 fps is 0.05 s). */
const END_SLACK_S = 0.25;

/**
 * Where to jump from `t` to get past a hole: the start of the next range when `t` is at the end of a
 * range (or in no range) and a later range exists. Undefined while there is nothing to jump to (the end of
 * what has arrived so far is not a hole).
 */
export function jumpOverHole(ranges: Range[], t: number): { from: number; to: number } | undefined {
  const next = ranges.find((r) => r.start > t + 0.001);
  if (!next) return undefined;
  const current = ranges.find((r) => r.start - 0.001 <= t && t <= r.end + 0.001);
  if (current && current.end - t > END_SLACK_S) return undefined;
  return { from: current ? current.end : t, to: next.start };
}

/** Seconds buffered from `t` to the end of the range holding it (0 when `t` is in none). */
export function aheadOf(ranges: Range[], t: number): number {
  const r = ranges.find((x) => x.start - 0.001 <= t && t <= x.end);
  return r ? r.end - t : 0;
}

/** Is `t` in a buffered range (with time after it to play)? */
export function isBuffered(ranges: Range[], t: number): boolean {
  return ranges.some((r) => r.start <= t && t < r.end - 0.1);
}
