// Recordings for API tests, made the way the recorder makes them: fixture access units through the media
// lib's FragmentedMp4Writer (one fragment per GOP), a file at <root>/<camera>/<YYYY-MM-DD>/<HH>/<start µs>.mp4
// and a closed `segments` row. When the recorder lands, tests can switch to footage it recorded.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SegmentEntity } from '@wyze-nvr/db';
import { FragmentedMp4Writer, videoConfigFromAccessUnit, type VideoCodec } from '@wyze-nvr/media';
import type { DataSource } from 'typeorm';

export const MEDIA_FIXTURES = join(__dirname, '..', 'fixtures', 'media');
export const FRAME_US = 50_000;

/** Access units of an Annex-B fixture, split at each access unit delimiter (the fixtures carry one per frame). */
export function accessUnits(data: Uint8Array, codec: VideoCodec): Uint8Array[] {
  const starts: number[] = [];
  const aud = codec === 'h264' ? 9 : 35;
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      const type = codec === 'h264' ? data[i + 3] & 0x1f : (data[i + 3] >> 1) & 0x3f;
      if (type === aud) starts.push(i > 0 && data[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  return starts.map((s, k) => data.subarray(s, k + 1 < starts.length ? starts[k + 1] : data.length));
}

const cache = new Map<string, Uint8Array[]>();
export function fixtureFrames(name: string, codec: VideoCodec): Uint8Array[] {
  let frames = cache.get(name);
  if (!frames) {
    const b = readFileSync(join(MEDIA_FIXTURES, name));
    cache.set(name, (frames = accessUnits(new Uint8Array(b.buffer, b.byteOffset, b.length), codec)));
  }
  return frames;
}

export function segmentRelPath(cameraId: number, startUs: number): string {
  const iso = new Date(Math.floor(startUs / 1000)).toISOString();
  return join(String(cameraId), iso.slice(0, 10), iso.slice(11, 13), `${startUs}.mp4`);
}

export interface SegmentSpec {
  startUs: number;
  /** Frames of the looped fixture, from `firstFrame` (a keyframe). */
  frames: number;
  firstFrame?: number;
  fixture?: string;
  codec?: VideoCodec;
  width?: number;
  height?: number;
  state?: SegmentEntity['state'];
  /** Written as a row only, without a file (a row the disk lost). */
  noFile?: boolean;
}

export interface WrittenSegment {
  row: SegmentEntity;
  abs: string;
  bytes: Uint8Array;
}

/** Encodes one segment file (no re-encode: the fixture's own frames) and inserts its row. */
export async function writeSegment(ds: DataSource, recordingsDir: string, cameraId: number, spec: SegmentSpec): Promise<WrittenSegment> {
  const codec = spec.codec ?? 'h264';
  const fixture = spec.fixture ?? (codec === 'h264' ? 'h264-720p20.h264' : 'h265-720p20.h265');
  const all = fixtureFrames(fixture, codec);
  const first = spec.firstFrame ?? 0;
  const frames = Array.from({ length: spec.frames }, (_, i) => all[(first + i) % all.length]);
  const writer = new FragmentedMp4Writer({ video: videoConfigFromAccessUnit(codec, frames[0])! }, { baseTimeUs: spec.startUs });
  const chunks: Uint8Array[] = [writer.init()];
  let keyframes = 0;
  frames.forEach((data, i) => {
    const timeUs = spec.startUs + i * FRAME_US;
    if (i > 0) {
      // Flush before each keyframe: one fragment per GOP, as the segmenter does.
      const probe = data;
      const isKey = codec === 'h264' ? probe.some((_, k) => k + 3 < probe.length && probe[k] === 0 && probe[k + 1] === 0 && probe[k + 2] === 1 && (probe[k + 3] & 0x1f) === 5) : false;
      if (isKey) {
        const f = writer.flush(timeUs);
        if (f) chunks.push(...f.chunks);
      }
    }
    writer.addVideoFrame({ data, timeUs });
  });
  const last = writer.flush(spec.startUs + frames.length * FRAME_US);
  if (last) chunks.push(...last.chunks);
  const bytes = new Uint8Array(Buffer.concat(chunks));
  for (let i = 0; i < frames.length; i++) if (codec === 'h264' && (first + i) % 40 === 0) keyframes++;
  const rel = segmentRelPath(cameraId, spec.startUs);
  const abs = join(recordingsDir, rel);
  if (!spec.noFile) {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, bytes);
  }
  const repo = ds.getRepository(SegmentEntity);
  const inserted = await repo.insert({
    cameraId,
    startUs: spec.startUs,
    endUs: spec.startUs + frames.length * FRAME_US,
    path: rel,
    bytes: bytes.length,
    videoFrames: frames.length,
    keyframes,
    videoCodec: codec,
    width: spec.width ?? 1280,
    height: spec.height ?? 720,
    state: spec.state ?? 'closed',
  });
  const row = await repo.findOneByOrFail({ id: inserted.identifiers[0].id as number });
  return { row, abs, bytes };
}

/** Back-to-back segments of `framesEach` frames from `startUs`, continuing through the looped fixture. */
export async function writeRecording(ds: DataSource, recordingsDir: string, cameraId: number, opts: { startUs: number; segments: number; framesEach: number; fixture?: string }): Promise<WrittenSegment[]> {
  const out: WrittenSegment[] = [];
  for (let k = 0; k < opts.segments; k++) {
    out.push(
      await writeSegment(ds, recordingsDir, cameraId, {
        startUs: opts.startUs + k * opts.framesEach * FRAME_US,
        frames: opts.framesEach,
        firstFrame: k * opts.framesEach,
        fixture: opts.fixture,
      }),
    );
  }
  return out;
}
