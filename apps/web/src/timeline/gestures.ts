// Pointer gestures on the timeline, as a small state machine independent of the DOM: a tap plays from
// that time, a drag pans (or selects a range in select mode / with Shift), two fingers pinch-zoom.
import { panByPixels, timeAtX, type TimelineView, zoomAt } from './view';

export type GestureResult =
  | { kind: 'none' }
  | { kind: 'view'; view: TimelineView }
  | { kind: 'select'; fromMs: number; toMs: number; done: boolean }
  | { kind: 'tap'; atMs: number };

/** Moves below this many pixels are a tap, not a drag. */
const TAP_PX = 5;

interface Down {
  x: number;
  startX: number;
}

export class TimelineGestures {
  private readonly down = new Map<number, Down>();
  private startView: TimelineView | undefined;
  private pinchFrom: { distance: number; centre: number } | undefined;
  private selecting = false;
  private moved = false;

  /** `select`: this drag selects a range (select mode, or Shift held). */
  start(id: number, x: number, view: TimelineView, select: boolean): void {
    this.down.set(id, { x, startX: x });
    this.startView = view;
    this.moved = false;
    if (this.down.size === 2) {
      const [a, b] = [...this.down.values()];
      this.pinchFrom = { distance: Math.max(10, Math.abs(a.x - b.x)), centre: (a.x + b.x) / 2 };
      this.selecting = false;
      this.moved = true;
    } else this.selecting = select;
  }

  move(id: number, x: number, widthPx: number): GestureResult {
    const d = this.down.get(id);
    if (!d || !this.startView) return { kind: 'none' };
    d.x = x;
    if (this.pinchFrom && this.down.size >= 2) {
      const [a, b] = [...this.down.values()];
      const distance = Math.max(10, Math.abs(a.x - b.x));
      return { kind: 'view', view: zoomAt(this.startView, this.pinchFrom.distance / distance, this.pinchFrom.centre, widthPx) };
    }
    if (Math.abs(x - d.startX) >= TAP_PX) this.moved = true;
    if (!this.moved) return { kind: 'none' };
    if (this.selecting) return { kind: 'select', fromMs: timeAtX(this.startView, d.startX, widthPx), toMs: timeAtX(this.startView, x, widthPx), done: false };
    return { kind: 'view', view: panByPixels(this.startView, x - d.startX, widthPx) };
  }

  end(id: number, x: number, widthPx: number): GestureResult {
    const d = this.down.get(id);
    this.down.delete(id);
    if (!d || !this.startView) return { kind: 'none' };
    if (this.pinchFrom) {
      if (this.down.size === 0) this.pinchFrom = undefined;
      return { kind: 'none' };
    }
    if (!this.moved) return { kind: 'tap', atMs: timeAtX(this.startView, x, widthPx) };
    if (this.selecting) return { kind: 'select', fromMs: timeAtX(this.startView, d.startX, widthPx), toMs: timeAtX(this.startView, x, widthPx), done: true };
    return { kind: 'none' };
  }

  cancel(id: number): void {
    this.down.delete(id);
    if (this.down.size === 0) this.pinchFrom = undefined;
  }

  get active(): boolean {
    return this.down.size > 0;
  }
}
