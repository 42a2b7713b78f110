// Checks on an MP4 the API produced: ffmpeg decodes it without a message, ffprobe's duration, and its video
// (and audio) samples are byte-for-byte the recorded ones of [keyframe ≤ from, to).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFragmentedMp4 } from '@wyze-nvr/media';

export function ffmpegDecodeErrors(path: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr.trim();
}

/**
 * ffprobe's duration of the video stream. Not the container's: in a fragmented MP4 whose audio starts after
 * the video (AAC frames are not aligned with keyframes), ffprobe adds the audio's start to a duration that
 * already counts from zero, so the format duration overstates the file by that start.
 */
export function ffprobeVideoDurationS(path: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

/** Sample bytes of one track kind (video by default) with absolute times, of recorded segment files. */
export function recordedSamples(segments: { bytes: Uint8Array; startUs: number }[], kind: 'video' | 'audio' = 'video'): { timeUs: number; keyframe: boolean; data: Buffer }[] {
  return segments.flatMap((s) => {
    const f = readFragmentedMp4(s.bytes);
    const track = f.tracks.find((t) => t.kind === kind);
    if (!track) return [];
    return f.fragments.flatMap((fr) =>
      fr.samples
        .filter((x) => x.trackId === track.trackId)
        .map((x) => ({ timeUs: s.startUs + Math.round((x.decodeTime * 1e6) / track.timescale), keyframe: x.keyframe, data: Buffer.from(s.bytes.subarray(x.offset, x.offset + x.size)) })),
    );
  });
}

export function outputSamples(bytes: Uint8Array, kind: 'video' | 'audio' = 'video'): { data: Buffer; sequence: number[]; timesUs: number[] } {
  const f = readFragmentedMp4(bytes);
  const track = f.tracks.find((t) => t.kind === kind);
  const mine = f.fragments.flatMap((fr) => fr.samples.filter((x) => x.trackId === track?.trackId));
  return {
    data: Buffer.concat(mine.map((x) => bytes.subarray(x.offset, x.offset + x.size))),
    sequence: f.fragments.map((fr) => fr.sequenceNumber),
    timesUs: track ? mine.map((x) => Math.round((x.decodeTime * 1e6) / track.timescale)) : [],
  };
}

/**
 * The whole acceptance check of one range MP4 written to `path`. With `sent` (the camera's access units as
 * MP4 samples, with their FRAMEINFO times), the output's frames are also compared with what the camera sent.
 */
export function checkRangeMp4(
  path: string,
  recorded: { bytes: Uint8Array; startUs: number }[],
  fromUs: number,
  toUs: number,
  frameUs: number,
  sent?: { timeUs: number; sample: Buffer }[],
): void {
  assert.equal(ffmpegDecodeErrors(path), '', 'ffmpeg decodes without a message');
  const samples = recordedSamples(recorded);
  const keyUs = Math.max(...samples.filter((s) => s.keyframe && s.timeUs <= fromUs).map((s) => s.timeUs));
  const expectedS = (toUs - keyUs) / 1e6;
  const d = ffprobeVideoDurationS(path);
  assert.ok(Math.abs(d - expectedS) <= frameUs / 1e6 + 1e-6, `duration ${d} s, expected ${expectedS} s ± one frame`);
  const bytes = new Uint8Array(readFileSync(path));
  const out = outputSamples(bytes);
  const want = Buffer.concat(samples.filter((s) => s.timeUs >= keyUs && s.timeUs < toUs).map((s) => s.data));
  assert.ok(out.data.equals(want), `frames byte-identical to the recorded ones (${out.data.length} vs ${want.length} bytes)`);
  // Audio, when recorded: the recorded frames that start in [keyframe, to), byte for byte, at their own times.
  const audio = recordedSamples(recorded, 'audio').filter((s) => s.timeUs >= keyUs && s.timeUs < toUs);
  const outAudio = outputSamples(bytes, 'audio');
  assert.ok(outAudio.data.equals(Buffer.concat(audio.map((s) => s.data))), `audio byte-identical to the recorded audio (${outAudio.data.length} bytes)`);
  assert.deepEqual(outAudio.timesUs, audio.map((s) => s.timeUs - keyUs), 'audio at its recorded times');
  if (sent) {
    const fromCamera = Buffer.concat(sent.filter((s) => s.timeUs >= keyUs && s.timeUs < toUs).map((s) => s.sample));
    assert.ok(out.data.equals(fromCamera), `frames byte-identical to the ones the camera sent (${out.data.length} vs ${fromCamera.length} bytes)`);
  }
  assert.deepEqual(out.sequence, out.sequence.map((_, i) => i + 1), 'fragment sequence numbers run 1, 2, 3, …');
}
