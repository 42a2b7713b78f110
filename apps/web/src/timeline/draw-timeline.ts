// Draws one camera's timeline on a 2D canvas: time ticks, coverage (footage and gaps coloured by reason),
// event marks, the motion activity strip, a selection, the now-line and the playhead. Pure drawing from
// the data and the view: the component decides when to call it (once per animation frame at most).
import { activityColumns, columnColour, columnHeight } from './activity-strip';
import { EVENT_COLOUR, gapLook, RECORDED_COLOUR, UNKNOWN_TIME_COLOUR } from './gap-reasons';
import type { TimelineData } from './timeline-data';
import { type TimelineView, tickInterval, ticks, xAtTime } from './view';

export interface TimelineMarks {
  nowMs: number;
  playheadMs?: number;
  selection?: { fromMs: number; toMs: number };
}

/** Rows of the drawing, in CSS pixels from the top. */
export interface TimelineLayout {
  ticksPx: number;
  eventsPx: number;
  barPx: number;
  activityPx: number;
  /** Without time labels (rows of the all-cameras page share one scale). */
  labels: boolean;
}

export const FULL_LAYOUT: TimelineLayout = { ticksPx: 18, eventsPx: 10, barPx: 26, activityPx: 14, labels: true };
export const ROW_LAYOUT: TimelineLayout = { ticksPx: 0, eventsPx: 5, barPx: 14, activityPx: 6, labels: false };

export function layoutHeight(l: TimelineLayout): number {
  return l.ticksPx + l.eventsPx + l.barPx + l.activityPx + 2;
}

function tickLabel(ms: number, intervalMs: number): string {
  const d = new Date(ms);
  if (intervalMs >= 86_400_000 || (d.getHours() === 0 && d.getMinutes() === 0)) return d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * A time span as whole device-independent pixels, at least one wide: edges on pixel boundaries, so a gap or a
 * recording is drawn in its own colour rather than blended with its neighbour, and spans that touch leave no seam.
 */
export function pixelSpan(fromX: number, toX: number, width: number): [x: number, w: number] {
  const x0 = Math.max(0, Math.round(fromX));
  const x1 = Math.min(Math.round(width), Math.round(toX));
  return [x0, Math.max(1, x1 - x0)];
}

/** Draws `data` (may be undefined while loading) in a canvas context sized width × height CSS pixels. */
export function drawTimeline(ctx: CanvasRenderingContext2D, width: number, height: number, view: TimelineView, data: TimelineData | undefined, marks: TimelineMarks, l: TimelineLayout): void {
  ctx.clearRect(0, 0, width, height);
  const x = (ms: number) => xAtTime(view, ms, width);
  const barTop = l.ticksPx + l.eventsPx;
  const stripTop = barTop + l.barPx + 2;
  const endMs = view.startMs + view.spanMs;

  // Ticks and their labels.
  const interval = tickInterval(view, width, l.labels ? 70 : 40);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.08)';
  for (const t of ticks(view, interval)) ctx.fillRect(Math.round(x(t)), l.ticksPx, 1, height - l.ticksPx);
  if (l.labels) {
    ctx.fillStyle = '#9aa3ad';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (const t of ticks(view, interval)) ctx.fillText(tickLabel(t, interval), Math.round(x(t)) + 3, 2);
  }

  // Coverage: unknown time, then gaps by reason, then footage over them.
  ctx.fillStyle = UNKNOWN_TIME_COLOUR;
  ctx.fillRect(0, barTop, Math.max(0, Math.min(width, x(marks.nowMs))), l.barPx);
  if (data) {
    for (const g of data.gaps) {
      const to = g.toMs ?? marks.nowMs;
      if (to <= view.startMs || g.fromMs >= endMs) continue;
      ctx.fillStyle = gapLook(g.reason).colour;
      const [x0, w] = pixelSpan(x(g.fromMs), x(to), width);
      ctx.fillRect(x0, barTop + 4, w, l.barPx - 8);
    }
    ctx.fillStyle = RECORDED_COLOUR;
    for (const s of data.recorded) {
      if (s.toMs <= view.startMs || s.fromMs >= endMs) continue;
      const [x0, w] = pixelSpan(x(s.fromMs), x(s.toMs), width);
      ctx.fillRect(x0, barTop, w, l.barPx);
    }
    ctx.fillStyle = EVENT_COLOUR;
    for (const e of data.events) {
      const to = e.endMs ?? marks.nowMs;
      if (to < view.startMs || e.startMs >= endMs) continue;
      const x0 = x(e.startMs);
      ctx.fillRect(Math.round(x0), l.ticksPx + 1, Math.max(2, x(to) - x0), l.eventsPx - 2);
    }
    if (data.activity && l.activityPx > 0) {
      for (const c of activityColumns(data.activity, view, Math.round(width))) {
        const h = columnHeight(c.level, l.activityPx);
        ctx.fillStyle = columnColour(c.level, data.activity.threshold);
        ctx.fillRect(c.x, stripTop + l.activityPx - h, c.w, h);
      }
    }
  }

  if (marks.selection) {
    const x0 = x(Math.min(marks.selection.fromMs, marks.selection.toMs));
    const x1 = x(Math.max(marks.selection.fromMs, marks.selection.toMs));
    ctx.fillStyle = 'rgba(90, 169, 255, 0.25)';
    ctx.fillRect(x0, l.ticksPx, Math.max(2, x1 - x0), height - l.ticksPx);
    ctx.fillStyle = '#5aa9ff';
    ctx.fillRect(x0, l.ticksPx, 1, height - l.ticksPx);
    ctx.fillRect(x1, l.ticksPx, 1, height - l.ticksPx);
  }
  // The now-line, and the playhead over everything.
  ctx.fillStyle = '#e8eaed';
  if (marks.nowMs >= view.startMs && marks.nowMs < endMs) ctx.fillRect(Math.round(x(marks.nowMs)), l.ticksPx, 1, height - l.ticksPx);
  if (marks.playheadMs !== undefined && marks.playheadMs >= view.startMs && marks.playheadMs < endMs) {
    const px = Math.round(x(marks.playheadMs));
    ctx.fillStyle = '#ff7b72';
    ctx.fillRect(px - 1, l.ticksPx, 2, height - l.ticksPx);
  }
}
