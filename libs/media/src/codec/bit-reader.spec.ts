import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BitReader, toRbsp } from './bit-reader';
import { MediaParseError } from '../errors';

/** Packs a string of '0'/'1' (spaces ignored) into bytes, zero-padded. */
function bits(s: string): Uint8Array {
  const b = s.replace(/ /g, '');
  const out = new Uint8Array(Math.ceil(b.length / 8));
  for (let i = 0; i < b.length; i++) if (b[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

describe('BitReader', () => {
  test('readBits reads MSB first across byte boundaries', () => {
    const r = new BitReader(new Uint8Array([0b1010_1100, 0b0101_0011]));
    assert.equal(r.readBits(3), 0b101);
    assert.equal(r.readBits(7), 0b01100_01);
    assert.equal(r.readBits(6), 0b010011);
    assert.equal(r.bitsLeft, 0);
  });

  test('readBits(32) keeps the full unsigned range', () => {
    assert.equal(new BitReader(new Uint8Array([0xff, 0xff, 0xff, 0xfe])).readBits(32), 0xfffffffe);
  });

  test('ue(v) code words from H.264 Table 9-2', () => {
    // 1 → 0, 010 → 1, 011 → 2, 00100 → 3, 00111 → 6, 0001000 → 7
    const r = new BitReader(bits('1 010 011 00100 00111 0001000'));
    assert.deepEqual([0, 1, 2, 3, 6, 7].map(() => r.readExpGolomb()), [0, 1, 2, 3, 6, 7]);
  });

  test('se(v) mapping from H.264 Table 9-3', () => {
    // codeNum 0..4 → 0, 1, −1, 2, −2
    const r = new BitReader(bits('1 010 011 00100 00101'));
    assert.deepEqual([0, 1, 2, 3, 4].map(() => r.readSignedExpGolomb()), [0, 1, -1, 2, -2]);
  });

  test('reading past the end is a truncated MediaParseError', () => {
    const r = new BitReader(new Uint8Array([0xff]));
    r.readBits(5);
    assert.throws(() => r.readBits(4), (e: unknown) => e instanceof MediaParseError && e.code === 'truncated');
    assert.throws(() => new BitReader(new Uint8Array([0, 0])).readExpGolomb(), MediaParseError);
  });

  test('an exp-Golomb prefix of 32 zeros is rejected, not looped on', () => {
    assert.throws(() => new BitReader(new Uint8Array(8)).readExpGolomb(), (e: unknown) => e instanceof MediaParseError);
  });
});

describe('toRbsp', () => {
  test('removes emulation_prevention_three_byte', () => {
    assert.deepEqual(
      Array.from(toRbsp(new Uint8Array([0x67, 0, 0, 3, 1, 0, 0, 3, 0, 0, 0, 3, 3]))),
      [0x67, 0, 0, 1, 0, 0, 0, 0, 0, 3],
    );
  });

  test('returns the same view when there is nothing to remove', () => {
    const nal = new Uint8Array([0x67, 0x4d, 0, 0x1f, 0, 3]);
    const sub = nal.subarray(1);
    assert.equal(toRbsp(sub), sub); // 0x00 0x03 without two zeros is data
  });

  test('zeros before the view do not count toward a 0x000003 pattern', () => {
    const buf = new Uint8Array([0, 0, 3, 0x41]);
    assert.deepEqual(Array.from(toRbsp(buf.subarray(2))), [3, 0x41]);
  });
});
