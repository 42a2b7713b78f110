import { join } from 'node:path';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ARCHITECTURE "Files": `<root>/<camera id>/<YYYY-MM-DD>/<HH>/<start µs>.mp4`, UTC. */
export function segmentPath(root: string, cameraId: number, startUs: number): string {
  const d = new Date(Math.floor(startUs / 1000));
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return join(root, String(cameraId), day, pad(d.getUTCHours()), `${startUs}.mp4`);
}

/** The start µs in a segment file name, or undefined for a name the recorder did not write. */
export function startUsOfSegmentName(name: string): number | undefined {
  const m = /^(\d{1,17})\.mp4$/.exec(name);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isSafeInteger(v) ? v : undefined;
}
