// The notice shown when playback jumps over time without footage: how long, and why (the gap reasons the
// recorder wrote for that time, in words).
import { formatDuration } from '../format';
import { gapLook } from '../timeline/gap-reasons';
import type { Gap } from '../timeline/timeline-data';

/** "Skipped 3 min 00 s gap: recorder down" (reasons of the gaps overlapping [fromMs, toMs), most time first). */
export function skipNotice(fromMs: number, toMs: number, gaps: readonly Gap[], nowMs: number): string {
  const byReason = new Map<string, number>();
  for (const g of gaps) {
    const overlap = Math.min(toMs, g.toMs ?? nowMs) - Math.max(fromMs, g.fromMs);
    if (overlap > 0) byReason.set(g.reason, (byReason.get(g.reason) ?? 0) + overlap);
  }
  const reasons = [...byReason.entries()].sort((a, b) => b[1] - a[1]).map(([r]) => gapLook(r).label);
  return `Skipped ${formatDuration((toMs - fromMs) / 1000)} gap: ${reasons.length ? reasons.join(', ') : 'no recording'}`;
}
