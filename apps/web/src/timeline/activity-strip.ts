// The motion activity strip: activity buckets mapped to pixel columns (the highest level wins where
// several buckets share a column), and each column's height and colour.
import type { Activity } from './timeline-data';
import { type TimelineView, xAtTime } from './view';

export interface ActivityColumn {
  x: number;
  w: number;
  /** 0..100. */
  level: number;
}

/**
 * Columns of the strip for the visible window: one per pixel column with at least one scored bucket,
 * runs of equal level merged. Buckets with no scored GOP (null) draw nothing.
 */
export function activityColumns(a: Activity, view: TimelineView, widthPx: number): ActivityColumn[] {
  const cols = new Map<number, number>();
  const first = Math.max(0, Math.floor((view.startMs - a.fromMs) / a.bucketMs));
  const last = Math.min(a.levels.length, Math.ceil((view.startMs + view.spanMs - a.fromMs) / a.bucketMs));
  for (let i = first; i < last; i++) {
    const level = a.levels[i];
    if (level === null || level === undefined) continue;
    const x0 = Math.max(0, Math.floor(xAtTime(view, a.fromMs + i * a.bucketMs, widthPx)));
    const x1 = Math.min(widthPx, Math.max(x0 + 1, Math.ceil(xAtTime(view, a.fromMs + (i + 1) * a.bucketMs, widthPx))));
    for (let x = x0; x < x1; x++) cols.set(x, Math.max(cols.get(x) ?? 0, level));
  }
  const out: ActivityColumn[] = [];
  for (const x of [...cols.keys()].sort((p, q) => p - q)) {
    const level = cols.get(x)!;
    const prev = out[out.length - 1];
    if (prev && prev.x + prev.w === x && prev.level === level) prev.w++;
    else out.push({ x, w: 1, level });
  }
  return out;
}

/** A column's height in a strip `stripPx` tall: at least a pixel for any scored GOP, full at 100. */
export function columnHeight(level: number, stripPx: number): number {
  return Math.max(1, Math.round((Math.min(100, Math.max(0, level)) / 100) * stripPx));
}

/** At or above the event threshold: the strong colour; below it, a faint one. */
export function columnColour(level: number, threshold: number): string {
  return level >= threshold ? '#f0883e' : 'rgba(240, 136, 62, 0.45)';
}
