import { formatDuration } from '../format';
import { clampView, MAX_SPAN_MS, MIN_SPAN_MS, type TimelineView, viewAround, zoomStep } from './view';

/** Zoom out / in buttons, the span shown, and "Now" (the window ending just after now). */
export function TimelineZoom({ view, onView }: { view: TimelineView; onView: (v: TimelineView) => void }) {
  return (
    <div class="timeline-zoom" role="group" aria-label="Zoom">
      <button type="button" onClick={() => onView(clampView(zoomStep(view, 1), Date.now()))} disabled={view.spanMs >= MAX_SPAN_MS} aria-label="Zoom out">
        −
      </button>
      <span class="timeline-span" aria-live="polite">
        {formatDuration(view.spanMs / 1000)}
      </span>
      <button type="button" onClick={() => onView(clampView(zoomStep(view, -1), Date.now()))} disabled={view.spanMs <= MIN_SPAN_MS} aria-label="Zoom in">
        +
      </button>
      <button type="button" onClick={() => onView(clampView(viewAround(Date.now(), view.spanMs, 0.9), Date.now()))}>
        Now
      </button>
    </div>
  );
}
