import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFragmentedMp4, type FragmentOutput } from '@wyze-nvr/media';
import { fixtureMedia } from '../testing/fixture-media';
import type { SegmentFile, SegmentFileSystem } from './segment-file';
import { Segmenter, SegmentWriteError, type SegmentListener, type SegmentRecord, type TimedFrame } from './segmenter';

class MemoryFiles implements SegmentFileSystem {
  readonly files = new Map<string, { chunks: Uint8Array[]; closed: boolean; writes: number }>();
  failWritesAfter = Infinity;
  private writes = 0;

  async create(path: string): Promise<SegmentFile> {
    const f = { chunks: [] as Uint8Array[], closed: false, writes: 0 };
    this.files.set(path, f);
    return {
      write: async (chunks: Uint8Array[]) => {
        if (++this.writes > this.failWritesAfter) throw new Error('ENOSPC');
        f.writes++;
        f.chunks.push(Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
      },
      close: async () => {
        f.closed = true;
      },
      abandon: async () => {},
    };
  }

  bytes(path: string): Uint8Array {
    return Buffer.concat(this.files.get(path)!.chunks);
  }
}

function recordingListener() {
  const opened: SegmentRecord[] = [];
  const fragments: FragmentOutput[] = [];
  const closed: SegmentRecord[] = [];
  const l: SegmentListener = {
    opened: (s) => opened.push({ ...s }),
    fragment: (_s, f) => fragments.push(f),
    closed: (s) => closed.push({ ...s }),
  };
  return { l, opened, fragments, closed };
}

const T0 = 1_790_000_000_000_000;

function timed(frames: ReturnType<typeof fixtureMedia>['frames'], periodUs: number, loops: number, offset = T0): TimedFrame[] {
  const out: TimedFrame[] = [];
  for (let r = 0; r < loops; r++) {
    for (const f of frames) out.push({ kind: f.kind, codec: f.codec, data: f.data, timeUs: offset + r * periodUs + f.timestampUs, sampleRate: f.sampleRate, channels: f.channels });
  }
  return out;
}

async function feed(s: Segmenter, frames: TimedFrame[]): Promise<void> {
  for (const f of frames) {
    const p = s.push(f);
    if (p) await p;
  }
}

describe('Segmenter', () => {
  it('writes contiguous files of whole GOPs, one fragment per GOP, every sample accounted for (H.264 + AAC)', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const files = new MemoryFiles();
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 7, root: '/rec', segmentUs: 5_000_000, files, listener: ev.l });
    const input = timed(frames, periodUs, 2);
    await feed(s, input);
    await s.close();

    assert.equal(ev.closed.length, 4); // 20 s in 5 s files (GOP 2 s → cuts at 6, 10, 16 s)
    const sentVideo = input.filter((f) => f.kind === 'video').length;
    const sentAudio = input.filter((f) => f.kind === 'audio').length;
    let video = 0;
    let audio = 0;
    for (let i = 0; i < ev.closed.length; i++) {
      const r = ev.closed[i];
      assert.equal(r.state, 'closed');
      assert.match(r.path, /^\/rec\/7\/2026-09-21\/\d\d\/\d+\.mp4$/);
      assert.ok(r.path.endsWith(`/${r.startUs}.mp4`));
      if (i > 0) assert.equal(r.startUs, ev.closed[i - 1].endUs, `file ${i} starts where ${i - 1} ends`);
      const mp4 = readFragmentedMp4(files.bytes(r.path));
      assert.equal(mp4.truncated, false);
      const v = mp4.tracks.find((t) => t.kind === 'video')!;
      const a = mp4.tracks.find((t) => t.kind === 'audio')!;
      assert.equal(v.sampleEntryType, 'avc1');
      assert.equal(a.sampleEntryType, 'mp4a');
      for (const frag of mp4.fragments) {
        const vs = frag.samples.filter((x) => x.trackId === v.trackId);
        assert.ok(vs[0].keyframe, 'every fragment starts with a keyframe');
        assert.equal(vs.filter((x) => x.keyframe).length, 1, 'one GOP per fragment');
      }
      const nv = mp4.fragments.flatMap((f) => f.samples).filter((x) => x.trackId === v.trackId).length;
      const na = mp4.fragments.flatMap((f) => f.samples).filter((x) => x.trackId === a.trackId).length;
      assert.equal(nv, r.videoFrames);
      assert.equal(na, r.audioFrames);
      assert.equal(files.bytes(r.path).length, r.bytes);
      video += nv;
      audio += na;
    }
    assert.equal(video, sentVideo);
    assert.equal(audio, sentAudio);
    assert.equal(ev.closed[0].startUs, T0);
    // the last file ends with its last sample: the final AAC frame runs 48 ms past the last video frame
    assert.equal(ev.closed[3].endUs, T0 + 2 * periodUs + 48_000);
    assert.equal(ev.fragments.length, 10);
  });

  it('stores H.265 with G.711 µ-law as hvc1 + ulaw', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h265', audio: 'pcmu' });
    const files = new MemoryFiles();
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files, listener: ev.l });
    await feed(s, timed(frames, periodUs, 1));
    await s.close();
    assert.equal(ev.closed.length, 1);
    const mp4 = readFragmentedMp4(files.bytes(ev.closed[0].path));
    assert.deepEqual(mp4.tracks.map((t) => t.sampleEntryType).sort(), ['hvc1', 'ulaw']);
    assert.equal(ev.closed[0].audioCodec, 'ulaw');
    assert.equal(ev.closed[0].videoFrames, 200);
    assert.equal(ev.closed[0].audioFrames, 500);
    assert.equal(ev.closed[0].keyframes, 5);
  });

  it('starts a new file when the resolution changes', async () => {
    const a = fixtureMedia({ video: 'h264', audio: 'none' });
    const b = fixtureMedia({ video: 'h264', videoFile: 'h264-360p20.h264', audio: 'none' });
    const files = new MemoryFiles();
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files, listener: ev.l });
    await feed(s, [...timed(a.frames, a.periodUs, 1), ...timed(b.frames, b.periodUs, 1, T0 + a.periodUs)]);
    await s.close();
    assert.deepEqual(
      ev.closed.map((r) => [r.width, r.height, r.videoFrames]),
      [
        [1280, 720, 200],
        [640, 360, 40],
      ],
    );
    assert.equal(ev.closed[1].startUs, ev.closed[0].endUs);
  });

  it('drops frames before the first keyframe and waits for audio before opening the first file', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const all = timed(frames, periodUs, 1);
    const firstP = all.findIndex((f) => f.kind === 'video' && f.timeUs > T0);
    const files = new MemoryFiles();
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files, listener: ev.l });
    // start mid-GOP: P-frames first
    const start = all.findIndex((f, i) => i > firstP && f.kind === 'video' && f.timeUs >= T0 + 1_000_000);
    await feed(s, all.slice(start));
    await s.close();
    assert.ok(s.drops.beforeKeyframe > 0);
    const mp4 = readFragmentedMp4(files.bytes(ev.closed[0].path));
    assert.equal(mp4.tracks.length, 2, 'the file has the audio track although audio followed the keyframe');
    assert.equal(ev.closed[0].startUs, T0 + 2_000_000);
  });

  it('reports a write error, marks the file damaged and starts again at the next keyframe', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const files = new MemoryFiles();
    files.failWritesAfter = 3; // init, GOP 1, GOP 2, then ENOSPC
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files, listener: ev.l });
    const input = timed(frames, periodUs, 1);
    let error: unknown;
    let i = 0;
    for (; i < input.length; i++) {
      try {
        const p = s.push(input[i]);
        if (p) await p;
      } catch (e) {
        error = e;
        break;
      }
    }
    assert.ok(error instanceof SegmentWriteError);
    assert.equal(ev.closed.length, 1);
    assert.equal(ev.closed[0].state, 'damaged');
    assert.equal(ev.closed[0].videoFrames, 80);
    assert.equal(s.current, undefined);
  });

  it('gives each video frame buffer back once, only after the fragment that reads it is written (release)', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    // Every frame in a buffer of its own, as a pool hands them out.
    const input = timed(frames, periodUs, 2).map((f) => ({ ...f, data: Uint8Array.from(f.data) }));
    const run = async (release?: (d: Uint8Array) => void) => {
      const files = new MemoryFiles();
      // The file takes the bytes only after a turn of the event loop, as the kernel copies an async write.
      const create = files.create.bind(files);
      files.create = async (path) => {
        const f = await create(path);
        return { ...f, write: async (chunks, n) => {
          await new Promise((r) => setImmediate(r));
          await f.write(chunks, n);
        } };
      };
      const ev = recordingListener();
      const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 5_000_000, files, listener: ev.l, release });
      // Frames are fed as the recorder does: it awaits a write before the next frame.
      await feed(s, input.map((f) => ({ ...f, data: Uint8Array.from(f.data) })));
      await s.close();
      return ev.closed.map((r) => Buffer.from(files.bytes(r.path)).toString('base64'));
    };
    const expected = await run();
    const released = new Set<Uint8Array>();
    let twice = 0;
    const got = await run((d) => {
      if (released.has(d)) twice++;
      released.add(d);
      d.fill(0xee); // a reused buffer: anything still to be written from it would be garbage
    });
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) assert.ok(got[i] === expected[i], `file ${i} differs: a buffer was given back before its fragment was written`);
    assert.equal(twice, 0, 'a buffer was given back twice');
    assert.equal(released.size, input.filter((f) => f.kind === 'video').length, 'every video frame given back by close()');
  });

  it('gives back frames it drops at once, and what the open file held when it is abandoned', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const all = timed(frames, periodUs, 1).map((f) => ({ ...f, data: Uint8Array.from(f.data) }));
    const released: Uint8Array[] = [];
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files: new MemoryFiles(), listener: recordingListener().l, release: (d) => released.push(d) });
    // P-frames before the first keyframe are dropped and given back as they come.
    const firstKey = all.findIndex((f) => f.kind === 'video' && f.timeUs >= T0 + 2_000_000);
    const before = all.slice(all.findIndex((f) => f.kind === 'video' && f.timeUs > T0), firstKey).filter((f) => f.kind === 'video');
    for (const f of before) {
      assert.equal(s.push(f), undefined);
      assert.equal(released.at(-1), f.data);
    }
    assert.equal(released.length, before.length);
    // Then a GOP and a half: the first GOP is written and given back at the next keyframe; the rest on abandon.
    const rest = all.slice(firstKey).filter((f) => f.timeUs < T0 + 5_000_000);
    await feed(s, rest);
    const written = released.length - before.length;
    assert.equal(written, rest.filter((f) => f.kind === 'video' && f.timeUs < T0 + 4_000_000).length);
    await s.abandon();
    assert.equal(released.length, before.length + rest.filter((f) => f.kind === 'video').length);
  });

  it('cut at a hole: the file ends with its last video frame, the audio after it is not kept, the keyframe starts the next file', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const all = timed(frames, periodUs, 1);
    const files = new MemoryFiles();
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files, listener: ev.l });
    const lostFrom = T0 + 2_500_000;
    const resume = T0 + 4_000_000; // the keyframe after the hole (GOP 2 s)
    const before = all.filter((f) => f.timeUs < resume && !(f.kind === 'video' && f.timeUs >= lostFrom));
    await feed(s, before);
    assert.equal(await s.cut(resume), lostFrom, 'the last frame written (2.45 s) lasts its 50 ms');
    await feed(s, all.filter((f) => f.timeUs >= resume));
    await s.close();

    assert.deepEqual(
      ev.closed.map((r) => [r.startUs, r.endUs]),
      [
        [T0, lostFrom],
        [resume, ev.closed[1].endUs],
      ],
    );
    const first = readFragmentedMp4(files.bytes(ev.closed[0].path));
    const audioTrack = first.tracks.find((t) => t.kind === 'audio')!.trackId;
    const audioKept = first.fragments.flatMap((f) => f.samples).filter((x) => x.trackId === audioTrack).length;
    assert.equal(audioKept, before.filter((f) => f.kind === 'audio' && f.timeUs < lostFrom).length, 'audio that starts in the hole is dropped');
    assert.equal(ev.closed[0].audioFrames, audioKept);
    assert.equal(ev.closed[0].videoFrames, before.filter((f) => f.kind === 'video').length);
  });

  it('cut without a hole (the last frame reaches the keyframe) or without a file changes nothing', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const all = timed(frames, periodUs, 1);
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 1, root: '/r', segmentUs: 60_000_000, files: new MemoryFiles(), listener: ev.l });
    assert.equal(await s.cut(T0), undefined, 'no file');
    await feed(s, all.filter((f) => f.timeUs < T0 + 4_000_000));
    assert.equal(await s.cut(T0 + 4_000_000), undefined);
    assert.equal(ev.closed.length, 0);
    await s.close();
  });

  it('endAtBoundary: the open file ends at the next boundary, at its full length, and nothing is stored after it', async () => {
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const files = new MemoryFiles();
    const ev = recordingListener();
    const s = new Segmenter({ cameraId: 7, root: '/rec', segmentUs: 5_000_000, files, listener: ev.l });
    const input = timed(frames, periodUs, 2);
    // Asked 3 s into the first file: it ends where the next file would have started (the keyframe at 6 s).
    const at = input.findIndex((f) => f.timeUs >= T0 + 3_000_000);
    await feed(s, input.slice(0, at));
    let ended = false;
    const done = s.endAtBoundary().then(() => (ended = true));
    await feed(s, input.filter((f) => f.timeUs < T0 + 6_000_000).slice(at));
    assert.equal(ended, false, 'not before the boundary');
    await feed(s, input.slice(input.findIndex((f) => f.timeUs >= T0 + 6_000_000)));
    await done;
    assert.equal(ev.opened.length, 1, 'no file opened at or after the boundary');
    assert.equal(ev.closed.length, 1);
    assert.equal(ev.closed[0].endUs - ev.closed[0].startUs, 6_000_000, 'the file has its full length');
    assert.equal(ev.closed[0].state, 'closed');
    await s.close();
    assert.equal(ev.closed.length, 1);
    // Nothing open: it ends at once.
    const idle = new Segmenter({ cameraId: 8, root: '/rec', segmentUs: 5_000_000, files, listener: recordingListener().l });
    await idle.endAtBoundary();
    await feed(idle, input);
    assert.equal(idle.totals.files, 0);
  });
});
