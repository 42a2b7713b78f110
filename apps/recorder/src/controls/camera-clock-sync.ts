/**
 * Clock sync on connect: the camera's clock (K10090) against the host's; when they are further apart than
 * RECORDER_CAMERA_CLOCK_SYNC_SECONDS, the camera is set to host time (K10092). A camera with a right clock
 * stamps FRAMEINFO with trustworthy time (apps/recorder/src/clock/camera-clock.ts), and its own SD-card
 * recordings and overlay agree with ours.
 */
import { CONTROL_SPECS, type CameraSession } from '@wyze-nvr/tutk';

/** What clock sync needs of a session. */
export type CommandSession = Pick<CameraSession, 'command'>;

export type ClockSyncResult =
  /** The camera did not answer K10090 (or K10092). */
  | { outcome: 'no-answer'; step: 'read' | 'set' }
  /** Within the threshold: left alone. */
  | { outcome: 'in-sync'; offsetSeconds: number }
  /** Set to host time; `offsetSeconds` is how far off it was (camera − host, positive when ahead). */
  | { outcome: 'corrected'; offsetSeconds: number }
  /** The camera answered K10092 with something other than done. */
  | { outcome: 'refused'; offsetSeconds: number };

/**
 * Reads the camera's clock and sets it when it is more than `thresholdSeconds` off. K10091 carries whole
 * seconds, so the offset is known to about a second (plus the round trip): the threshold should be larger.
 */
export async function syncCameraClock(session: CommandSession, thresholdSeconds: number, nowMs: () => number): Promise<ClockSyncResult> {
  const spec = CONTROL_SPECS['camera-time'];
  const asked = nowMs();
  const iso = (await session.command(spec.read!())) as string | undefined;
  if (iso === undefined) return { outcome: 'no-answer', step: 'read' };
  // Against the middle of the round trip: the camera read its clock somewhere in it.
  const host = (asked + nowMs()) / 2;
  // The camera's seconds are truncated: on average it is half a second past the second it reports.
  const offsetSeconds = Math.round((Date.parse(iso) + 500 - host) / 100) / 10;
  if (Math.abs(offsetSeconds) <= thresholdSeconds) return { outcome: 'in-sync', offsetSeconds };
  const done = await session.command(spec.write!('now', nowMs()));
  if (done === undefined) return { outcome: 'no-answer', step: 'set' };
  return { outcome: done ? 'corrected' : 'refused', offsetSeconds };
}
