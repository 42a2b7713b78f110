/**
 * MediaSources over media files: an Annex-B video file (H.264/H.265) and optionally an ADTS AAC or raw
 * G.711 µ-law file, read once, cut into camera frames and played back paced by their timestamps.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { splitAdts } from '@wyze-nvr/media';
import { Codec, abortableDelay, type MediaFrame, type MediaSource } from '@wyze-nvr/tutk';
import { detectVideoCodec, splitAccessUnits, type VideoCodecName } from './access-units';

export type AudioCodecName = 'aac' | 'pcmu';

export interface FileMediaSourceOptions {
  /** Annex-B H.264/H.265 file. */
  video: string;
  /** Default: from the extension (.h265/.hevc) or the parameter sets. */
  videoCodec?: VideoCodecName;
  /** ADTS AAC (.aac) or raw G.711 µ-law (.ulaw, 8 kHz mono). */
  audio?: string;
  /** Default: from the extension (.ulaw/.pcmu/.g711 → pcmu, else aac). */
  audioCodec?: AudioCodecName;
  /** Video frames per second (default 20). */
  fps?: number;
  /** 1 = real time, N = N× faster, 0 or Infinity = as fast as the event loop allows. Default 1. */
  speed?: number;
  /** Start again after the last frame, timestamps continuing (default true). */
  loop?: boolean;
}

/** G.711 frames: 160 samples, 20 ms at 8 kHz (FACTS §10.5). */
const PCMU_FRAME_BYTES = 160;
const PCMU_RATE = 8000;

/** One loop of the file's media, in the order and with the timestamps it is played. */
export interface FileMedia {
  videoCodec: VideoCodecName;
  audioCodec: AudioCodecName | undefined;
  video: MediaFrame[];
  audio: MediaFrame[];
  /** Length of one loop of video, µs (frames × frame period). */
  videoSpanUs: number;
  audioSpanUs: number;
}

/** Reads and cuts the files (no pacing): the frames one loop of a {@link FileMediaSource} plays. */
export function loadFileMedia(o: Pick<FileMediaSourceOptions, 'video' | 'videoCodec' | 'audio' | 'audioCodec' | 'fps'>): FileMedia {
  const fps = o.fps ?? 20;
  if (!(fps > 0)) throw new RangeError(`fps must be positive, got ${fps}`);
  const bytes = new Uint8Array(readFileSync(o.video));
  const videoCodec = o.videoCodec ?? codecFromExtension(o.video) ?? detectVideoCodec(bytes);
  if (!videoCodec) throw new Error(`${o.video}: neither H.264 nor H.265 parameter sets found`);
  const units = splitAccessUnits(bytes, videoCodec);
  const first = units.findIndex((u) => u.keyframe);
  if (first < 0) throw new Error(`${o.video}: no keyframe`);
  // A camera stream starts at a keyframe; anything before the first one is left out.
  const codec = videoCodec === 'h264' ? Codec.H264 : Codec.H265;
  const video: MediaFrame[] = units.slice(first).map((u, i) => ({ kind: 'video', codec, keyframe: u.keyframe, data: u.data, timestampUs: Math.round((i * 1e6) / fps) }));
  const videoSpanUs = Math.round((video.length * 1e6) / fps);

  const audio: MediaFrame[] = [];
  let audioSpanUs = 0;
  let audioCodec: AudioCodecName | undefined;
  if (o.audio) {
    const abytes = new Uint8Array(readFileSync(o.audio));
    audioCodec = o.audioCodec ?? (/^\.(ulaw|pcmu|g711|mulaw)$/i.test(extname(o.audio)) ? 'pcmu' : 'aac');
    if (audioCodec === 'aac') {
      let samples = 0;
      let off = 0;
      for (const f of splitAdts(abytes)) {
        const len = f.header.frameLength;
        const rate = f.header.sampleRate;
        // The whole ADTS frame, header included: cameras send ADTS (FACTS §10.5).
        audio.push({ kind: 'audio', codec: Codec.AacWyze, keyframe: false, data: abytes.subarray(off, off + len), timestampUs: Math.round((samples * 1e6) / rate), sampleRate: rate, channels: Math.max(1, f.header.channelConfiguration) });
        samples += 1024;
        off += len;
      }
      audioSpanUs = audio.length ? Math.round((samples * 1e6) / audio[0].sampleRate!) : 0;
    } else {
      const n = Math.floor(abytes.length / PCMU_FRAME_BYTES);
      for (let i = 0; i < n; i++) {
        audio.push({ kind: 'audio', codec: Codec.Pcmu, keyframe: false, data: abytes.subarray(i * PCMU_FRAME_BYTES, (i + 1) * PCMU_FRAME_BYTES), timestampUs: (i * PCMU_FRAME_BYTES * 1e6) / PCMU_RATE, sampleRate: PCMU_RATE, channels: 1 });
      }
      audioSpanUs = (n * PCMU_FRAME_BYTES * 1e6) / PCMU_RATE;
    }
  }
  return { videoCodec, audioCodec, video, audio, videoSpanUs, audioSpanUs };
}

