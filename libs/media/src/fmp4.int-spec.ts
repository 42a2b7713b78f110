// Writer round trip checked by three independent readers: ffprobe/ffmpeg, mp4box.js, and our own reader.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFragmentedMp4, sampleTimeUs } from './fmp4-reader';
import { copyFragments } from './fragment-copy';
import { AUDIO_TRACK_ID, VIDEO_TRACK_ID } from './isobmff/init-segment';
import { FIXTURES, ffprobeJson, fixture, readWithMp4box, recordFixture, run, sha1, type Recording } from '../test/support';

const START_US = 1_760_000_000_123_456; // an arbitrary wall-clock time, not a multiple of a tick
let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'media-int-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

function save(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function ffmpegErrors(path: string): string {
  const r = run('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-']);
  assert.equal(r.status, 0, r.stderr);
  return r.stderr + r.stdout;
}

/** Video packet pts (in the stream time base) as ffprobe sees them. */
function ffprobeVideoPts(path: string): number[] {
  const r = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts', '-of', 'csv=p=0', path]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map(Number);
}

/** Decode time (ticks) the writer must give a sample at `timeUs` in a file starting at `startUs`. */
const ticks = (timeUs: number, startUs: number, timescale: number) => Math.round(((timeUs - startUs) * timescale) / 1e6);

function checkAgainstInput(rec: Recording, path: string, expect: { video: string; audio: string; tag: string; rate: number }) {
  // (a) ffprobe: codecs, size, frame counts.
  const probe = ffprobeJson(path);
  const v = probe.streams.find((s) => s.codec_type === 'video')!;
  const a = probe.streams.find((s) => s.codec_type === 'audio')!;
  assert.equal(v.codec_name, expect.video);
  assert.equal(v.width, 1280);
  assert.equal(v.height, 720);
  assert.equal(Number(v.nb_read_frames), rec.video.length);
  assert.equal(a.codec_name, expect.audio);
  assert.equal(a.codec_tag_string, expect.tag);
  assert.equal(Number(a.sample_rate), expect.rate);
  assert.equal(a.channels, 1);
  // ffprobe's packet times equal the input timestamps on the 90 kHz grid.
  assert.deepEqual(ffprobeVideoPts(path), rec.video.map((s) => ticks(s.timeUs, rec.startUs, 90000)));

  // (b) a full decode reports nothing.
  assert.equal(ffmpegErrors(path), '');

  // (c) our reader: counts, times, durations, bytes.
  const file = readFragmentedMp4(rec.file);
  assert.equal(file.truncated, false);
  assert.equal(file.completeLength, rec.file.length);
  assert.equal(file.fragments.length, rec.fragments);
  assert.deepEqual(file.fragments.map((f) => f.sequenceNumber), file.fragments.map((_, i) => i + 1));
  const ours = (trackId: number) => file.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === trackId));
  const box = readWithMp4box(rec.file);
  for (const [trackId, expected] of [[VIDEO_TRACK_ID, rec.video], [AUDIO_TRACK_ID, rec.audio]] as const) {
    const track = file.tracks.find((t) => t.trackId === trackId)!;
    const samples = ours(trackId);
    const boxSamples = box.samples.get(trackId)!;
    assert.equal(samples.length, expected.length, `track ${trackId}: our sample count`);
    assert.equal(boxSamples.length, expected.length, `track ${trackId}: mp4box sample count`);
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i];
      const s = samples[i];
      const b = boxSamples[i];
      const dts = ticks(want.timeUs, rec.startUs, track.timescale);
      assert.equal(s.decodeTime, dts, `track ${trackId} sample ${i} decode time`);
      assert.equal(b.dts, dts, `track ${trackId} sample ${i} mp4box dts`);
      assert.equal(Math.abs(sampleTimeUs(track, s.decodeTime) + rec.startUs - want.timeUs) <= 1e6 / track.timescale, true);
      if (i + 1 < expected.length) {
        const duration = ticks(expected[i + 1].timeUs, rec.startUs, track.timescale) - dts;
        assert.equal(s.duration, duration, `track ${trackId} sample ${i} duration from timestamps`);
      }
      assert.equal(b.duration, s.duration);
      assert.equal(s.keyframe, want.keyframe);
      assert.equal(b.isSync, want.keyframe);
      const wantHash = sha1(want.bytes);
      assert.equal(sha1(rec.file.subarray(s.offset, s.offset + s.size)), wantHash, `track ${trackId} sample ${i} bytes (ours)`);
      assert.equal(sha1(b.data), wantHash, `track ${trackId} sample ${i} bytes (mp4box)`);
    }
  }
  return box;
}

