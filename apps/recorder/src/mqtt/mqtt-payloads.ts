import type { EventRecord } from '../index/recorder-store';

/** `<prefix>/<camera>/state`, retained. */
export interface CameraStateMessage {
  /** recording: footage is being written; degraded: connected but writes fail; offline: not connected; disabled: turned off. */
  state: 'recording' | 'degraded' | 'offline' | 'disabled';
  /** Why it is not recording (the last error), else null. */
  reason: string | null;
  /** When it entered this state, ISO 8601 UTC. */
  since: string;
}

export type EventType = 'new' | 'update' | 'end';

/** `<prefix>/events`. */
export interface EventMessage {
  type: EventType;
  event: {
    id: number;
    camera: number;
    cameraName: string;
    start: string;
    end: string | null;
    score: number;
    /** The API's clip of the event (with its pre- and post-roll); needs the API's token like every API URL. */
    clipUrl: string;
    /** The API's recorded keyframe at the event's start. */
    snapshotUrl: string;
  };
}

const iso = (us: number): string => new Date(Math.floor(us / 1000)).toISOString();

/** The supervisor's states in the state topic's words. */
function stateWord(supervisorState: string): CameraStateMessage['state'] {
  if (supervisorState === 'recording') return 'recording';
  if (supervisorState === 'degraded') return 'degraded';
  return 'offline';
}

/**
 * The state message for a camera now; `previous` itself when nothing changed (so the caller publishes only
 * changes), with `since` kept while the state word stays the same.
 */
export function cameraStateOf(
  status: { state: string; reason: string | null } | undefined,
  enabled: boolean,
  previous: CameraStateMessage | undefined,
  nowUs: number,
): CameraStateMessage {
  let state: CameraStateMessage['state'];
  let reason: string | null;
  if (!enabled) {
    state = 'disabled';
    reason = null;
  } else if (!status) {
    state = 'offline';
    reason = 'not running on this recorder';
  } else {
    state = stateWord(status.state);
    reason = state === 'recording' ? null : (status.reason ?? status.state);
  }
  if (previous && previous.state === state && previous.reason === reason) return previous;
  return { state, reason, since: previous?.state === state ? previous.since : iso(nowUs) };
}

export function eventMessage(type: EventType, e: EventRecord, id: number, cameraName: string, apiBaseUrl: string): EventMessage {
  return {
    type,
    event: {
      id,
      camera: e.cameraId,
      cameraName,
      start: iso(e.startUs),
      end: e.endUs === null ? null : iso(e.endUs),
      score: Math.round(e.peakScore * 100) / 100,
      clipUrl: `${apiBaseUrl}/events/${id}/clip.mp4`,
      snapshotUrl: `${apiBaseUrl}/cameras/${e.cameraId}/frame.jpg?at=${encodeURIComponent(iso(e.startUs))}`,
    },
  };
}
