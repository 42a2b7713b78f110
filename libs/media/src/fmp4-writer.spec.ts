import { describe, test } from 'node:test';
import { concatBytes } from '@wyze-nvr/bytes';
import assert from 'node:assert/strict';
import { FragmentedMp4Writer } from './fmp4-writer';
import { readFragmentedMp4 } from './fmp4-reader';
import { MediaWriteError } from './errors';
import { SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_SYNC } from './isobmff/fragment';
import { VIDEO_TRACK_ID, AUDIO_TRACK_ID } from './isobmff/init-segment';
import { aacConfigFromAdts, sameStreamConfig, videoConfigFromAccessUnit, type StreamConfig } from './stream-config';
import { accessUnits, expectedSample, fixture } from '../test/support';
import { splitAdts } from './codec/adts';

const h264 = accessUnits(fixture('h264-720p20.h264'), 'h264');
const h265 = accessUnits(fixture('h265-720p20.h265'), 'h265');
const video = videoConfigFromAccessUnit('h264', h264[0])!;
const T0 = 1_000_000_000_000_000;

/** The file so far: flushes that had nothing to write (null) add nothing. */
const concat = (parts: (Uint8Array | null)[]): Uint8Array => concatBytes(...parts.filter((p): p is Uint8Array => p !== null));

