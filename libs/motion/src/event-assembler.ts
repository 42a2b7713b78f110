/**
 * Turns raw motion intervals into events: intervals closer than `mergeGapUs` join one event, and an event
 * is reported only once it has lasted `minEventUs`. Intervals must arrive with non-decreasing end times;
 * a start may lie in the past (a keyframe comparison covers the whole GOP before it).
 */

export interface MotionEventStart {
  type: 'start';
  /** First motion, µs. */
  startUs: number;
  /** When the detector knew: the event reached its minimum length. */
  detectedUs: number;
}

export interface MotionEventEnd {
  type: 'end';
  /** The motion interval [startUs, endUs), µs. */
  startUs: number;
  endUs: number;
  /** The highest score seen in the event (see MotionDetector for its unit). */
  peakScore: number;
  /** Which detector saw it: slice-header complexity, keyframe pixels, or both. */
  sources: MotionSource[];
}

export type MotionSource = 'complexity' | 'keyframes';
export type MotionEvent = MotionEventStart | MotionEventEnd;

export interface EventAssemblerOptions {
  minEventUs: number;
  mergeGapUs: number;
}

interface OpenEvent {
  startUs: number;
  endUs: number;
  peakScore: number;
  sources: Set<MotionSource>;
  started: boolean;
}

export class MotionEventAssembler {
  private open: OpenEvent | null = null;

  constructor(private readonly options: EventAssemblerOptions) {}

  /** Motion during [startUs, endUs) with a score; returns the events this completes or opens. */
  add(startUs: number, endUs: number, score: number, source: MotionSource, out: MotionEvent[] = []): MotionEvent[] {
    const open = this.open;
    if (open && startUs <= open.endUs + this.options.mergeGapUs) {
      open.startUs = Math.min(open.startUs, startUs);
      open.endUs = Math.max(open.endUs, endUs);
      open.peakScore = Math.max(open.peakScore, score);
      open.sources.add(source);
    } else {
      this.close(out);
      this.open = { startUs, endUs, peakScore: score, sources: new Set([source]), started: false };
    }
    const cur = this.open!;
    if (!cur.started && cur.endUs - cur.startUs >= this.options.minEventUs) {
      cur.started = true;
      out.push({ type: 'start', startUs: cur.startUs, detectedUs: endUs });
    }
    return out;
  }

  /** Time has reached `nowUs` with no motion: an event whose merge gap has passed ends. */
  advance(nowUs: number, out: MotionEvent[] = []): MotionEvent[] {
    if (this.open && nowUs > this.open.endUs + this.options.mergeGapUs) this.close(out);
    return out;
  }

  /** Ends whatever is open (stream stopped). */
  flush(out: MotionEvent[] = []): MotionEvent[] {
    this.close(out);
    return out;
  }

  /** Whether an event is in progress (started and not ended). */
  get active(): boolean {
    return this.open?.started ?? false;
  }

  private close(out: MotionEvent[]): void {
    const e = this.open;
    this.open = null;
    if (!e || !e.started) return;
    out.push({ type: 'end', startUs: e.startUs, endUs: e.endUs, peakScore: e.peakScore, sources: [...e.sources].sort() });
  }
}
