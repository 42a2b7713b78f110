// Test support: fixture loading and access-unit splitting, independent of the code under test where it matters.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FragmentedMp4Writer } from '../src/fmp4-writer';
import { splitAdts } from '../src/codec/adts';
import { aacConfigFromAdts, videoConfigFromAccessUnit, type StreamConfig } from '../src/stream-config';
import type { G711Storage } from '../src/isobmff/sample-entry';

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'media');

export function fixture(name: string): Uint8Array {
  const b = readFileSync(join(FIXTURES, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/**
 * Splits an Annex-B fixture into access units at each access unit delimiter (the fixtures carry one per
 * frame). Written with its own byte scan so it does not share code with splitAnnexB.
 */
export function accessUnits(data: Uint8Array, codec: 'h264' | 'h265'): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      const type = codec === 'h264' ? data[i + 3] & 0x1f : (data[i + 3] >> 1) & 0x3f;
      if (type === (codec === 'h264' ? 9 : 35)) starts.push(i > 0 && data[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  return starts.map((s, k) => data.subarray(s, k + 1 < starts.length ? starts[k + 1] : data.length));
}

/**
 * The NAL units of an access unit that belong in an MP4 sample (no AUD, parameter sets or filler),
 * each prefixed with its 4-byte length: what the sample bytes must be. Own scan, for independence.
 */
export function expectedSample(au: Uint8Array, codec: 'h264' | 'h265'): Uint8Array {
  const bounds: number[][] = [];
  for (let i = 0; i + 3 <= au.length; i++) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1) {
      if (bounds.length) bounds[bounds.length - 1][1] = i;
      bounds.push([i + 3, au.length]);
      i += 2;
    }
  }
  const parts: Buffer[] = [];
  for (const [s, e0] of bounds) {
    let e = e0;
    while (e > s && au[e - 1] === 0) e--;
    const nal = au.subarray(s, e);
    const type = codec === 'h264' ? nal[0] & 0x1f : (nal[0] >> 1) & 0x3f;
    const drop = codec === 'h264' ? [7, 8, 9, 12].includes(type) : [32, 33, 34, 35, 38].includes(type);
    if (drop) continue;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(nal.length);
    parts.push(len, Buffer.from(nal));
  }
  return new Uint8Array(Buffer.concat(parts));
}

export function sha1(b: Uint8Array): string {
  return createHash('sha1').update(b).digest('hex');
}

export function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function ffprobeJson(file: string): { streams: Record<string, unknown>[]; format: Record<string, unknown> } {
  const r = run('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file]);
  if (r.status !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ---- Recording fixtures through the writer, as the segmenter will --------------------------------------


export interface ExpectedSample {
  timeUs: number;
  bytes: Uint8Array;
  keyframe: boolean;
}

export interface Recording {
  file: Uint8Array;
  config: StreamConfig;
  startUs: number;
  video: ExpectedSample[];
  audio: ExpectedSample[];
  fragments: number;
}

/** Deterministic jitter in [−3000, +3000] µs so durations must come from timestamps, not a nominal rate. */
export function jitterUs(i: number): number {
  return ((i * 7919) % 13) * 500 - 3000;
}

/**
 * Feeds fixture frames (video at ~20 fps with jitter, audio at its own pace) to a FragmentedMp4Writer,
 * flushing at each keyframe with the keyframe's time, and returns the file plus what each sample must be.
 */
export function recordFixture(opts: {
  video: 'h264' | 'h265';
  audio?: 'aac' | 'pcmu';
  startUs: number;
  /** Access units [from, to) of the fixture; `from` should be a keyframe. */
  frames?: [number, number];
  jitter?: boolean;
  g711Storage?: G711Storage;
  videoFixture?: string;
}): Recording {
  const name = opts.videoFixture ?? (opts.video === 'h264' ? 'h264-720p20.h264' : 'h265-720p20.h265');
  const all = accessUnits(fixture(name), opts.video);
  const [from, to] = opts.frames ?? [0, all.length];
  const aus = all.slice(from, to);
  const config: StreamConfig = { video: videoConfigFromAccessUnit(opts.video, aus[0])! };
  let audioFrames: { data: Uint8Array; expected: Uint8Array; durationUs: number }[] = [];
  if (opts.audio === 'aac') {
    const adts = splitAdts(fixture('aac-16k-mono.aac'));
    config.audio = aacConfigFromAdts(fixture('aac-16k-mono.aac'));
    // Whole ADTS frames go in (the writer strips the header); the sample is the raw payload.
    const raw = fixture('aac-16k-mono.aac');
    let off = 0;
    audioFrames = adts.map((f) => {
      const data = raw.subarray(off, off + f.header.frameLength);
      off += f.header.frameLength;
      return { data, expected: f.payload, durationUs: 64_000 };
    });
  } else if (opts.audio === 'pcmu') {
    config.audio = { kind: 'audio', codec: 'pcmu', sampleRate: 8000, channels: 1 };
    const u = fixture('ulaw-8k-mono.ulaw');
    for (let o = 0; o + 160 <= u.length; o += 160) audioFrames.push({ data: u.subarray(o, o + 160), expected: u.subarray(o, o + 160), durationUs: 20_000 });
  }
  const writer = new FragmentedMp4Writer(config, { baseTimeUs: opts.startUs, g711Storage: opts.g711Storage });
  const parts: Uint8Array[] = [writer.init()];
  const video: ExpectedSample[] = [];
  const audio: ExpectedSample[] = [];
  const videoTime = (i: number) => opts.startUs + i * 50_000 + (opts.jitter && i > 0 ? jitterUs(i) : 0);
  const videoEnd = videoTime(aus.length);
  let ai = 0;
  let fragments = 0;
  const feedAudioUntil = (t: number) => {
    while (ai < audioFrames.length) {
      const at = opts.startUs + ai * audioFrames[ai].durationUs;
      if (at >= t || at >= videoEnd) break;
      writer.addAudioFrame({ data: audioFrames[ai].data, timeUs: at });
      audio.push({ timeUs: at, bytes: audioFrames[ai].expected, keyframe: true });
      ai++;
    }
  };
  aus.forEach((au, i) => {
    const t = videoTime(i);
    const key = i % 40 === 0;
    if (key && i > 0) {
      const out = writer.flush(t);
      if (out) {
        parts.push(...out.chunks);
        fragments++;
      }
    }
    feedAudioUntil(t + 50_000);
    writer.addVideoFrame({ data: au, timeUs: t, keyframe: key });
    video.push({ timeUs: t, bytes: expectedSample(au, opts.video), keyframe: key });
  });
  const out = writer.flush(videoEnd);
  if (out) {
    parts.push(...out.chunks);
    fragments++;
  }
  return { file: new Uint8Array(Buffer.concat(parts)), config, startUs: opts.startUs, video, audio, fragments };
}

// ---- mp4box as an independent reader -------------------------------------------------------------------

export interface Mp4boxSample {
  dts: number;
  duration: number;
  size: number;
  isSync: boolean;
  data: Uint8Array;
}

export interface Mp4boxView {
  tracks: { id: number; codec: string; timescale: number; nbSamples: number; width?: number; height?: number }[];
  samples: Map<number, Mp4boxSample[]>;
}

/** Reads a whole (fragmented) MP4 with mp4box.js and collects every sample of every track. */
export function readWithMp4box(bytes: Uint8Array): Mp4boxView {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const MP4Box: any = require('mp4box');
  const file = MP4Box.createFile();
  const view: Mp4boxView = { tracks: [], samples: new Map() };
  let error: unknown;
  file.onError = (e: unknown) => (error = e);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  file.onReady = (info: any) => {
    for (const t of info.tracks) {
      view.tracks.push({ id: t.id, codec: t.codec, timescale: t.timescale, nbSamples: t.nb_samples, width: t.video?.width, height: t.video?.height });
      view.samples.set(t.id, []);
      file.setExtractionOptions(t.id, null, { nbSamples: 1_000_000 });
    }
    file.start();
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  file.onSamples = (id: number, _user: unknown, samples: any[]) => {
    for (const s of samples) {
      view.samples.get(id)!.push({ dts: s.dts, duration: s.duration, size: s.size, isSync: s.is_sync, data: new Uint8Array(s.data) });
    }
  };
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer & { fileStart: number };
  ab.fileStart = 0;
  file.appendBuffer(ab);
  file.flush();
  if (error) throw new Error(`mp4box: ${String(error)}`);
  return view;
}