describe('fMP4 writer round trip', () => {
  test('H.264 + AAC, jittered timestamps: ffprobe, ffmpeg, mp4box and our reader agree with the input', () => {
    const rec = recordFixture({ video: 'h264', audio: 'aac', startUs: START_US, jitter: true });
    const path = save('h264-aac.mp4', rec.file);
    const box = checkAgainstInput(rec, path, { video: 'h264', audio: 'aac', tag: 'mp4a', rate: 16000 });
    assert.equal(box.tracks.find((t) => t.id === VIDEO_TRACK_ID)!.codec, rec.config.video!.codecString);
    assert.equal(box.tracks.find((t) => t.id === AUDIO_TRACK_ID)!.codec, 'mp4a.40.2');
    assert.equal(rec.fragments, 5); // one per GOP
  });

  test('H.265 + G.711 µ-law (ulaw sample entry): same checks', () => {
    const rec = recordFixture({ video: 'h265', audio: 'pcmu', startUs: START_US, jitter: true });
    const path = save('h265-pcmu.mp4', rec.file);
    const box = checkAgainstInput(rec, path, { video: 'hevc', audio: 'pcm_mulaw', tag: 'ulaw', rate: 8000 });
    // mp4box derives the codec string from our hvcC; it must match the one from the SPS.
    assert.equal(box.tracks.find((t) => t.id === VIDEO_TRACK_ID)!.codec, rec.config.video!.codecString);
  });

  test('G.711 decodes to the same PCM as ffmpeg decoding the raw fixture, in all four storages', () => {
    const reference = run('sh', ['-c', `ffmpeg -v error -f mulaw -ar 8000 -ac 1 -i '${join(__dirname, '../../../test/fixtures/media/ulaw-8k-mono.ulaw')}' -f s16le - | sha1sum`]);
    for (const storage of ['ulaw', 'ipcm', 'sowt', 'twos'] as const) {
      const rec = recordFixture({ video: 'h265', audio: 'pcmu', startUs: START_US, g711Storage: storage });
      const path = save(`g711-${storage}.mp4`, rec.file);
      assert.equal(ffmpegErrors(path), '');
      const decoded = run('sh', ['-c', `ffmpeg -v error -i '${path}' -map 0:a -f s16le - | sha1sum`]);
      assert.equal(decoded.stdout, reference.stdout, storage);
      assert.equal(readWithMp4box(rec.file).samples.get(AUDIO_TRACK_ID)!.length, rec.audio.length, `${storage}: mp4box`);
    }
    assert.ok(fixture('ulaw-8k-mono.ulaw').length === 80000);
  });

  test('truncated recording: the complete fragments still decode and the reader reports the cut', () => {
    const rec = recordFixture({ video: 'h264', audio: 'aac', startUs: START_US });
    const cut = rec.file.subarray(0, rec.file.length - 12345);
    const file = readFragmentedMp4(cut);
    assert.equal(file.truncated, true);
    assert.equal(file.fragments.length, rec.fragments - 1);
    const path = save('recovered.mp4', cut.subarray(0, file.completeLength));
    assert.equal(ffmpegErrors(path), '');
    assert.equal(Number(ffprobeJson(path).streams.find((s) => s.codec_type === 'video')!.nb_read_frames), 160);
  });
});

