/**
 * Larger, camera-like media for benchmarks, made once with ffmpeg and cached under bench/media/ (git-ignored).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BenchMediaOptions {
  width?: number;
  height?: number;
  fps?: number;
  bitrateKbps?: number;
  seconds?: number;
  codec?: 'h264' | 'h265';
  /** Also make a 16 kHz mono ADTS AAC track of the same length. */
  audio?: boolean;
  /** Default `<repo>/bench/media`. */
  dir?: string;
  ffmpeg?: string;
}

export interface BenchMedia {
  video: string;
  videoCodec: 'h264' | 'h265';
  audio?: string;
}

const REPO_ROOT = resolve(__dirname, '../../..');

/**
 * The path of an Annex-B stream with camera timing (keyframe every 2 s, parameter sets before every IDR,
 * an AUD per frame, no B-frames), made with ffmpeg if not already cached. The file name carries every
 * parameter, so a cached file always matches its request.
 */
export async function ensureBenchMedia(o: BenchMediaOptions = {}): Promise<BenchMedia> {
  const width = o.width ?? 2560;
  const height = o.height ?? 1440;
  const fps = o.fps ?? 20;
  const kbps = o.bitrateKbps ?? 2000;
  const seconds = o.seconds ?? 60;
  const codec = o.codec ?? 'h264';
  const dir = o.dir ?? join(REPO_ROOT, 'bench', 'media');
  const ffmpeg = o.ffmpeg ?? 'ffmpeg';
  mkdirSync(dir, { recursive: true });
  const stem = `${codec}-${width}x${height}p${fps}-${kbps}k-${seconds}s`;
  const video = join(dir, `${stem}.${codec}`);
  const gop = fps * 2;
  if (!cached(video)) {
    const src = `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`;
    const enc =
      codec === 'h264'
        ? ['-c:v', 'libx264', '-profile:v', 'main', '-preset', 'veryfast', '-g', `${gop}`, '-keyint_min', `${gop}`, '-sc_threshold', '0', '-bf', '0', '-x264-params', 'repeat-headers=1:aud=1:scenecut=0:open-gop=0', '-f', 'h264']
        : ['-c:v', 'libx265', '-preset', 'veryfast', '-x265-params', `keyint=${gop}:min-keyint=${gop}:scenecut=0:bframes=0:repeat-headers=1:aud=1:open-gop=0:log-level=error`, '-f', 'hevc'];
    await produce(ffmpeg, ['-f', 'lavfi', '-i', src, '-pix_fmt', 'yuv420p', '-b:v', `${kbps}k`, '-maxrate', `${Math.round(kbps * 1.3)}k`, '-bufsize', `${kbps * 2}k`, ...enc], video);
  }
  let audio: string | undefined;
  if (o.audio) {
    audio = join(dir, `aac-16k-mono-${seconds}s.aac`);
    if (!cached(audio)) await produce(ffmpeg, ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${seconds}`, '-ac', '1', '-c:a', 'aac', '-b:a', '32k', '-f', 'adts'], audio);
  }
  return { video, videoCodec: codec, audio };
}

function cached(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

/** Writes to a temporary name and renames, so an interrupted run never leaves a truncated cache entry. */
function produce(ffmpeg: string, args: string[], out: string): Promise<void> {
  const tmp = `${out}.${process.pid}.tmp`;
  return new Promise((resolveDone, reject) => {
    execFile(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args, tmp], { maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`ffmpeg failed for ${out}: ${stderr || err.message}`));
      else {
        renameSync(tmp, out);
        resolveDone();
      }
    });
  });
}
