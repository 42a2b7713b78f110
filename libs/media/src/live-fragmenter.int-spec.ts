// The live fragmenter's stream (one init segment, one moof + mdat per frame) read back by three independent
// readers: ffprobe/ffmpeg (decode with -v error, PCM of the FLAC track), mp4box.js, and our own reader.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { concatBytes } from '@wyze-nvr/bytes';
import { splitAdts } from './codec/adts';
import { FlacEncoder } from './codec/flac-encoder';
import { ULAW_TO_PCM16, decodeG711 } from './codec/g711';
import { readFragmentedMp4 } from './fmp4-reader';
import { AUDIO_TRACK_ID, VIDEO_TRACK_ID } from './isobmff/init-segment';
import { LiveFragmenter } from './live-fragmenter';
import { aacConfigFromAdts, codecsParameter, mp4MimeType, videoConfigFromAccessUnit, type StreamConfig } from './stream-config';
import { accessUnits, expectedSample, ffprobeJson, fixture, jitterUs, readWithMp4box, run, sha1 } from '../test/support';

const BASE_US = 1_760_000_000_000_000;
let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'media-live-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

interface LiveStream {
  bytes: Uint8Array;
  fragments: number;
  video: { timeUs: number; sample: Uint8Array; keyframe: boolean }[];
  config: StreamConfig;
}

/** 8 s of the 720p fixture from its second keyframe (as a viewer joining mid-stream gets it), frame by frame, with audio interleaved by time. */
function liveStream(audio: 'flac' | 'aac'): LiveStream {
  const aus = accessUnits(fixture('h264-720p20.h264'), 'h264').slice(40);
  const video = videoConfigFromAccessUnit('h264', aus[0])!;
  const startUs = BASE_US + 7_000_000;
  const parts: Uint8Array[] = [];
  const expected: LiveStream['video'] = [];
  type Item = { timeUs: number; add: (f: LiveFragmenter) => Uint8Array | null };
  const items: Item[] = aus.map((au, i) => {
    const timeUs = startUs + i * 50_000 + (i > 0 ? jitterUs(i) : 0);
    const keyframe = i % 40 === 0;
    expected.push({ timeUs, sample: expectedSample(au, 'h264'), keyframe });
    return { timeUs, add: (f) => f.video(au, timeUs, keyframe) };
  });
  let config: StreamConfig;
  if (audio === 'flac') {
    const enc = new FlacEncoder({ sampleRate: 8000, channels: 1 });
    config = { video, audio: { kind: 'audio', codec: 'flac', sampleRate: 8000, channels: 1, streamInfo: enc.streamInfo(), codecString: 'flac' } };
    const u = fixture('ulaw-8k-mono.ulaw');
    for (let k = 0; (k + 1) * 160 <= u.length && k * 20_000 < aus.length * 50_000; k++) {
      const pcm = decodeG711(u.subarray(k * 160, (k + 1) * 160), ULAW_TO_PCM16);
      items.push({ timeUs: startUs + k * 20_000 + (k % 3) * 700, add: (f) => f.audio([enc.encode(pcm)], [160], startUs + k * 20_000 + (k % 3) * 700) });
    }
  } else {
    const adts = fixture('aac-16k-mono.aac');
    config = { video, audio: aacConfigFromAdts(adts) };
    splitAdts(adts).forEach((a, k) => {
      const t = startUs + Math.round((k * 1024 * 1e6) / 16000);
      if (t < startUs + aus.length * 50_000) items.push({ timeUs: t, add: (f) => f.audio([a.payload], [1024], t) });
    });
  }
  items.sort((a, b) => a.timeUs - b.timeUs);
  const f = new LiveFragmenter(config, { timeBaseUs: BASE_US });
  parts.push(f.init());
  let fragments = 0;
  for (const it of items) {
    const frag = it.add(f);
    if (frag) {
      parts.push(frag);
      fragments++;
    }
  }
  return { bytes: concatBytes(...parts), fragments, video: expected, config };
}

describe('live fragmenter: one fragment per frame', () => {
  for (const audio of ['flac', 'aac'] as const) {
    test(`H.264 + ${audio}: ffprobe, a clean ffmpeg decode, mp4box and our reader agree with the input`, () => {
      const live = liveStream(audio);
      const path = join(dir, `live-${audio}.mp4`);
      writeFileSync(path, live.bytes);
      assert.equal(codecsParameter(live.config), `${live.config.video!.codecString},${audio === 'flac' ? 'flac' : 'mp4a.40.2'}`);
      assert.equal(mp4MimeType(live.config), `video/mp4; codecs="${codecsParameter(live.config)}"`);

      const probe = ffprobeJson(path);
      const v = probe.streams.find((s) => s.codec_type === 'video')!;
      const a = probe.streams.find((s) => s.codec_type === 'audio')!;
      assert.equal(v.codec_name, 'h264');
      assert.equal([v.width, v.height].join('x'), '1280x720');
      assert.equal(Number(v.nb_read_frames), live.video.length);
      assert.equal(a.codec_name, audio);
      const dec = run('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-f', 'null', '-']);
      assert.equal(dec.status, 0);
      assert.equal(dec.stderr + dec.stdout, '', 'ffmpeg -v error prints nothing');

      const mine = readFragmentedMp4(live.bytes);
      assert.equal(mine.fragments.length, live.fragments, 'one fragment per frame');
      assert.ok(mine.fragments.every((fr) => fr.samples.length === 1));
      const vs = mine.fragments.flatMap((fr) => fr.samples.filter((s) => s.trackId === VIDEO_TRACK_ID));
      assert.equal(vs.length, live.video.length);
      vs.forEach((s, i) => {
        const want = live.video[i];
        assert.equal(sha1(live.bytes.subarray(s.offset, s.offset + s.size)), sha1(want.sample), `video sample ${i} bytes`);
        assert.equal(s.decodeTime, Math.round(((want.timeUs - BASE_US) * 90000) / 1e6), `video sample ${i} decode time`);
        assert.equal(s.keyframe, want.keyframe, `video sample ${i} sync flag`);
      });

      const box = readWithMp4box(live.bytes);
      assert.equal(box.samples.get(VIDEO_TRACK_ID)!.length, live.video.length, 'mp4box video samples');
      assert.ok(box.samples.get(AUDIO_TRACK_ID)!.length > 0, 'mp4box audio samples');
    });
  }

  test('the FLAC track decodes to exactly the µ-law expansion of what the camera sent', () => {
    const live = liveStream('flac');
    const path = join(dir, 'live-pcm.mp4');
    writeFileSync(path, live.bytes);
    const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a', '-f', 's16le', '-'], { maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(r.stderr.toString(), '');
    const pcm = new Int16Array(r.stdout.buffer.slice(r.stdout.byteOffset, r.stdout.byteOffset + r.stdout.length));
    const u = fixture('ulaw-8k-mono.ulaw');
    const want = decodeG711(u.subarray(0, pcm.length), ULAW_TO_PCM16);
    assert.equal(pcm.length, live.video.length * 50_000 / 20_000 * 160, 'every audio frame of the 8 s');
    assert.deepEqual(pcm, want);
  });
});
