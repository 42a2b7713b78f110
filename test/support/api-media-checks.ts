// Checks on an MP4 the API produced: ffmpeg decodes it without a message, ffprobe's duration, and its video
// samples are byte-for-byte the recorded ones of [keyframe ≤ from, to).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFragmentedMp4 } from '@wyze-nvr/media';

export function ffmpegDecodeErrors(path: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr.trim();
}

export function ffprobeDurationS(path: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

/** Video sample bytes with absolute times, of recorded segment files. */
export function recordedSamples(segments: { bytes: Uint8Array; startUs: number }[]): { timeUs: number; keyframe: boolean; data: Buffer }[] {
  return segments.flatMap((s) => {
    const f = readFragmentedMp4(s.bytes);
    const track = f.tracks.find((t) => t.kind === 'video')!;
    return f.fragments.flatMap((fr) =>
      fr.samples
        .filter((x) => x.trackId === track.trackId)
        .map((x) => ({ timeUs: s.startUs + Math.round((x.decodeTime * 1e6) / track.timescale), keyframe: x.keyframe, data: Buffer.from(s.bytes.subarray(x.offset, x.offset + x.size)) })),
    );
  });
}

export function outputSamples(bytes: Uint8Array): { data: Buffer; sequence: number[] } {
  const f = readFragmentedMp4(bytes);
  const track = f.tracks.find((t) => t.kind === 'video')!;
  return {
    data: Buffer.concat(f.fragments.flatMap((fr) => fr.samples.filter((x) => x.trackId === track.trackId).map((x) => bytes.subarray(x.offset, x.offset + x.size)))),
    sequence: f.fragments.map((fr) => fr.sequenceNumber),
  };
}

/** The whole acceptance check of one range MP4 written to `path`. */
export function checkRangeMp4(path: string, recorded: { bytes: Uint8Array; startUs: number }[], fromUs: number, toUs: number, frameUs: number): void {
  assert.equal(ffmpegDecodeErrors(path), '', 'ffmpeg decodes without a message');
  const samples = recordedSamples(recorded);
  const keyUs = Math.max(...samples.filter((s) => s.keyframe && s.timeUs <= fromUs).map((s) => s.timeUs));
  const expectedS = (toUs - keyUs) / 1e6;
  const d = ffprobeDurationS(path);
  assert.ok(Math.abs(d - expectedS) <= frameUs / 1e6 + 1e-6, `duration ${d} s, expected ${expectedS} s ± one frame`);
  const bytes = new Uint8Array(readFileSync(path));
  const out = outputSamples(bytes);
  const want = Buffer.concat(samples.filter((s) => s.timeUs >= keyUs && s.timeUs < toUs).map((s) => s.data));
  assert.ok(out.data.equals(want), `frames byte-identical (${out.data.length} vs ${want.length} bytes)`);
  assert.deepEqual(out.sequence, out.sequence.map((_, i) => i + 1), 'fragment sequence numbers run 1, 2, 3, …');
}
