import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { splitAnnexB, h264NalType, h265NalType } from '@wyze-nvr/media';
import { Codec, type MediaFrame } from '@wyze-nvr/tutk';
import { detectVideoCodec, splitAccessUnits } from './access-units';
import { FileMediaSource, loadFileMedia } from './file-media-source';

const FIX = join(__dirname, '../../../test/fixtures/media');
const H264 = join(FIX, 'h264-720p20.h264');
const H265 = join(FIX, 'h265-720p20.h265');
const AAC = join(FIX, 'aac-16k-mono.aac');
const ULAW = join(FIX, 'ulaw-8k-mono.ulaw');

async function take(src: FileMediaSource, n: number): Promise<MediaFrame[]> {
  const ctl = new AbortController();
  const out: MediaFrame[] = [];
  for await (const f of src.frames(ctl.signal)) {
    out.push(f);
    if (out.length === n) ctl.abort();
  }
  return out;
}

describe('splitAccessUnits', () => {
  for (const [file, codec] of [[H264, 'h264'], [H265, 'h265']] as const) {
    it(`${codec}: 200 units, one keyframe every 40, parameter sets lead each keyframe, bytes cover the file`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      assert.equal(detectVideoCodec(bytes), codec);
      const units = splitAccessUnits(bytes, codec);
      assert.equal(units.length, 200);
      assert.deepEqual(units.flatMap((u, i) => (u.keyframe ? [i] : [])), [0, 40, 80, 120, 160]);
      assert.equal(units.reduce((n, u) => n + u.data.length, 0), bytes.length);
      for (const u of units) {
        const types = splitAnnexB(u.data).map((n) => (codec === 'h264' ? h264NalType(n) : h265NalType(n)));
        // AUD first, then (keyframes) the parameter sets before any slice.
        assert.equal(types[0], codec === 'h264' ? 9 : 35);
        if (u.keyframe) assert.deepEqual(types.slice(1, codec === 'h264' ? 3 : 4), codec === 'h264' ? [7, 8] : [32, 33, 34]);
      }
    });
  }

  it('without AUDs, cuts at parameter sets and first slices', () => {
    const sc = [0, 0, 0, 1];
    // SPS, PPS, IDR(first), IDR(second slice), P(first), P(first)
    const nals = [[0x67, 1], [0x68, 1], [0x65, 0x88], [0x65, 0x20], [0x41, 0x9a], [0x41, 0x9b]];
    const stream = Uint8Array.from(nals.flatMap((n) => [...sc, ...n]));
    const units = splitAccessUnits(stream, 'h264');
    assert.deepEqual(units.map((u) => u.data.length), [24, 6, 6]);
    assert.deepEqual(units.map((u) => u.keyframe), [true, false, false]);
  });
});

describe('FileMediaSource', () => {
  it('interleaves AAC with H.264 by timestamp and loops with continuing timestamps', async () => {
    const media = loadFileMedia({ video: H264, audio: AAC });
    assert.equal(media.audioCodec, 'aac');
    assert.equal(media.audio[1].timestampUs, 64_000);
    const src = new FileMediaSource({ video: H264, audio: AAC, speed: Infinity, loop: true });
    const frames = await take(src, media.video.length + media.audio.length + 50);
    for (let i = 1; i < frames.length; i++) assert.ok(frames[i].timestampUs >= frames[i - 1].timestampUs, `frame ${i} goes back`);
    const video = frames.filter((f) => f.kind === 'video');
    assert.ok(video.length > 200);
    assert.equal(video[200].timestampUs, 10_000_000);
    assert.equal(video[200].data, src.media.video[0].data);
    assert.equal(video[0].keyframe, true);
    assert.equal(frames.find((f) => f.kind === 'audio')!.codec, Codec.AacWyze);
  });

  it('G.711: 160-byte frames, 20 ms apart; stops at the end without loop', async () => {
    const src = new FileMediaSource({ video: H265, audio: ULAW, speed: 0, loop: false });
    const frames = await take(src, 1e6);
    const audio = frames.filter((f) => f.kind === 'audio');
    assert.equal(audio.length, 500);
    assert.ok(audio.every((f) => f.data.length === 160 && f.codec === Codec.Pcmu && f.sampleRate === 8000));
    assert.equal(audio[3].timestampUs, 60_000);
    assert.equal(frames.filter((f) => f.kind === 'video').length, 200);
    assert.equal(frames[0].codec, Codec.H265);
  });

  it('paces against the start time: 1 s of media at 4× is due after 250 ms, not earlier', async () => {
    const src = new FileMediaSource({ video: H264, speed: 4 });
    const t0 = performance.now();
    const frames = await take(src, 21);
    assert.equal(frames[20].timestampUs, 1_000_000);
    assert.ok(performance.now() - t0 >= 245);
  });

  it('says whether it has audio, which the camera reports in K10003 (FACTS §9.3)', () => {
    assert.equal(new FileMediaSource({ video: H264 }).hasAudio, false);
    assert.equal(new FileMediaSource({ video: H264, audio: AAC }).hasAudio, true);
    assert.equal(new FileMediaSource({ video: H265, audio: ULAW }).hasAudio, true);
  });

  it('abort ends the stream with no timer left', async () => {
    const src = new FileMediaSource({ video: H264, speed: 1 });
    const ctl = new AbortController();
    const it = src.frames(ctl.signal)[Symbol.asyncIterator]();
    await it.next();
    const pending = it.next();
    ctl.abort();
    assert.equal((await pending).done, true);
  });
});
