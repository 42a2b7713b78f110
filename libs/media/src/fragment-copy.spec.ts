import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFragments, planFragmentCopy } from './fragment-copy';
import { indexFragmentedMp4, readFragmentedMp4 } from './fmp4-reader';
import { MediaWriteError } from './errors';
import { VIDEO_TRACK_ID } from './isobmff/init-segment';
import { recordFixture, sha1 } from '../test/support';

const T0 = 2_000_000_000_000_000;
const a = recordFixture({ video: 'h264', audio: 'aac', startUs: T0, frames: [0, 80] });
const b = recordFixture({ video: 'h264', audio: 'aac', startUs: T0 + 80 * 50_000, frames: [80, 160] });

function videoOf(bytes: Uint8Array) {
  return readFragmentedMp4(bytes).fragments.flatMap((f) => f.samples.filter((s) => s.trackId === VIDEO_TRACK_ID));
}

describe('copyFragments', () => {
  test('no range: everything, one init, renumbered fragments, continuous time', () => {
    const out = copyFragments([{ data: a.file, startUs: a.startUs }, { data: b.file, startUs: b.startUs }]);
    const bytes = new Uint8Array(Buffer.concat(out.chunks));
    const file = readFragmentedMp4(bytes);
    assert.deepEqual(file.fragments.map((f) => f.sequenceNumber), [1, 2, 3, 4]);
    assert.equal(out.startUs, T0);
    const v = videoOf(bytes);
    assert.equal(v.length, 160);
    assert.deepEqual(v.map((s) => s.decodeTime), v.map((_, i) => i * 4500));
    // The last AAC frame of segment b starts at 3.968 s into it and lasts 64 ms, past the last video frame.
    assert.equal(out.endUs, T0 + 80 * 50_000 + 62 * 64_000 + 64_000);
  });

  test('range start exactly on a keyframe and inside a GOP; range end exclusive', () => {
    const inputs = [{ data: a.file, startUs: a.startUs }, { data: b.file, startUs: b.startUs }];
    const onKey = copyFragments(inputs, { fromUs: T0 + 40 * 50_000, toUs: T0 + 41 * 50_000 });
    assert.equal(onKey.startUs, T0 + 40 * 50_000);
    const v = videoOf(new Uint8Array(Buffer.concat(onKey.chunks)));
    assert.equal(v.length, 1);
    assert.equal(sha1(new Uint8Array(Buffer.concat(onKey.chunks)).subarray(v[0].offset, v[0].offset + v[0].size)), sha1(a.video[40].bytes));
    const inside = copyFragments(inputs, { fromUs: T0 + 79 * 50_000 + 1 });
    assert.equal(inside.startUs, T0 + 40 * 50_000);
    assert.equal(videoOf(new Uint8Array(Buffer.concat(inside.chunks))).length, 120);
  });

  test('a range before all footage starts at the first keyframe; after it, only the init segment', () => {
    const inputs = [{ data: a.file, startUs: a.startUs }];
    assert.equal(copyFragments(inputs, { fromUs: T0 - 10_000_000 }).startUs, T0);
    const empty = copyFragments(inputs, { fromUs: T0 + 100 * 50_000, toUs: T0 + 101 * 50_000 });
    assert.equal(empty.fragments, 0);
    assert.equal(empty.chunks.length, 1);
  });

  test('segments with a different stream config are refused', () => {
    const other = recordFixture({ video: 'h264', startUs: T0, videoFixture: 'h264-360p20.h264', frames: [0, 40] });
    assert.throws(
      () => copyFragments([{ data: a.file, startUs: a.startUs }, { data: other.file, startUs: T0 + 4_000_000 }]),
      (e: unknown) => e instanceof MediaWriteError && e.code === 'mismatch',
    );
    assert.throws(() => copyFragments([]), MediaWriteError);
  });

  test('planFragmentCopy over indexed sources gives the same bytes, with one range per track run', async () => {
    const range = { fromUs: T0 + 50 * 50_000, toUs: T0 + 150 * 50_000 };
    const mem = new Uint8Array(Buffer.concat(copyFragments([{ data: a.file, startUs: a.startUs }, { data: b.file, startUs: b.startUs }], range).chunks));
    const files = [a.file, b.file];
    const segments = await Promise.all(
      files.map(async (f, i) => ({
        index: await indexFragmentedMp4({ size: f.length, read: async (o, n) => f.slice(o, o + n) }),
        startUs: [a.startUs, b.startUs][i],
      })),
    );
    const plan = planFragmentCopy(segments, range);
    const bytes = new Uint8Array(Buffer.concat(plan.parts.map((p) => (p.kind === 'bytes' ? p.data : files[p.input].subarray(p.offset, p.offset + p.length)))));
    assert.deepEqual(bytes, mem);
    assert.equal(bytes.length, plan.byteLength);
    // Our writer puts a GOP's video then audio samples back to back: adjacent samples merge into one read,
    // so a fragment needs at most one range per track (one in all when nothing is cut out of its middle).
    const ranges = plan.parts.filter((p) => p.kind === 'range').length;
    assert.ok(ranges >= plan.fragments && ranges <= plan.fragments * 2, `${ranges} ranges for ${plan.fragments} fragments`);
    const whole = planFragmentCopy(segments);
    assert.equal(whole.parts.filter((p) => p.kind === 'range').length, whole.fragments);
  });
});