describe('FragmentedMp4Writer', () => {
  test('durations come from the timestamps; the last one from the next frame time when given', () => {
    const w = new FragmentedMp4Writer({ video }, { baseTimeUs: T0 });
    const times = [0, 48_000, 101_000, 150_000, 197_000].map((t) => T0 + t);
    times.forEach((t, i) => w.addVideoFrame({ data: h264[i], timeUs: t }));
    const bytes = concat([w.init(), w.flushFragment(T0 + 251_000)]);
    const s = readFragmentedMp4(bytes).fragments[0].samples;
    assert.deepEqual(s.map((x) => x.decodeTime), [0, 4320, 9090, 13500, 17730]);
    assert.deepEqual(s.map((x) => x.duration), [4320, 4770, 4410, 4230, 4860]);
  });

  test('without a next time the last sample repeats the previous duration; the next fragment continues', () => {
    const w = new FragmentedMp4Writer({ video }, { baseTimeUs: T0 });
    for (let i = 0; i < 40; i++) w.addVideoFrame({ data: h264[i], timeUs: T0 + i * 40_000 });
    const first = w.flushFragment();
    w.addVideoFrame({ data: h264[40], timeUs: T0 + 40 * 40_000 });
    const bytes = concat([w.init(), first, w.flushFragment()]);
    const f = readFragmentedMp4(bytes).fragments;
    assert.equal(f[0].samples[39].duration, 3600);
    assert.equal(f[1].samples[0].decodeTime, 40 * 3600);
    assert.equal(f[1].samples[0].duration, 3600, 'a lone sample takes the previous fragment’s last duration');
  });

  test('samples hold the NAL units without AUD/SPS/PPS, 4-byte length-prefixed; flags mark sync samples', () => {
    const w = new FragmentedMp4Writer({ video });
    for (let i = 0; i < 3; i++) w.addVideoFrame({ data: h264[i], timeUs: T0 + i * 50_000 });
    const bytes = concat([w.init(), w.flushFragment()]);
    const s = readFragmentedMp4(bytes).fragments[0].samples;
    s.forEach((x, i) => assert.deepEqual(bytes.subarray(x.offset, x.offset + x.size), expectedSample(h264[i], 'h264')));
    assert.deepEqual(s.map((x) => x.flags), [SAMPLE_FLAGS_SYNC, SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_NON_SYNC]);
  });

  test('fragment chunks reference the caller’s frame buffers (no copy of sample bytes)', () => {
    const w = new FragmentedMp4Writer({ video });
    w.addVideoFrame({ data: h264[0], timeUs: T0 });
    const out = w.flush()!;
    const frameChunks = out.chunks.filter((c) => c.buffer === h264[0].buffer);
    assert.ok(frameChunks.length >= 2, 'SEI and IDR slice are views into the input');
    assert.equal(out.byteLength, out.chunks.reduce((n, c) => n + c.length, 0));
    assert.equal(out.startsWithKeyframe, true);
    assert.equal(out.startUs, T0);
    assert.equal(out.endUs, T0 + 50_000);
  });

  test('moof layout: mfhd sequence numbers count up, tfhd default-base-is-moof, tfdt version 1', () => {
    const w = new FragmentedMp4Writer({ video }, { baseTimeUs: T0 });
    const parts = [w.init()];
    for (let g = 0; g < 3; g++) {
      for (let i = 0; i < 40; i++) w.addVideoFrame({ data: h264[g * 40 + i], timeUs: T0 + (g * 40 + i) * 50_000 });
      parts.push(w.flushFragment(T0 + (g + 1) * 40 * 50_000)!);
    }
    const frag = parts[2];
    const dv = new DataView(frag.buffer, frag.byteOffset);
    const type = (o: number) => String.fromCharCode(...frag.subarray(o + 4, o + 8));
    assert.equal(type(0), 'moof');
    assert.equal(type(8), 'mfhd');
    assert.equal(dv.getUint32(20), 2); // sequence_number
    assert.equal(type(24), 'traf');
    assert.equal(type(32), 'tfhd');
    assert.equal(dv.getUint32(40) & 0xffffff, 0x020000); // tf_flags: default-base-is-moof only
    assert.equal(dv.getUint32(44), VIDEO_TRACK_ID);
    assert.equal(type(48), 'tfdt');
    assert.equal(dv.getUint8(56), 1); // version 1: 64-bit baseMediaDecodeTime
    assert.equal(dv.getUint32(60) * 2 ** 32 + dv.getUint32(64), 40 * 4500);
    const file = readFragmentedMp4(concat(parts));
    assert.deepEqual(file.fragments.map((f) => f.sequenceNumber), [1, 2, 3]);
  });

  test('a 64-bit decode time survives (tfdt above 2^32 ticks)', () => {
    const w = new FragmentedMp4Writer({ video }, { baseTimeUs: 0 });
    const t = 50_000 * 1e6; // 50 000 s → 4.5e9 ticks at 90 kHz
    w.addVideoFrame({ data: h264[0], timeUs: t });
    const s = readFragmentedMp4(concat([w.init(), w.flushFragment()])).fragments[0].samples[0];
    assert.equal(s.decodeTime, 4_500_000_000);
  });

  test('timestamps that go backwards are clamped so decode times stay increasing', () => {
    const w = new FragmentedMp4Writer({ video }, { baseTimeUs: T0 });
    [0, 50_000, 40_000, 150_000].forEach((t, i) => w.addVideoFrame({ data: h264[i], timeUs: T0 + t }));
    const s = readFragmentedMp4(concat([w.init(), w.flushFragment()])).fragments[0].samples;
    for (let i = 1; i < s.length; i++) assert.ok(s[i].decodeTime > s[i - 1].decodeTime);
    assert.ok(s.every((x) => x.duration > 0));
  });

  test('the first video frame must be a keyframe', () => {
    const w = new FragmentedMp4Writer({ video });
    assert.throws(() => w.addVideoFrame({ data: h264[1], timeUs: T0 }), (e: unknown) => e instanceof MediaWriteError && e.code === 'not-keyframe');
    assert.equal(w.pendingSamples, 0);
  });

  test('a keyframe with other parameter sets throws config-changed and adds nothing', () => {
    const w = new FragmentedMp4Writer({ video });
    w.addVideoFrame({ data: h264[0], timeUs: T0 });
    const other = accessUnits(fixture('h264-360p20.h264'), 'h264')[0];
    assert.throws(() => w.addVideoFrame({ data: other, timeUs: T0 + 50_000 }), (e: unknown) => e instanceof MediaWriteError && e.code === 'config-changed');
    assert.equal(w.pendingSamples, 1);
    w.addVideoFrame({ data: h264[40], timeUs: T0 + 50_000 }); // same parameter sets: fine
    assert.equal(w.pendingSamples, 2);
    // A changed SPS on a non-keyframe is caught too (it would otherwise be dropped from the sample).
    const sps360 = videoConfigFromAccessUnit('h264', other)!.sps[0];
    const pWithSps = new Uint8Array(Buffer.concat([Buffer.from([0, 0, 0, 1]), sps360, h264[41]]));
    assert.throws(() => w.addVideoFrame({ data: pWithSps, timeUs: T0 + 100_000, keyframe: false }), (e: unknown) => e instanceof MediaWriteError && e.code === 'config-changed');
  });

  test('keyframe detection from NAL types when the caller gives no flag (H.265)', () => {
    const config: StreamConfig = { video: videoConfigFromAccessUnit('h265', h265[0])! };
    const w = new FragmentedMp4Writer(config);
    for (let i = 0; i < 42; i++) w.addVideoFrame({ data: h265[i], timeUs: T0 + i * 50_000 });
    const s = readFragmentedMp4(concat([w.init(), w.flushFragment()])).fragments[0].samples;
    assert.deepEqual(s.map((x, i) => (x.keyframe ? i : -1)).filter((i) => i >= 0), [0, 40]);
  });

  test('AAC: ADTS headers are stripped; 1024-sample nominal duration for the last frame', () => {
    const raw = fixture('aac-16k-mono.aac');
    const frames = splitAdts(raw);
    const w = new FragmentedMp4Writer({ audio: aacConfigFromAdts(raw) }, { baseTimeUs: T0 });
    let off = 0;
    frames.slice(0, 5).forEach((f, i) => {
      w.addAudioFrame({ data: raw.subarray(off, off + f.header.frameLength), timeUs: T0 + i * 64_000 });
      off += f.header.frameLength;
    });
    const bytes = concat([w.init(), w.flushFragment()]);
    const s = readFragmentedMp4(bytes).fragments[0].samples;
    assert.ok(s.every((x) => x.trackId === AUDIO_TRACK_ID && x.keyframe));
    assert.deepEqual(s.map((x) => x.duration), [1024, 1024, 1024, 1024, 1024]);
    s.forEach((x, i) => assert.deepEqual(bytes.subarray(x.offset, x.offset + x.size), frames[i].payload));
  });

  test('dropAudioFrom takes back the pending audio from a time on: the fragment ends with the video', () => {
    const raw = fixture('aac-16k-mono.aac');
    const adts = splitAdts(raw);
    const w = new FragmentedMp4Writer({ video, audio: aacConfigFromAdts(raw) }, { baseTimeUs: T0 });
    for (let i = 0; i < 4; i++) w.addVideoFrame({ data: h264[i], timeUs: T0 + i * 50_000 });
    for (let i = 0; i < 6; i++) w.addAudioFrame({ data: adts[i].payload, timeUs: T0 + i * 64_000 });
    assert.equal(w.dropAudioFrom(T0 + 200_000), 2, 'the samples at 256 and 320 ms');
    assert.equal(w.dropAudioFrom(T0 + 200_000), 0);
    const frag = w.flush()!;
    assert.deepEqual([frag.videoSamples, frag.audioSamples], [4, 4]);
    assert.equal(frag.endUs, T0 + 256_000, 'the audio frame that started before 200 ms is kept whole');
    const s = readFragmentedMp4(concat([w.init(), concatBytes(...frag.chunks)])).fragments[0].samples;
    assert.equal(s.filter((x) => x.trackId === AUDIO_TRACK_ID).length, 4);
    assert.equal(new FragmentedMp4Writer({ video }).dropAudioFrom(T0), 0, 'no audio track');
  });

  test('AAC: one payload with several ADTS frames becomes several samples, 1024 samples apart', () => {
    const raw = fixture('aac-16k-mono.aac');
    const frames = splitAdts(raw);
    const three = raw.subarray(0, frames.slice(0, 3).reduce((n, f) => n + f.header.frameLength, 0));
    const w = new FragmentedMp4Writer({ audio: aacConfigFromAdts(raw) }, { baseTimeUs: T0 });
    w.addAudioFrame({ data: three, timeUs: T0 });
    const bytes = concat([w.init(), w.flushFragment()]);
    const s = readFragmentedMp4(bytes).fragments[0].samples;
    assert.deepEqual(s.map((x) => x.decodeTime), [0, 1024, 2048]);
    s.forEach((x, i) => assert.deepEqual(bytes.subarray(x.offset, x.offset + x.size), frames[i].payload));
  });

  test('flush with nothing pending returns null; a writer needs a track', () => {
    assert.equal(new FragmentedMp4Writer({ video }).flushFragment(), null);
    assert.throws(() => new FragmentedMp4Writer({}), MediaWriteError);
    assert.throws(() => new FragmentedMp4Writer({ video }).addAudioFrame({ data: new Uint8Array(4), timeUs: 0 }), MediaWriteError);
  });
});

