// The timeline's visible window and the arithmetic of zooming and panning it. Times are epoch ms (the
// browser's clock and Date); the API's ISO times are converted at the edges.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Narrowest and widest window the timeline shows. */
export const MIN_SPAN_MS = HOUR_MS;
export const MAX_SPAN_MS = 7 * DAY_MS;
/** Zoom steps the buttons and +/- keys go through. */
export const ZOOM_STEPS_MS = [HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS, DAY_MS, 3 * DAY_MS, 7 * DAY_MS];

/** [startMs, startMs + spanMs) drawn across the canvas's width. */
export interface TimelineView {
  startMs: number;
  spanMs: number;
}

export function clampSpan(spanMs: number): number {
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanMs));
}

/** The window may not start after `nowMs` (nothing to see there) — its right edge stops at now + a tenth of it. */
export function clampView(v: TimelineView, nowMs: number): TimelineView {
  const spanMs = clampSpan(v.spanMs);
  const latestStart = nowMs + spanMs / 10 - spanMs;
  return { startMs: Math.min(v.startMs, latestStart), spanMs };
}

/** A window of `spanMs` with `atMs` at fraction `f` (0 left edge, 1 right edge). */
export function viewAround(atMs: number, spanMs: number, f = 0.5): TimelineView {
  const s = clampSpan(spanMs);
  return { startMs: atMs - s * f, spanMs: s };
}

export function timeAtX(v: TimelineView, x: number, widthPx: number): number {
  return v.startMs + (x / widthPx) * v.spanMs;
}

export function xAtTime(v: TimelineView, ms: number, widthPx: number): number {
  return ((ms - v.startMs) / v.spanMs) * widthPx;
}

/** Zooms by `factor` (> 1 out, < 1 in) keeping the time under pixel `x` where it is. */
export function zoomAt(v: TimelineView, factor: number, x: number, widthPx: number): TimelineView {
  const anchor = timeAtX(v, x, widthPx);
  const spanMs = clampSpan(v.spanMs * factor);
  return { startMs: anchor - (x / widthPx) * spanMs, spanMs };
}

/** The next zoom step in (`dir` −1) or out (+1) from the current span, about the window's centre. */
export function zoomStep(v: TimelineView, dir: -1 | 1): TimelineView {
  const steps = dir > 0 ? ZOOM_STEPS_MS : [...ZOOM_STEPS_MS].reverse();
  const next = steps.find((s) => (dir > 0 ? s > v.spanMs + 1 : s < v.spanMs - 1)) ?? (dir > 0 ? MAX_SPAN_MS : MIN_SPAN_MS);
  return viewAround(v.startMs + v.spanMs / 2, next);
}

/** Moves the window by `dx` pixels (drag right: back in time). */
export function panByPixels(v: TimelineView, dx: number, widthPx: number): TimelineView {
  return { startMs: v.startMs - (dx / widthPx) * v.spanMs, spanMs: v.spanMs };
}

/** Tick spacing for labels: the smallest "round" interval that leaves at least `minPx` between ticks. */
const TICKS_MS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS, DAY_MS];
export function tickInterval(v: TimelineView, widthPx: number, minPx = 70): number {
  return TICKS_MS.find((t) => (t / v.spanMs) * widthPx >= minPx) ?? DAY_MS;
}

/** Tick times in the window, on local-clock multiples of `intervalMs` (local midnights for days). */
export function ticks(v: TimelineView, intervalMs: number): number[] {
  const end = v.startMs + v.spanMs;
  const out: number[] = [];
  const d = new Date(v.startMs);
  if (intervalMs >= DAY_MS) {
    d.setHours(0, 0, 0, 0);
    for (; d.getTime() < end; d.setDate(d.getDate() + 1)) if (d.getTime() >= v.startMs) out.push(d.getTime());
    return out;
  }
  d.setSeconds(0, 0);
  const stepMin = Math.round(intervalMs / 60_000);
  // Step a minute at a time to the first boundary, then by the interval (an hour's DST shift is re-aligned).
  for (let t = d.getTime(); t < end; ) {
    const m = new Date(t);
    const minuteOfDay = m.getHours() * 60 + m.getMinutes();
    if (minuteOfDay % stepMin === 0) {
      if (t >= v.startMs) out.push(t);
      t += intervalMs;
    } else t += (stepMin - (minuteOfDay % stepMin)) * 60_000;
  }
  return out;
}
