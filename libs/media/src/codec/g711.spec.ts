import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ULAW_TO_PCM16, expandUlaw } from './g711';

/**
 * G.711 Table 2a as a formula: the decoder output magnitude for segment e and quantisation step m is
 * (2^e · (2m + 33) − 33) on the 13-bit scale (full scale 8159); ×4 puts it on the 16-bit scale.
 */
function g711Formula(code: number): number {
  const inverted = code ^ 0xff;
  const e = (inverted >> 4) & 7;
  const m = inverted & 15;
  const magnitude = 4 * (Math.pow(2, e) * (2 * m + 33) - 33);
  return inverted & 0x80 ? 0 - magnitude || 0 : magnitude; // || 0: Int16Array has no −0
}

describe('G.711 µ-law', () => {
  test('the table equals the G.711 formula for all 256 code words', () => {
    for (let c = 0; c < 256; c++) assert.equal(ULAW_TO_PCM16[c], g711Formula(c), `code 0x${c.toString(16)}`);
  });

  test('anchor values: 0xFF and 0x7F are zero, 0x80/0x00 are ±32124', () => {
    assert.equal(ULAW_TO_PCM16[0xff], 0);
    assert.equal(ULAW_TO_PCM16[0x7f], 0);
    assert.equal(ULAW_TO_PCM16[0x80], 32124);
    assert.equal(ULAW_TO_PCM16[0x00], -32124);
  });

  test('expandUlaw writes little- and big-endian 16-bit samples', () => {
    const le = expandUlaw(new Uint8Array([0x80, 0x00, 0xff]), 'le');
    const dv = new DataView(le.buffer);
    assert.deepEqual([dv.getInt16(0, true), dv.getInt16(2, true), dv.getInt16(4, true)], [32124, -32124, 0]);
    const be = expandUlaw(new Uint8Array([0x80]), 'be');
    assert.equal(new DataView(be.buffer).getInt16(0, false), 32124);
  });

  test('expandUlaw into a caller buffer; too small is a RangeError', () => {
    const out = new Uint8Array(4);
    assert.equal(expandUlaw(new Uint8Array([1, 2]), 'le', out), out);
    assert.throws(() => expandUlaw(new Uint8Array([1, 2, 3]), 'le', out), RangeError);
  });
});
