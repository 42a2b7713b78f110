// One camera's timeline: a canvas (drawn with drawTimeline) with pointer, wheel and keyboard handling,
// a tooltip with the time, what is there (footage, or a gap and its reason) and a thumbnail on hover.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { formatTime } from '../format';
import { drawTimeline, FULL_LAYOUT, layoutHeight, ROW_LAYOUT } from './draw-timeline';
import { gapLook } from './gap-reasons';
import { TimelineGestures } from './gestures';
import type { ThumbnailLoader } from './thumbnails';
import { type TimelineData, whatIsAt } from './timeline-data';
import { useTimelineData } from './use-timeline-data';
import { clampView, panByPixels, timeAtX, type TimelineView, xAtTime, zoomAt, zoomStep } from './view';

export interface TimelineProps {
  cameraId: number;
  cameraName: string;
  view: TimelineView;
  onView: (v: TimelineView) => void;
  /** A tap or click (or Enter): play from this time. */
  onSeek: (ms: number) => void;
  playheadMs?: number;
  selection?: { fromMs: number; toMs: number };
  /** A drag selects instead of panning (for touch; Shift+drag selects with a mouse). */
  selectMode?: boolean;
  onSelection?: (s: { fromMs: number; toMs: number } | undefined, done: boolean) => void;
  thumbnails?: ThumbnailLoader;
  /** The loaded data (the page uses the gaps and events for playback). */
  onData?: (d: TimelineData) => void;
  /** A row of the all-cameras page: thin, no time labels. */
  compact?: boolean;
  /** Data loaded by the page for every row at once (the all-cameras page); the timeline then fetches nothing. */
  rowData?: { data: TimelineData | undefined; ready: boolean };
}

interface Hover {
  x: number;
  ms: number;
}

const WHEEL_ZOOM = 0.0015;