function codecFromExtension(path: string): VideoCodecName | undefined {
  const e = extname(path).toLowerCase();
  if (e === '.h265' || e === '.hevc' || e === '.265') return 'h265';
  if (e === '.h264' || e === '.264' || e === '.avc') return 'h264';
  return undefined;
}

/**
 * A {@link MediaSource} playing files like a camera: frames due at start + timestamp / speed on a
 * monotonic clock (so lateness never accumulates), audio and video interleaved by timestamp, looping with
 * continuing timestamps. Each `frames()` call plays from the first keyframe; abort leaves no timer.
 */
export class FileMediaSource implements MediaSource {
  readonly media: FileMedia;
  readonly speed: number;
  readonly loop: boolean;

  /** `media`: frames already loaded from the same files (sources sharing one file read it once). */
  constructor(options: FileMediaSourceOptions, media?: FileMedia) {
    this.media = media ?? loadFileMedia(options);
    const speed = options.speed ?? 1;
    if (!(speed >= 0)) throw new RangeError(`speed must be ≥ 0, got ${speed}`);
    this.speed = speed === 0 ? Infinity : speed;
    this.loop = options.loop ?? true;
  }

  get hasAudio(): boolean {
    return this.media.audio.length > 0;
  }

  async *frames(signal: AbortSignal): AsyncGenerator<MediaFrame> {
    const { video, audio, videoSpanUs, audioSpanUs } = this.media;
    const start = performance.now();
    let vi = 0;
    let vLoop = 0;
    let ai = 0;
    let aLoop = 0;
    const at = (list: MediaFrame[], i: number, loop: number, span: number) => (i < list.length ? list[i].timestampUs + loop * span : Infinity);
    for (;;) {
      if (this.loop) {
        if (vi === video.length) [vi, vLoop] = [0, vLoop + 1];
        if (ai === audio.length && audio.length > 0) [ai, aLoop] = [0, aLoop + 1];
      }
      const vt = at(video, vi, vLoop, videoSpanUs);
      const atU = at(audio, ai, aLoop, audioSpanUs);
      if (vt === Infinity && atU === Infinity) return;
      const isVideo = vt <= atU;
      const t = isVideo ? vt : atU;
      const dueMs = this.speed === Infinity ? 0 : start + t / 1000 / this.speed - performance.now();
      if (!(await (dueMs > 0 ? abortableDelay(dueMs, signal) : nextTurn(signal)))) return;
      const base = isVideo ? video[vi++] : audio[ai++];
      yield t === base.timestampUs ? base : { ...base, timestampUs: t };
      if (signal.aborted) return;
    }
  }
}

/** Yields to the event loop once (no timer); false when `signal` has aborted meanwhile. */
function nextTurn(signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => setImmediate(() => resolve(!signal.aborted)));
}

export function fileMediaSource(options: FileMediaSourceOptions): FileMediaSource {
  return new FileMediaSource(options);
}

export interface CameraMediaOptions extends FileMediaSourceOptions {
  /** Video for the SD stream (K10056/K10052 360P); default the HD file. */
  sdVideo?: string;
  sdVideoCodec?: VideoCodecName;
}

/** The `hd` and `sd` sources a {@link CameraDevice} takes; SD plays `sdVideo`, or the HD file again. */
export function fileMediaSources(o: CameraMediaOptions): { hd: FileMediaSource; sd: FileMediaSource } {
  const hd = new FileMediaSource(o);
  const sd = o.sdVideo ? new FileMediaSource({ ...o, video: o.sdVideo, videoCodec: o.sdVideoCodec }) : new FileMediaSource(o, hd.media);
  return { hd, sd };
}
