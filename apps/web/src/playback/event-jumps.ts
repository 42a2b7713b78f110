// Previous / next event from a playback time, through the events API (oldest first, overlapping the window).
import type { ApiClient } from '../api/api-client';
import { listAll } from '../api/paging';
import type { MotionEvent, Page } from '../api/types';

const DAY_MS = 86_400_000;
/** Further than this (the API's longest window) is not searched. */
const SEARCH_MS = 31 * DAY_MS;
/** Within this of an event's start, "previous" means the event before it (as on a music player). */
const RESTART_MS = 2000;

const iso = (ms: number) => new Date(ms).toISOString();

export async function nextEvent(api: ApiClient, cameraId: number, afterMs: number): Promise<MotionEvent | undefined> {
  const page = await api.get<Page<MotionEvent>>(`/events?camera=${cameraId}&from=${iso(afterMs)}&to=${iso(afterMs + SEARCH_MS)}&limit=50`);
  return page.items.find((e) => Date.parse(e.start) > afterMs + 500);
}

export async function previousEvent(api: ApiClient, cameraId: number, beforeMs: number): Promise<MotionEvent | undefined> {
  for (const back of [DAY_MS, SEARCH_MS]) {
    const items = await listAll<MotionEvent>((cursor) =>
      api.get<Page<MotionEvent>>(`/events?camera=${cameraId}&from=${iso(beforeMs - back)}&to=${iso(beforeMs)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    );
    const before = items.filter((e) => Date.parse(e.start) < beforeMs - RESTART_MS);
    if (before.length) return before[before.length - 1];
  }
  return undefined;
}
