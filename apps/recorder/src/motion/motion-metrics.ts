import type { CameraMotionStats } from './camera-motion';

export interface CameraMotionSnapshot {
  cameraId: number;
  name: string;
  active: boolean;
  stats: CameraMotionStats;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The motion families of the recorder's Prometheus endpoint (text format 0.0.4), appended to the camera families. */
export function renderMotionPrometheus(cameras: readonly CameraMotionSnapshot[]): string {
  if (!cameras.length) return '';
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, value: (c: CameraMotionSnapshot) => number) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const c of cameras) out.push(`${name}{camera="${c.cameraId}",name="${esc(c.name)}"} ${value(c)}`);
  };
  family('wyze_nvr_camera_motion_active', 'gauge', '1 while a motion event is in progress.', (c) => (c.active ? 1 : 0));
  family('wyze_nvr_camera_motion_events_total', 'counter', 'Motion events started.', (c) => c.stats.eventsStarted);
  family('wyze_nvr_camera_motion_frames_total', 'counter', 'Video frames scored by the motion detector.', (c) => c.stats.frames);
  family('wyze_nvr_camera_motion_errors_total', 'counter', 'Motion detector errors (recording is not affected).', (c) => c.stats.errors);
  family('wyze_nvr_camera_motion_picture_errors_total', 'counter', 'Keyframe thumbnail decodes that failed.', (c) => c.stats.pictureErrors);
  family('wyze_nvr_camera_motion_pictures_skipped_total', 'counter', 'Keyframes decided without a thumbnail (decoder down or behind).', (c) => c.stats.picturesSkipped);
  family('wyze_nvr_camera_motion_detector_seconds_total', 'counter', 'Time spent in the motion detector on the recorder thread (ffmpeg excluded).', (c) => c.stats.detectorUs / 1e6);
  return out.join('\n') + '\n';
}
