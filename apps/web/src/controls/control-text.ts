// Words for camera controls (GET /cameras/:id/controls), kept apart from the DOM so they have unit specs.
import type { CameraControl } from '../api/types';

const LABELS: Record<string, string> = {
  'status-light': 'Status light',
  'night-vision': 'Night vision',
  'ir-led': 'IR lights',
  siren: 'Siren',
  spotlight: 'Spotlight',
  floodlight: 'Floodlight',
  'camera-time': 'Camera clock',
  'time-zone': 'Time zone',
  video: 'Video',
  ptz: 'Pan and tilt',
  'pan-scan': 'Pan scan',
  'cruise-points': 'Pan scan points',
  'motion-tracking': 'Motion tracking',
};

export function controlLabel(name: string): string {
  return LABELS[name] ?? name;
}

/** "UTC", "UTC+5:00"-style hours as the camera keeps them (whole hours). */
export function timeZoneText(hours: number): string {
  if (hours === 0) return 'UTC';
  return `UTC${hours > 0 ? '+' : '−'}${Math.abs(hours)}`;
}

/** What a read-only or composite value says, in a few words. */
export function valueText(c: CameraControl): string {
  if (c.value === null || c.value === undefined) return c.readable ? (c.error ?? 'unknown') : 'not readable';
  switch (c.kind) {
    case 'info': {
      const v = c.value as { bitrateKBps: number; fps: number };
      return `${v.bitrateKBps} KB/s · ${v.fps} fps`;
    }
    case 'time': {
      const when = new Date(Date.parse(String(c.value))).toLocaleString();
      const off = c.offsetSeconds;
      if (off === undefined) return when;
      return `${when} (${Math.abs(off) < 1.5 ? 'in step with the recorder' : `${Math.abs(off)} s ${off > 0 ? 'ahead of' : 'behind'} the recorder`})`;
    }
    case 'points': {
      const n = (c.value as unknown[]).length;
      return `${n} point${n === 1 ? '' : 's'}`;
    }
    case 'number':
      return c.name === 'time-zone' ? timeZoneText(c.value as number) : String(c.value);
    default:
      return String(c.value);
  }
}

/** Arrow keys to PTZ step directions (the pad answers them while focused). */
export const ARROW_DIRECTIONS: Readonly<Record<string, 'left' | 'right' | 'up' | 'down'>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};
