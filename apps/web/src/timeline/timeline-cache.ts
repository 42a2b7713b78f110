// Which window the timeline fetches for a view, and a cache of fetched windows: the view plus a margin of
// one view width each side, aligned to multiples of the view's span, so panning within the margin or
// coming back to a window fetches nothing. A window reaching into the last minute is refetched after
// REFRESH_MS (footage keeps being recorded); older windows do not change.
import { type TimelineView } from './view';

export const REFRESH_MS = 30_000;
const MAX_ENTRIES = 64;

export interface FetchWindow {
  fromMs: number;
  toMs: number;
  /** Activity buckets: about one per pixel. */
  buckets: number;
}

/** The window to fetch for `view` drawn `widthPx` wide: three spans, aligned, containing the view. */
export function fetchWindow(view: TimelineView, widthPx: number): FetchWindow {
  const block = view.spanMs;
  const fromMs = Math.floor(view.startMs / block) * block - block;
  return { fromMs, toMs: fromMs + 4 * block, buckets: Math.max(1, Math.round(widthPx * 4)) };
}

interface Entry<T> {
  value: Promise<T>;
  at: number;
  live: boolean;
}

export class WindowCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** The cached answer for `key`, loading it (again, for a live window past REFRESH_MS) when needed. */
  get(key: string, w: FetchWindow, nowMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && !(hit.live && nowMs - hit.at > REFRESH_MS)) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = load();
    const entry = { value, at: nowMs, live: w.toMs > nowMs - 60_000 };
    this.entries.set(key, entry);
    value.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
