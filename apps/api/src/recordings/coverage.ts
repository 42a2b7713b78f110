import type { SpanRow } from '../repositories/recording.repository';

/** Segments closer than this are one recorded span (the segmenter cuts at keyframes, so ends meet exactly; this absorbs rounding). */
export const CONTIGUOUS_TOLERANCE_US = 1_000_000;

/** Merges spans (sorted by start) that touch or overlap within the tolerance, clipped to [fromUs, toUs). */
export function mergeSpans(spans: readonly SpanRow[], fromUs: number, toUs: number, toleranceUs = CONTIGUOUS_TOLERANCE_US): SpanRow[] {
  const out: SpanRow[] = [];
  for (const s of spans) {
    const start = Math.max(s.startUs, fromUs);
    const end = Math.min(s.endUs, toUs);
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && start <= last.endUs + toleranceUs) last.endUs = Math.max(last.endUs, end);
    else out.push({ startUs: start, endUs: end });
  }
  return out;
}
