import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { Codec, isCodecValidFor, sampleRateIndex, samplesPerFrame } from './codecs';
import { type FrameInfo, audioFlags, audioFormatOfFlags, buildFrameInfo, parseFrameInfo, parseTxFrameInfo, writeTxFrameInfo } from './frame-info';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('RX FRAMEINFO (FACTS §10.4)', () => {
  test('video sample: every field', () => {
    const fi = parseFrameInfo(h('4e000100011404c8b79209009429f5669d0000007831010033354530324132463038453100000000'));
    assert.deepEqual(fi, {
      codec: 0x4e,
      flags: 1,
      camIndex: 0,
      onlineNum: 1,
      fps: 20,
      resTier: 4,
      bitrate: 200,
      timestampUs: 627383,
      timestampSec: 1727342996,
      payloadSize: 157,
      frameNo: 78200,
      deviceId: '35E02A2F08E1',
    });
  });

  test('audio flags: rate index, 16-bit, stereo', () => {
    assert.deepEqual(audioFormatOfFlags(0x0e), { sampleRate: 16000, channels: 1, bits: 16 });
    assert.deepEqual(audioFormatOfFlags((8 << 2) | 3), { sampleRate: 48000, channels: 2, bits: 16 });
    assert.deepEqual(audioFormatOfFlags(1), { sampleRate: 8000, channels: 2, bits: 8 });
    // go2rtc reads 16 kHz past the table.
    assert.equal(audioFormatOfFlags(12 << 2).sampleRate, 16000);
    assert.equal(audioFlags(16000, 1), 0x0e);
    assert.equal(audioFlags(44100, 2), (7 << 2) | 3);
    assert.equal(sampleRateIndex(96000), 3);
  });

  test('build then parse is the identity', () => {
    const fi: FrameInfo = { codec: Codec.H265, flags: 0, camIndex: 2, onlineNum: 3, fps: 15, resTier: 1, bitrate: 30, timestampUs: 999_999, timestampSec: 0xfedcba98, payloadSize: 123456, frameNo: 0xffffffff, deviceId: 'AABBCCDDEEFF0011' };
    const b = buildFrameInfo(fi);
    assert.equal(b.length, 40);
    assert.deepEqual(parseFrameInfo(b), fi);
  });

  test('needs 40 bytes', () => {
    assert.throws(() => parseFrameInfo(new Uint8Array(39)), TutkParseError);
    assert.throws(() => parseFrameInfo(new Uint8Array(45), 6), TutkParseError);
  });

  test('codec validity by channel', () => {
    assert.equal(isCodecValidFor(5, 0x4c), true);
    assert.equal(isCodecValidFor(7, 0x50), true);
    assert.equal(isCodecValidFor(7, 0x51), false);
    assert.equal(isCodecValidFor(3, 0x86), true);
    assert.equal(isCodecValidFor(3, 0x92), true);
    assert.equal(isCodecValidFor(3, 0x4e), false);
    assert.equal(isCodecValidFor(5, 0x90), false);
  });

  test('samples per frame by codec (FACTS §10.5)', () => {
    assert.deepEqual([Codec.AacWyze, Codec.Pcmu, Codec.Mp3, Codec.Opus, 0x91].map(samplesPerFrame), [1024, 160, 1152, 960, undefined]);
  });
});

describe('TX FRAMEINFO (FACTS §11.3)', () => {
  test('round trip', () => {
    const b = new Uint8Array(20);
    writeTxFrameInfo(b, 4, { codec: 0x8a, flags: 2, onlineNum: 1, timestampMs: 80 });
    assert.deepEqual([...b.subarray(4)], [0x8a, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 80, 0, 0, 0]);
    assert.deepEqual(parseTxFrameInfo(b, 4), { codec: 0x8a, flags: 2, onlineNum: 1, timestampMs: 80 });
    assert.throws(() => parseTxFrameInfo(b, 5), TutkParseError);
  });
});
