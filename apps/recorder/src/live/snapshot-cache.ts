import { spawn } from 'node:child_process';
import { sampleToAnnexB } from '@wyze-nvr/media';
import type { LatestKeyframe } from './live-tap';

/** Widths a snapshot may be scaled to. */
export const SNAPSHOT_MIN_WIDTH = 16;
export const SNAPSHOT_MAX_WIDTH = 3840;
/** Different widths of one keyframe kept at a time; a request for another waits for its own decode. */
const MAX_WIDTHS = 8;
const DECODE_TIMEOUT_MS = 10_000;

export interface Snapshot {
  jpeg: Uint8Array;
  keyframeUs: number;
}

/** Decodes one keyframe (Annex B) to a JPEG, `width` wide (height to the aspect ratio), with an ffmpeg child. */
export type KeyframeDecoder = (codec: 'h264' | 'h265', annexB: Uint8Array, width: number | undefined) => Promise<Uint8Array>;

export const ffmpegKeyframeDecoder =
  (ffmpeg = 'ffmpeg'): KeyframeDecoder =>
  (codec, annexB, width) =>
    new Promise((resolve, reject) => {
      const args = ['-nostdin', '-v', 'error', '-threads', '1', '-f', codec === 'h264' ? 'h264' : 'hevc', '-i', 'pipe:0', '-frames:v', '1'];
      if (width) args.push('-vf', `scale=${width}:-2`);
      args.push('-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1');
      const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), DECODE_TIMEOUT_MS);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()).length > 4096 && (err = err.slice(-4096)));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const jpeg = Buffer.concat(out);
        if (code === 0 && jpeg.length > 0) resolve(new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length));
        else reject(new Error(`ffmpeg could not decode the keyframe (exit ${code}): ${err.trim()}`));
      });
      child.stdin.on('error', () => undefined); // ffmpeg may exit before reading everything; its exit code tells
      child.stdin.end(annexB);
    });

/**
 * A camera's snapshots: its newest keyframe as JPEG, decoded on the first request for it (per width) and
 * then served from memory until the next keyframe. Nothing is decoded while nobody asks.
 */
export class SnapshotCache {
  private keyframeUs = -1;
  private readonly jpegs = new Map<number, Promise<Uint8Array>>();
  decodes = 0;

  constructor(private readonly decode: KeyframeDecoder) {}

  /** The newest keyframe as JPEG; undefined when the camera has sent none yet. */
  async get(latest: LatestKeyframe | undefined, width: number | undefined): Promise<Snapshot | undefined> {
    if (!latest) return undefined;
    if (latest.timeUs !== this.keyframeUs) {
      this.keyframeUs = latest.timeUs;
      this.jpegs.clear();
    }
    const key = width ?? 0;
    let p = this.jpegs.get(key);
    if (!p) {
      if (this.jpegs.size >= MAX_WIDTHS) this.jpegs.delete(this.jpegs.keys().next().value!);
      const v = latest.video;
      const moofSize = new DataView(latest.fragment.buffer, latest.fragment.byteOffset).getUint32(0);
      const annexB = sampleToAnnexB([...v.vps, ...v.sps, ...v.pps], latest.fragment.subarray(moofSize + 8)); // after the moof and the mdat header
      this.decodes++;
      p = this.decode(v.codec, annexB, width);
      this.jpegs.set(key, p);
      p.catch(() => this.jpegs.get(key) === p && this.jpegs.delete(key)); // a failed decode is tried again on the next request
    }
    return { jpeg: await p, keyframeUs: latest.timeUs };
  }
}
