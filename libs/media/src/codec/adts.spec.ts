import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { audioSpecificConfigFromAdts, parseAdtsHeader, splitAdts } from './adts';
import { MediaParseError } from '../errors';
import { fixture } from '../../test/support';

describe('ADTS', () => {
  test('header fields of the 16 kHz mono AAC-LC fixture', () => {
    const h = parseAdtsHeader(fixture('aac-16k-mono.aac'));
    assert.equal(h.audioObjectType, 2);
    assert.equal(h.samplingFrequencyIndex, 8);
    assert.equal(h.sampleRate, 16000);
    assert.equal(h.channelConfiguration, 1);
    assert.equal(h.headerLength, 7);
    assert.equal(h.rawDataBlocks, 1);
  });

  test('AudioSpecificConfig: AOT 2, index 8, 1 channel → 0x14 0x08', () => {
    const asc = audioSpecificConfigFromAdts(parseAdtsHeader(fixture('aac-16k-mono.aac')));
    assert.deepEqual(Array.from(asc), [0x14, 0x08]);
  });

  test('splits the whole fixture into ~10 s of 1024-sample frames, payloads as views', () => {
    const data = fixture('aac-16k-mono.aac');
    const frames = splitAdts(data);
    // 10 s × 16000 / 1024 = 156.25, plus the encoder's priming frame.
    assert.ok(frames.length >= 157 && frames.length <= 159, `${frames.length} frames`);
    const total = frames.reduce((n, f) => n + f.header.frameLength, 0);
    assert.equal(total, data.length);
    assert.equal(frames[3].payload.buffer, data.buffer);
  });

  test('hand-built header with CRC (protection_absent = 0)', () => {
    // FFF1 → protection_absent 1; FFF0 → CRC present. profile 1 (LC), index 4 (44.1 kHz), 2 channels, length 20.
    const len = 20;
    const b = new Uint8Array(len);
    b.set([0xff, 0xf0, (1 << 6) | (4 << 2) | 0, (2 << 6) | (len >> 11), (len >> 3) & 0xff, ((len & 7) << 5) | 0x1f, 0xfc]);
    const h = parseAdtsHeader(b);
    assert.deepEqual([h.sampleRate, h.channelConfiguration, h.headerLength, h.frameLength], [44100, 2, 9, 20]);
    assert.equal(splitAdts(b)[0].payload.length, 11);
  });

  test('malformed input → typed errors', () => {
    const isErr = (code: string) => (e: unknown) => e instanceof MediaParseError && e.code === code;
    assert.throws(() => parseAdtsHeader(new Uint8Array([0xff, 0xf1, 0x60])), isErr('truncated'));
    assert.throws(() => parseAdtsHeader(new Uint8Array([0xfe, 0xf1, 0x60, 0x40, 0, 0x1f, 0xfc])), isErr('invalid'));
    // sampling_frequency_index 15 is reserved
    assert.throws(() => parseAdtsHeader(new Uint8Array([0xff, 0xf1, 0x7c, 0x40, 0x01, 0x1f, 0xfc])), isErr('invalid'));
    // aac_frame_length shorter than the header
    assert.throws(() => parseAdtsHeader(new Uint8Array([0xff, 0xf1, 0x60, 0x40, 0x00, 0x1f, 0xfc])), isErr('invalid'));
    // a frame running past the end of the buffer
    const data = fixture('aac-16k-mono.aac');
    assert.throws(() => splitAdts(data.subarray(0, data.length - 5)), isErr('truncated'));
  });
});
