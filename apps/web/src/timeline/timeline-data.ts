// What the timeline draws for one camera over a window, as the API gives it (coverage, events, motion
// activity), converted to epoch ms.
import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { listAll } from '../api/paging';
import type { MotionEvent, Page } from '../api/types';

export interface Span {
  fromMs: number;
  toMs: number;
}

export interface Gap {
  fromMs: number;
  /** Null while the gap lasts. */
  toMs: number | null;
  reason: string;
}

export interface EventMark {
  id: number;
  startMs: number;
  endMs: number | null;
}

/** GET /cameras/:id/activity: the highest motion level (0..100, threshold at `threshold`) per bucket. */
export interface Activity {
  fromMs: number;
  bucketMs: number;
  threshold: number;
  levels: (number | null)[];
}

export interface TimelineData {
  fromMs: number;
  toMs: number;
  recorded: Span[];
  gaps: Gap[];
  events: EventMark[];
  /** Absent when the API has no activity route (or it failed): no strip is drawn. */
  activity?: Activity;
}

interface CoverageAnswer {
  recorded: { from: string; to: string }[];
  gaps: { from: string; to: string | null; reason: string }[];
}

interface ActivityAnswer {
  from: string;
  to: string;
  bucketMs: number;
  threshold: number;
  levels: (number | null)[];
}

/** Most buckets one activity request asks for (the API's limit). */
export const MAX_BUCKETS = 5000;

/** Loads coverage, events and activity of [fromMs, toMs); `buckets` activity buckets across it. */
export async function loadTimelineData(api: ApiClient, cameraId: number, fromMs: number, toMs: number, buckets: number, signal?: AbortSignal): Promise<TimelineData> {
  const range = `from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}`;
  const [coverage, events, activity] = await Promise.all([
    api.get<CoverageAnswer>(`/cameras/${cameraId}/coverage?${range}`, signal),
    listAll<MotionEvent>((cursor) => api.get<Page<MotionEvent>>(`/events?camera=${cameraId}&${range}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, signal)),
    loadActivity(api, cameraId, range, Math.max(1, Math.min(MAX_BUCKETS, Math.round(buckets))), signal),
  ]);
  return {
    fromMs,
    toMs,
    recorded: coverage.recorded.map((s) => ({ fromMs: Date.parse(s.from), toMs: Date.parse(s.to) })),
    gaps: coverage.gaps.map((g) => ({ fromMs: Date.parse(g.from), toMs: g.to === null ? null : Date.parse(g.to), reason: g.reason })),
    events: events.map((e) => ({ id: e.id, startMs: Date.parse(e.start), endMs: e.end === null ? null : Date.parse(e.end) })),
    ...(activity ? { activity } : {}),
  };
}

/** The activity series, or undefined when the API has none (404: an NVR without the route) or it failed. */
async function loadActivity(api: ApiClient, cameraId: number, range: string, buckets: number, signal?: AbortSignal): Promise<Activity | undefined> {
  try {
    const a = await api.get<ActivityAnswer>(`/cameras/${cameraId}/activity?${range}&buckets=${buckets}`, signal);
    return { fromMs: Date.parse(a.from), bucketMs: a.bucketMs, threshold: a.threshold, levels: a.levels };
  } catch (e) {
    if (signal?.aborted) throw e;
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

/** What lies at a time: footage, a gap (with its reason), or nothing known. */
export type TimeKind = { kind: 'recorded' } | { kind: 'gap'; gap: Gap } | { kind: 'none' };

export function whatIsAt(data: TimelineData, ms: number, nowMs: number): TimeKind {
  if (data.recorded.some((s) => s.fromMs <= ms && ms < s.toMs)) return { kind: 'recorded' };
  const gap = data.gaps.find((g) => g.fromMs <= ms && ms < (g.toMs ?? nowMs));
  return gap ? { kind: 'gap', gap } : { kind: 'none' };
}

/** The recorded span at or after `ms` (where playback from `ms` really starts), if any. */
export function nextRecorded(data: TimelineData, ms: number): Span | undefined {
  return data.recorded.find((s) => s.toMs > ms);
}
