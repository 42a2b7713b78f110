import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import { fetchWindow, WindowCache } from './timeline-cache';
import { loadTimelineData, type TimelineData } from './timeline-data';
import type { TimelineView } from './view';

/** One cache for the whole app: a camera page opened again, or the all-cameras page, reuses its windows. */
const cache = new WindowCache<TimelineData>();

/**
 * The data for the window around `view` (see fetchWindow). While a new window loads, the previous data
 * stays (the bars do not flicker while panning); `ready` is false until the current window has arrived.
 */
export function useTimelineData(api: ApiClient, cameraId: number, view: TimelineView, widthPx: number, enabled = true): { data: TimelineData | undefined; ready: boolean; error: string | undefined } {
  const w = fetchWindow(view, Math.max(100, widthPx));
  const key = `${cameraId}:${w.fromMs}:${w.toMs}:${w.buckets}`;
  const [state, setState] = useState<{ key?: string; data?: TimelineData; error?: string }>({});
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    cache.get(key, w, Date.now(), () => loadTimelineData(api, cameraId, w.fromMs, w.toMs, w.buckets)).then(
      (data) => live && setState({ key, data }),
      (e: unknown) => live && setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) })),
    );
    return () => {
      live = false;
    };
  }, [key, enabled]);
  return { data: state.data, ready: state.key === key, error: state.error };
}
