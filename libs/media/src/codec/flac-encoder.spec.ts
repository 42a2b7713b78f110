import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BitWriter } from './bit-writer';
import { FlacEncoder, FLAC_MAX_BLOCK, flacStreamInfo } from './flac-encoder';

/** Bitwise CRC (no table), MSB first, initial value 0: an independent check of the encoder's table CRCs. */
function crc(bytes: Uint8Array, width: number, poly: number): number {
  let c = 0;
  const top = 2 ** (width - 1);
  const mask = 2 ** width - 1;
  for (const b of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const inBit = (b >> bit) & 1;
      const msb = c & top ? 1 : 0;
      c = (c * 2) & mask;
      if (msb ^ inBit) c ^= poly;
    }
  }
  return c;
}

describe('BitWriter', () => {
  test('MSB first across byte boundaries; signed values; unary; align pads with zeros', () => {
    const w = new BitWriter(2);
    w.bits(0b101, 3).bits(0x1ff, 9).signed(-2, 4).unary(3).bits(0xdeadbeef, 32).align();
    assert.deepEqual([...w.build()], [0b10111111, 0b11111110, 0b00011101, 0xea, 0xdb, 0xee, 0xf0]);
  });
});

describe('FLAC encoder', () => {
  test('STREAMINFO: block sizes 16..4608, rate, channels, 16 bits, unknown frame sizes, length and MD5', () => {
    const s = flacStreamInfo({ sampleRate: 16000, channels: 2 });
    assert.equal(s.length, 34);
    const dv = new DataView(s.buffer);
    assert.equal(dv.getUint16(0), 16);
    assert.equal(dv.getUint16(2), FLAC_MAX_BLOCK);
    assert.deepEqual([...s.subarray(4, 10)], [0, 0, 0, 0, 0, 0]);
    // sample rate (20) | channels − 1 (3) | bits − 1 (5) | total samples (36)
    assert.equal(dv.getUint32(10) >>> 12, 16000);
    assert.equal((dv.getUint32(10) >>> 9) & 7, 1);
    assert.equal((dv.getUint16(12) >>> 4) & 31, 15);
    assert.ok(s.subarray(14).every((b) => b === 0));
  });

  test('every frame: sync code, variable-block-size bit, header CRC-8 and frame CRC-16 that check', () => {
    const pcm = new Int16Array(300).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
    for (const n of [160, 300, 1]) {
      const f = new FlacEncoder({ sampleRate: 8000, channels: 1 }).encode(pcm.subarray(0, n)); // coded number 0: 1 byte
      assert.equal(f[0], 0xff);
      assert.equal(f[1], 0xf9, 'sync code, reserved 0, blocking strategy 1');
      assert.equal(crc(f.subarray(0, f.length - 2), 16, 0x8005), (f[f.length - 2] << 8) | f[f.length - 1]);
      // Header: 4 fixed bytes, the coded number, the block size (8 bits when ≤ 256), the CRC-8.
      const hdrLen = 4 + 1 + (n <= 256 ? 1 : 2);
      assert.equal(crc(f.subarray(0, hdrLen), 8, 0x07), f[hdrLen]);
    }
  });

  test('digital silence is one CONSTANT subframe; coded sample numbers run on and wrap to 0 at 2^31', () => {
    const enc = new FlacEncoder({ sampleRate: 8000, channels: 1 }, { firstSample: 2 ** 31 - 160 });
    const a = enc.encode(new Int16Array(160));
    assert.equal(a[4], 0xfd, '6-byte coded number: 1111110x');
    assert.ok(a.length <= 6 + 5 + 1 + 3 + 2, `silence takes ${a.length} bytes`);
    const b = enc.encode(new Int16Array(160));
    assert.equal(b[4], 0x00, 'the next frame is sample 0 again');
  });

  test('a block larger than 4608 samples or empty, and impossible stream parameters, are RangeErrors', () => {
    const enc = new FlacEncoder({ sampleRate: 8000, channels: 1 });
    assert.throws(() => enc.encode(new Int16Array(FLAC_MAX_BLOCK + 1)), RangeError);
    assert.throws(() => enc.encode(new Int16Array(0)), RangeError);
    assert.throws(() => new FlacEncoder({ sampleRate: 8000, channels: 0 }), RangeError);
    assert.throws(() => new FlacEncoder({ sampleRate: 0, channels: 1 }), RangeError);
  });
});