export function Timeline(p: TimelineProps) {
  const api = useApi();
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<Hover | undefined>();
  const [thumb, setThumb] = useState<{ ms: number; url: string | null } | undefined>();
  const [nowMs, setNowMs] = useState(Date.now());
  const gestures = useRef(new TimelineGestures());
  const layout = p.compact ? ROW_LAYOUT : FULL_LAYOUT;
  const height = layoutHeight(layout);
  const own = useTimelineData(api, p.cameraId, p.view, width, !p.rowData);
  const { data, ready } = p.rowData ?? own;
  const error = p.rowData ? undefined : own.error;
  const props = useRef(p);
  props.current = p;

  useEffect(() => {
    const t = setInterval(() => setNowMs(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (data) p.onData?.(data);
  }, [data]);
  useLayoutEffect(() => {
    const el = wrap.current!;
    // The exact (fractional) width: clientWidth is rounded, which would shift times by up to half a pixel.
    const ro = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    ro.observe(el);
    setWidth(el.getBoundingClientRect().width - el.clientLeft * 2);
    return () => ro.disconnect();
  }, []);

  // Draw (at most once per frame).
  useEffect(() => {
    const c = canvas.current;
    if (!c || width === 0) return;
    const frame = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
        c.width = Math.round(width * dpr);
        c.height = Math.round(height * dpr);
      }
      const ctx = c.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const t = performance.now();
      drawTimeline(ctx, width, height, p.view, data, { nowMs, playheadMs: p.playheadMs, selection: p.selection }, layout);
      c.dataset.drawMs = (performance.now() - t).toFixed(2);
      c.dataset.ready = String(ready && !!data);
      // Which window this drawing is of (a test or bench waits for a given view to be drawn with its data).
      c.dataset.drawnSpan = String(p.view.spanMs);
      c.dataset.drawnWidth = String(width);
    });
    return () => cancelAnimationFrame(frame);
  }, [width, p.view, data, ready, nowMs, p.playheadMs, p.selection, layout]);

  // Wheel: zoom about the pointer (pan with a sideways wheel or Shift). Not passive, to keep the page still.
  useEffect(() => {
    const c = canvas.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const { view, onView } = props.current;
      const w = c.getBoundingClientRect().width;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) onView(clampView(panByPixels(view, -(e.deltaX || e.deltaY), w), Date.now()));
      else onView(clampView(zoomAt(view, Math.exp(e.deltaY * WHEEL_ZOOM), e.clientX - c.getBoundingClientRect().left, w), Date.now()));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, []);

  /** The pointer's x in the canvas, to the sub-pixel (offsetX is whole pixels). */
  const xIn = (e: MouseEvent) => e.clientX - canvas.current!.getBoundingClientRect().left;
  const onPointerDown = (e: PointerEvent) => {
    canvas.current!.setPointerCapture(e.pointerId);
    gestures.current.start(e.pointerId, xIn(e), p.view, !!p.selectMode || e.shiftKey);
  };
  const apply = (r: ReturnType<TimelineGestures['move']>) => {
    if (r.kind === 'view') p.onView(clampView(r.view, Date.now()));
    else if (r.kind === 'select') p.onSelection?.({ fromMs: Math.min(r.fromMs, r.toMs), toMs: Math.max(r.fromMs, r.toMs) }, r.done);
    else if (r.kind === 'tap') p.onSeek(r.atMs);
  };
  const onPointerMove = (e: PointerEvent) => {
    if (gestures.current.active) apply(gestures.current.move(e.pointerId, xIn(e), width));
    if (e.pointerType === 'mouse' || !gestures.current.active) showHover(xIn(e));
  };
  const onPointerUp = (e: PointerEvent) => apply(gestures.current.end(e.pointerId, xIn(e), width));

  const showHover = (x: number) => {
    const ms = timeAtX(p.view, x, width);
    setHover({ x, ms });
    if (p.thumbnails && data && whatIsAt(data, ms, Date.now()).kind === 'recorded') {
      p.thumbnails.request(p.cameraId, ms, p.view.spanMs / Math.max(1, width), (url) => setThumb({ ms, url }));
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const step = p.view.spanMs / 10;
    let v: TimelineView | undefined;
    if (e.key === 'ArrowLeft') v = { ...p.view, startMs: p.view.startMs - step };
    else if (e.key === 'ArrowRight') v = { ...p.view, startMs: p.view.startMs + step };
    else if (e.key === '+' || e.key === '=') v = zoomStep(p.view, -1);
    else if (e.key === '-' || e.key === '_') v = zoomStep(p.view, 1);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      p.onSeek(p.view.startMs + p.view.spanMs / 2);
      return;
    }
    if (v) {
      e.preventDefault();
      p.onView(clampView(v, Date.now()));
    }
  };

  const at = hover && data ? whatIsAt(data, hover.ms, Date.now()) : undefined;
  const event = hover && data?.events.find((ev) => Math.abs(xAtTime(p.view, ev.startMs, width) - hover.x) <= 4);
  const viewText = `${formatTime(new Date(p.view.startMs).toISOString(), { seconds: false })} to ${formatTime(new Date(p.view.startMs + p.view.spanMs).toISOString(), { seconds: false })}`;
  return (
    <div class={`timeline${p.compact ? ' compact' : ''}`} ref={wrap} data-camera={p.cameraId}>
      <canvas
        ref={canvas}
        class="timeline-canvas"
        style={{ width: '100%', height: `${height}px` }}
        tabIndex={0}
        role="slider"
        aria-label={`Timeline of ${p.cameraName}`}
        aria-valuemin={p.view.startMs}
        aria-valuemax={p.view.startMs + p.view.spanMs}
        aria-valuenow={Math.round(p.playheadMs ?? p.view.startMs + p.view.spanMs / 2)}
        aria-valuetext={`Showing ${viewText}${p.playheadMs !== undefined ? `; playing ${formatTime(new Date(p.playheadMs).toISOString())}` : ''}`}
        aria-describedby="timeline-keys"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={(e) => gestures.current.cancel(e.pointerId)}
        onPointerLeave={(e) => e.pointerType === 'mouse' && setHover(undefined)}
        onKeyDown={onKeyDown}
      />
      {error && !data && <p class="error">The timeline could not be loaded: {error}</p>}
      {hover && (
        <div class="timeline-tip" role="tooltip" style={{ left: `${Math.min(Math.max(hover.x, 90), Math.max(90, width - 90))}px` }}>
          {!p.compact && at?.kind === 'recorded' && thumb && thumb.url && <img src={thumb.url} width={160} height={90} alt="" />}
          <strong>{formatTime(new Date(hover.ms).toISOString())}</strong>
          <span class="timeline-tip-what">
            {at?.kind === 'recorded' && 'Recorded'}
            {at?.kind === 'gap' && `No footage: ${gapLook(at.gap.reason).label}. ${gapLook(at.gap.reason).explanation}`}
            {at?.kind === 'none' && (hover.ms > Date.now() ? 'The future' : 'Nothing recorded')}
            {!at && 'Loading…'}
          </span>
          {event && <span>Motion event</span>}
        </div>
      )}
    </div>
  );
}