describe('sameStreamConfig', () => {
  test('same parameter sets → same; other resolution, codec or audio → different', () => {
    const a: StreamConfig = { video };
    assert.ok(sameStreamConfig(a, { video: videoConfigFromAccessUnit('h264', h264[80])! }));
    const small = videoConfigFromAccessUnit('h264', accessUnits(fixture('h264-360p20.h264'), 'h264')[0])!;
    assert.equal(small.width, 640);
    assert.ok(!sameStreamConfig(a, { video: small }));
    assert.ok(!sameStreamConfig(a, { video: videoConfigFromAccessUnit('h265', h265[0])! }));
    const aac = aacConfigFromAdts(fixture('aac-16k-mono.aac'));
    assert.ok(!sameStreamConfig(a, { video, audio: aac }));
    assert.ok(sameStreamConfig({ video, audio: aac }, { video, audio: { ...aac } }));
    assert.ok(!sameStreamConfig({ video, audio: aac }, { video, audio: { kind: 'audio', codec: 'pcmu', sampleRate: 16000, channels: 1 } }));
  });

  test('videoConfigFromAccessUnit: null without parameter sets; copies them out of the frame buffer', () => {
    assert.equal(videoConfigFromAccessUnit('h264', h264[1]), null);
    assert.notEqual(video.sps[0].buffer, h264[0].buffer);
  });
});
