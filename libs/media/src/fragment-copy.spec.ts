import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFragments } from './fragment-copy';
import { readFragmentedMp4 } from './fmp4-reader';
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
});
