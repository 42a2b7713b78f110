// The all-cameras timeline's data: one request for every camera's coverage (GET /coverage) and one for
// their events (GET /events without a camera), instead of a few per row — 40 rows would otherwise be 120
// requests over the browser's six connections. Motion activity is per camera (its own route) and not
// drawn on these thin rows. The events come in a few time slices loaded in parallel (window-slices.ts):
// a day of 40 cameras is more than one page of them.
import type { ApiClient } from '../api/api-client';
import { listAll } from '../api/paging';
import type { MotionEvent, Page } from '../api/types';
import type { TimelineData } from './timeline-data';
import { loadInSlices } from './window-slices';

/**
 * How many slices the events of the window are loaded in: with the camera list and the coverage, the six
 * connections a browser opens to one server, each slice one page (≤ 500) for a day of 40 cameras.
 */
const EVENT_SLICES = 4;

const rangeQuery = (fromMs: number, toMs: number) => `from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}`;

interface CoverageAnswer {
  cameraId: number;
  recorded: { from: string; to: string }[];
  gaps: { from: string; to: string | null; reason: string }[];
}

/** The data for [fromMs, toMs) of each camera with footage, gaps or events there, by camera id. */
export async function loadCamerasTimelineData(api: ApiClient, fromMs: number, toMs: number, signal?: AbortSignal): Promise<Map<number, TimelineData>> {
  const [coverage, events] = await Promise.all([
    api.get<{ cameras: CoverageAnswer[] }>(`/coverage?${rangeQuery(fromMs, toMs)}`, signal),
    loadInSlices(fromMs, toMs, EVENT_SLICES, (f, t) =>
      listAll<MotionEvent>((cursor) => api.get<Page<MotionEvent>>(`/events?${rangeQuery(f, t)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, signal)),
    ),
  ]);
  const out = new Map<number, TimelineData>();
  const row = (id: number): TimelineData => {
    let d = out.get(id);
    if (!d) out.set(id, (d = { fromMs, toMs, recorded: [], gaps: [], events: [] }));
    return d;
  };
  for (const c of coverage.cameras) {
    const d = row(c.cameraId);
    d.recorded = c.recorded.map((s) => ({ fromMs: Date.parse(s.from), toMs: Date.parse(s.to) }));
    d.gaps = c.gaps.map((g) => ({ fromMs: Date.parse(g.from), toMs: g.to === null ? null : Date.parse(g.to), reason: g.reason }));
  }
  for (const e of events) row(e.camera).events.push({ id: e.id, startMs: Date.parse(e.start), endMs: e.end === null ? null : Date.parse(e.end) });
  return out;
}