describe('reader on files from another writer', () => {
  for (const flags of ['frag_keyframe+empty_moov+default_base_moof', 'frag_keyframe+empty_moov']) {
    test(`ffmpeg fMP4 (${flags}): same samples as mp4box sees`, () => {
      const path = join(dir, `ffmpeg-${flags.length}.mp4`);
      const r = run('ffmpeg', [
        '-v', 'error', '-y', '-r', '20', '-i', join(FIXTURES, 'h264-720p20.h264'), '-i', join(FIXTURES, 'aac-16k-mono.aac'),
        '-c', 'copy', '-bsf:a', 'aac_adtstoasc', '-movflags', flags, '-f', 'mp4', path,
      ]);
      assert.equal(r.status, 0, r.stderr);
      const bytes = new Uint8Array(readFileSync(path));
      const ours = readFragmentedMp4(bytes);
      assert.equal(ours.truncated, false);
      const box = readWithMp4box(bytes);
      for (const t of ours.tracks) {
        const mine = ours.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === t.trackId));
        const theirs = box.samples.get(t.trackId)!;
        assert.equal(mine.length, theirs.length, `track ${t.trackId} count`);
        mine.forEach((s, i) => {
          assert.equal(s.decodeTime, theirs[i].dts, `track ${t.trackId} sample ${i} dts`);
          assert.equal(s.duration, theirs[i].duration);
          assert.equal(s.keyframe, theirs[i].isSync);
          assert.equal(sha1(bytes.subarray(s.offset, s.offset + s.size)), sha1(theirs[i].data));
        });
      }
      const video = ours.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === ours.tracks.find((t) => t.kind === 'video')!.trackId));
      assert.equal(video.length, 200);
      assert.deepEqual(video.map((s, i) => (s.keyframe ? i : -1)).filter((i) => i >= 0), [0, 40, 80, 120, 160]);
    });
  }
});

describe('fragment copy (range export without re-encoding)', () => {
  for (const [videoCodec, audioCodec] of [['h264', 'aac'], ['h265', 'pcmu']] as const) {
    test(`${videoCodec} + ${audioCodec}: three segments, range from a non-keyframe: starts at the preceding keyframe, frames byte-identical`, () => {
      // One 10 s stream cut into three files at keyframes 80 and 160, as the segmenter would.
      const bounds: [number, number][] = [[0, 80], [80, 160], [160, 200]];
      const recs = bounds.map(([from, to]) =>
        recordFixture({ video: videoCodec, audio: audioCodec, startUs: START_US + from * 50_000, frames: [from, to] }),
      );
      const all = recs.flatMap((r) => r.video);
      const fromUs = START_US + 95 * 50_000 + 10_000; // inside frame 95, not a keyframe
      const toUs = START_US + 180 * 50_000; // exclusive: frames up to 179
      const out = copyFragments(recs.map((r) => ({ data: r.file, startUs: r.startUs })), { fromUs, toUs });
      assert.equal(out.startUs, START_US + 80 * 50_000, 'time zero is keyframe 80');
      const bytes = new Uint8Array(Buffer.concat(out.chunks));
      assert.equal(bytes.length, out.byteLength);
      const path = save(`export-${videoCodec}.mp4`, bytes);
      assert.equal(ffmpegErrors(path), '');
      const probe = ffprobeJson(path);
      assert.equal(Number(probe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames), 100);

      const file = readFragmentedMp4(bytes);
      assert.deepEqual(file.fragments.map((f) => f.sequenceNumber), [1, 2, 3]);
      const video = file.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === VIDEO_TRACK_ID));
      assert.equal(video.length, 100);
      assert.equal(video[0].keyframe, true);
      assert.equal(video[0].decodeTime, 0);
      video.forEach((s, i) => {
        const want = all[80 + i];
        assert.equal(s.decodeTime, ticks(want.timeUs, out.startUs, 90000), `frame ${80 + i} time`);
        assert.equal(sha1(bytes.subarray(s.offset, s.offset + s.size)), sha1(want.bytes), `frame ${80 + i} bytes`);
      });
      // Decode times run on without gaps or overlaps across the file boundary.
      for (let i = 0; i + 1 < video.length; i++) assert.equal(video[i].decodeTime + video[i].duration, video[i + 1].decodeTime);
      // Audio is kept from time zero up to the end.
      const audio = file.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === AUDIO_TRACK_ID));
      assert.ok(audio.length > 0);
      assert.ok(audio.every((s) => s.decodeTime >= 0 && sampleTimeUs(file.tracks[1], s.decodeTime) < toUs - out.startUs));
      // mp4box agrees.
      const box = readWithMp4box(bytes);
      assert.equal(box.samples.get(VIDEO_TRACK_ID)!.length, 100);
      assert.equal(box.samples.get(AUDIO_TRACK_ID)!.length, audio.length);
    });
  }
});
