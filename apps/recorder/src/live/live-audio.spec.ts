import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitAdts } from '@wyze-nvr/media';
import { FIXTURES } from '../testing/fixture-media';
import { LiveAudioConverter } from './live-audio';

describe('LiveAudioConverter', () => {
  it('AAC passes through: ADTS headers stripped, 1024 samples per frame, config from the header', () => {
    const adts = readFileSync(join(FIXTURES, 'aac-16k-mono.aac'));
    const first = splitAdts(adts)[0];
    const frame = adts.subarray(0, first.header.frameLength);
    const out = new LiveAudioConverter().convert(0x87, frame, 16000, 1)!;
    assert.equal(out.config.codec, 'aac');
    assert.deepEqual(out.durations, [1024]);
    assert.deepEqual([...out.samples[0]], [...first.payload]);
  });

  it('G.711 µ-law and A-law and 16-bit PCM become FLAC at the frame rate and channels; a frame over 4608 samples is split', () => {
    const c = new LiveAudioConverter();
    const ulaw = c.convert(0x89, new Uint8Array(160).fill(0x55), 8000, 1)!;
    assert.deepEqual([ulaw.config.codec, ulaw.config.sampleRate, ulaw.config.channels, ulaw.durations], ['flac', 8000, 1, [160]]);
    const alaw = c.convert(0x8a, new Uint8Array(320), 8000, 1)!;
    assert.equal(alaw.config, ulaw.config, 'same stream parameters: the same FLAC stream');
    const pcm = new Uint8Array(2 * 2 * 5000); // 16-bit LE stereo, 5000 samples per channel
    const out = c.convert(0x8c, pcm, 16000, 2)!;
    assert.deepEqual([out.config.sampleRate, out.config.channels, out.durations], [16000, 2, [4608, 392]]);
    assert.ok(out.samples.every((f) => f[0] === 0xff && f[1] === 0xf9), 'FLAC frames');
  });

  it('a codec it does not convert, an empty payload and malformed ADTS give undefined (counted by the tap)', () => {
    const c = new LiveAudioConverter();
    assert.equal(c.convert(0x92, new Uint8Array(10), 48000, 2), undefined);
    assert.equal(c.convert(0x89, new Uint8Array(0), 8000, 1), undefined);
    assert.equal(c.convert(0x87, new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0xff, 0xff, 0xfc, 1]), 16000, 1), undefined);
  });
});
