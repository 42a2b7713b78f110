import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAnnexB, sampleToAnnexB, splitAnnexB } from './annexb';
import { MediaParseError } from '../errors';
import { fixture } from '../../test/support';

describe('splitAnnexB', () => {
  test('3- and 4-byte start codes, leading garbage dropped, trailing zeros trimmed', () => {
    const b = new Uint8Array([0xaa, 0xbb, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0, 0]);
    const nals = splitAnnexB(b);
    assert.deepEqual(nals.map((n) => Array.from(n)), [[0x67, 1, 2], [0x68, 3], [0x65, 4, 5]]);
  });

  test('returns views into the input, not copies', () => {
    const b = new Uint8Array([0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x65, 0x88]);
    const nals = splitAnnexB(b);
    assert.equal(nals[1].buffer, b.buffer);
    assert.equal(nals[1].byteOffset, 8);
  });

  test('no start code → no NAL units; empty NAL units skipped', () => {
    assert.deepEqual(splitAnnexB(new Uint8Array([1, 2, 3, 4])), []);
    assert.deepEqual(splitAnnexB(new Uint8Array([0, 0, 1, 0, 0, 1, 0x41])).map((n) => Array.from(n)), [[0x41]]);
    assert.deepEqual(splitAnnexB(new Uint8Array(0)), []);
  });

  test('a start code at the very end yields nothing after it', () => {
    assert.deepEqual(splitAnnexB(new Uint8Array([0, 0, 1, 0x41, 0, 0, 1])).map((n) => Array.from(n)), [[0x41]]);
  });

  test('finds every NAL unit of the H.264 fixture (count from an independent scan)', () => {
    const data = fixture('h264-720p20.h264');
    let expected = 0;
    for (let i = 0; i + 2 < data.length; i++) if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) expected++;
    const nals = splitAnnexB(data);
    assert.equal(nals.length, expected);
    assert.ok(nals.every((n) => (n[0] & 0x80) === 0), 'forbidden_zero_bit is 0 in every NAL header');
  });

  test('isAnnexB', () => {
    assert.ok(isAnnexB(new Uint8Array([0, 0, 1, 0x67])));
    assert.ok(isAnnexB(new Uint8Array([0, 0, 0, 1, 0x67])));
    assert.ok(!isAnnexB(new Uint8Array([0, 0, 0, 12, 0x67])));
  });
});

describe('sampleToAnnexB', () => {
  test('parameter sets, then each length-prefixed NAL unit, after 4-byte start codes; a length past the end is truncated', () => {
    const sample = new Uint8Array([0, 0, 0, 2, 0x65, 0xaa, 0, 0, 0, 1, 0x06]);
    const out = sampleToAnnexB([new Uint8Array([0x67, 1]), new Uint8Array([0x68])], sample);
    assert.deepEqual([...out], [0, 0, 0, 1, 0x67, 1, 0, 0, 0, 1, 0x68, 0, 0, 0, 1, 0x65, 0xaa, 0, 0, 0, 1, 0x06]);
    assert.deepEqual(splitAnnexB(out).map((n) => [...n]), [[0x67, 1], [0x68], [0x65, 0xaa], [0x06]]);
    assert.throws(() => sampleToAnnexB([], new Uint8Array([0, 0, 0, 9, 1])), (e: unknown) => e instanceof MediaParseError && e.code === 'truncated');
    assert.throws(() => sampleToAnnexB([], new Uint8Array([0, 0])), MediaParseError);
  });
});
