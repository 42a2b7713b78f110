import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { concatBytes } from '@wyze-nvr/bytes';
import { isOutOfBandNal, readFragmentedMp4, splitAnnexB } from '@wyze-nvr/media';
import { fixtureMedia, type FixtureMediaOptions } from '../testing/fixture-media';
import type { TimedFrame } from '../segment/segmenter';
import { LiveBundle, type LiveFragment } from './live-fragment';
import { LiveTap, type LiveTapOptions } from './live-tap';
import type { ViewerEndCode, ViewerSink } from './live-viewer';
import { ANY_CODEC, viewerCodecs } from './viewer-codecs';

const T0 = 1_760_000_000_000_000;

/** A sink whose queue grows with every write and drains only when the test says so (a reader that stalls). */
class FakeSink implements ViewerSink {
  readonly out: ({ text: unknown } | { bytes: Uint8Array })[] = [];
  buffered = 0;
  maxBuffered = 0;
  ended: { code: ViewerEndCode; message: string } | undefined;
  constructor(readonly drains = true) {}
  binary(bytes: Uint8Array): void {
    this.out.push({ bytes });
    if (!this.drains) this.buffered += bytes.length;
    this.maxBuffered = Math.max(this.maxBuffered, this.buffered);
  }
  text(json: string): void {
    this.out.push({ text: JSON.parse(json) });
  }
  end(code: ViewerEndCode, message: string): void {
    this.ended = { code, message };
  }
  texts(): Record<string, unknown>[] {
    return this.out.flatMap((m) => ('text' in m ? [m.text as Record<string, unknown>] : []));
  }
  /** The bytes from the last `codecs` message on: one init segment and its fragments. */
  mp4(): Uint8Array {
    let last = -1;
    this.out.forEach((m, i) => {
      if ('text' in m && (m.text as { type: string }).type === 'codecs') last = i;
    });
    return concatBytes(...this.out.slice(last + 1).flatMap((m) => ('bytes' in m ? [m.bytes] : [])));
  }
}

/** What a frame's MP4 sample must be: its picture NAL units after 4-byte lengths. */
function sampleDigest(codec: 'h264' | 'h265', annexB: Uint8Array): string {
  const h = createHash('sha1');
  for (const nal of splitAnnexB(annexB)) {
    if (isOutOfBandNal(codec, nal)) continue;
    h.update(Buffer.from([nal.length >>> 24, (nal.length >>> 16) & 255, (nal.length >>> 8) & 255, nal.length & 255])).update(nal);
  }
  return h.digest('hex');
}

/** Decode times of the audio samples, which must rise strictly: no audio fragment twice, none out of order. */
function assertAudioOnce(mp4: Uint8Array): number {
  const file = readFragmentedMp4(mp4);
  const audio = file.tracks.find((t) => t.kind === 'audio')!.trackId;
  const times = file.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === audio).map((s) => s.decodeTime));
  times.forEach((t, i) => i > 0 && assert.ok(t > times[i - 1], `audio sample ${i} at ${t} after ${times[i - 1]}`));
  return times.length;
}

function videoDigests(mp4: Uint8Array): { digest: string; keyframe: boolean }[] {
  const file = readFragmentedMp4(mp4);
  const video = file.tracks.find((t) => t.kind === 'video')!.trackId;
  return file.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === video).map((s) => ({ digest: createHash('sha1').update(mp4.subarray(s.offset, s.offset + s.size)).digest('hex'), keyframe: s.keyframe })));
}

/** The fixture as the pipeline hands it over: TimedFrames on the wall clock. */
function frames(o: FixtureMediaOptions, startUs = T0): TimedFrame[] {
  return fixtureMedia(o).frames.map((f) => ({ kind: f.kind, codec: f.codec, data: f.data, timeUs: startUs + f.timestampUs, sampleRate: f.sampleRate, channels: f.channels }));
}

const options: LiveTapOptions = { maxViewers: 3, maxQueueBytes: 64 * 1024 };
const BROWSER = viewerCodecs(['video/mp4; codecs="avc1.42E01E"', 'audio/mp4; codecs="mp4a.40.2"', 'audio/mp4; codecs="flac"']);

describe('LiveTap', () => {
  it('a viewer joining mid-GOP gets codecs, the init segment, the cached GOP from its keyframe, then every frame live', () => {
    const tap = new LiveTap(options);
    const all = frames({ video: 'h264', audio: 'pcmu' });
    const join = all.findIndex((f, i) => f.kind === 'video' && i > 0 && f.timeUs >= T0 + 2_500_000); // 0.5 s into the second GOP
    for (const f of all.slice(0, join)) tap.push(f);
    const sink = new FakeSink();
    tap.addViewer(sink, BROWSER, 'websocket');
    for (const f of all.slice(join)) tap.push(f);

    const codecs = sink.texts()[0];
    assert.equal(codecs.type, 'codecs');
    assert.match(String(codecs.mime), /^video\/mp4; codecs="avc1\.[0-9a-f]{6},flac"$/);
    assert.deepEqual(codecs.video, { codec: /avc1\.[0-9a-f]{6}/.exec(String(codecs.mime))![0], width: 1280, height: 720 });
    assert.deepEqual(codecs.audio, { codec: 'flac', sampleRate: 8000, channels: 1 });
    const got = videoDigests(sink.mp4());
    const sentVideo = all.filter((f) => f.kind === 'video');
    const second = sentVideo.findIndex((f) => f.timeUs >= T0 + 2_000_000);
    assert.equal(got[0].keyframe, true, 'starts at a keyframe');
    assert.deepEqual(got.map((g) => g.digest), sentVideo.slice(second).map((f) => sampleDigest('h264', f.data)), 'the GOP from its keyframe, then every later frame, in order');
    const audio = readFragmentedMp4(sink.mp4()).tracks.find((t) => t.kind === 'audio');
    assert.equal(audio?.sampleEntryType, 'fLaC');
    const joinedAt = sentVideo[second].timeUs;
    const audioAfter = all.filter((f) => f.kind === 'audio' && f.timeUs >= joinedAt).length;
    const n = assertAudioOnce(sink.mp4());
    // All but the last few, which wait for a video frame to go out with (at most 100 ms of them).
    assert.ok(n <= audioAfter && n >= audioAfter - 5, `${n} audio frames, ${audioAfter} sent after the keyframe`);
    assert.equal(tap.snapshot().gopFrames > 0, true);
  });

  it('a viewer that stops reading is skipped to the next keyframe; its queue never passes the bound; another viewer gets every frame', () => {
    const tap = new LiveTap({ ...options, maxQueueBytes: 40_000 });
    const slow = new FakeSink(false);
    const fast = new FakeSink();
    tap.addViewer(slow, BROWSER, 'websocket');
    tap.addViewer(fast, BROWSER, 'websocket');
    const all = frames({ video: 'h264', audio: 'aac' });
    const stallEnd = T0 + 4_500_000;
    for (const f of all) {
      if (f.timeUs >= stallEnd && slow.buffered > 0) slow.buffered = 0; // the reader catches up
      tap.push(f);
    }
    assert.ok(slow.maxBuffered <= 40_000, `queue reached ${slow.maxBuffered} bytes`);
    const s = tap.snapshot();
    assert.equal(s.skips, 1);
    assert.ok(s.skippedFrames > 10, `${s.skippedFrames} frames skipped`);
    const skipped = slow.texts().filter((t) => t.type === 'skipped');
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0].frames, s.skippedFrames);
    // After the skipped message the next binary is a keyframe at or after the stall's end.
    const at = slow.out.findIndex((m) => 'text' in m && (m.text as { type: string }).type === 'skipped');
    const next = slow.out[at + 1] as { bytes: Uint8Array };
    const isInit = (m: (typeof slow.out)[number]) => 'bytes' in m && String.fromCharCode(...m.bytes.subarray(4, 8)) === 'ftyp';
    const init = slow.out.filter((m, i) => i < at && isInit(m)).pop() as { bytes: Uint8Array };
    const resumed = videoDigests(concatBytes(init.bytes, next.bytes));
    assert.equal(resumed[0].keyframe, true);
    const fastVideo = videoDigests(fast.mp4());
    assert.equal(fastVideo.length, all.filter((f) => f.kind === 'video').length, 'the reading viewer missed nothing');
    assertAudioOnce(fast.mp4());
    assert.equal(fast.texts().filter((t) => t.type === 'skipped').length, 0);
  });

  it('a keyframe larger than the queue bound still reaches a viewer whose queue is empty', () => {
    const tap = new LiveTap({ ...options, maxQueueBytes: 1000 });
    const sink = new FakeSink(false);
    tap.addViewer(sink, BROWSER, 'websocket');
    const all = frames({ video: 'h264', audio: 'none' });
    for (const f of all) {
      sink.buffered = 0; // a reader that keeps up
      tap.push(f);
    }
    assert.equal(videoDigests(sink.mp4()).length, all.length);
    assert.equal(tap.snapshot().skips, 0);
  });

  it('a resolution change: a WebSocket viewer gets new codecs and init then the new keyframe; a live.mp4 viewer is ended', () => {
    const tap = new LiveTap(options);
    const ws = new FakeSink();
    const mp4 = new FakeSink();
    tap.addViewer(ws, BROWSER, 'websocket');
    tap.addViewer(mp4, ANY_CODEC, 'mp4');
    const first = frames({ video: 'h264', audio: 'none' });
    const second = frames({ video: 'h264', videoFile: 'h264-360p20.h264', audio: 'none' }, T0 + 10_000_000);
    for (const f of [...first, ...second]) tap.push(f);
    const sizes = ws.texts().filter((t) => t.type === 'codecs').map((t) => t.video as { width: number; height: number });
    assert.deepEqual(sizes.map((v) => `${v.width}x${v.height}`), ['1280x720', '640x360']);
    const after = videoDigests(ws.mp4());
    assert.deepEqual(after.map((a) => a.digest), second.filter((f) => f.kind === 'video').map((f) => sampleDigest('h264', f.data)));
    assert.equal(mp4.ended?.code, 'stream-changed');
    assert.equal(tap.snapshot().viewers.mp4, 0, 'the ended viewer is gone');
    assert.equal(tap.snapshot().viewers.websocket, 1);
  });

  it('H.265 to a player without it: an unsupported-codec end; audio the player lacks is left out', () => {
    const tap = new LiveTap(options);
    const h264Only = new FakeSink();
    tap.addViewer(h264Only, viewerCodecs(['video/mp4; codecs="avc1.640028"']), 'websocket');
    for (const f of frames({ video: 'h265', audio: 'aac' }).slice(0, 30)) tap.push(f);
    assert.equal(h264Only.ended?.code, 'unsupported-codec');
    assert.match(h264Only.ended!.message, /H\.265/);

    const tap2 = new LiveTap(options);
    const noAudio = new FakeSink();
    tap2.addViewer(noAudio, viewerCodecs(['video/mp4; codecs="avc1.640028"', 'audio/mp4; codecs="opus"']), 'websocket');
    for (const f of frames({ video: 'h264', audio: 'pcmu' })) tap2.push(f);
    assert.equal(noAudio.texts()[0].audio, null);
    assert.deepEqual(readFragmentedMp4(noAudio.mp4()).tracks.map((t) => t.kind), ['video']);
  });

  it('bounded GOP cache (overflow counted; a joiner then waits for the next keyframe) and a viewer limit', () => {
    const tap = new LiveTap({ ...options, gopMaxFrames: 10 });
    const all = frames({ video: 'h264', audio: 'none' });
    const mid = all.findIndex((f) => f.timeUs >= T0 + 1_000_000);
    for (const f of all.slice(0, mid)) tap.push(f);
    const s = tap.snapshot();
    assert.equal(s.gopOverflows, 1);
    assert.equal(s.gopFrames, 0);
    const late = new FakeSink();
    tap.addViewer(late, BROWSER, 'websocket');
    for (const f of all.slice(mid)) tap.push(f);
    assert.equal(videoDigests(late.mp4())[0].keyframe, true, 'the first frame it gets is a keyframe');
    assert.equal(late.texts().filter((t) => t.type === 'skipped').length, 0, 'joining is not a skip');

    assert.equal(tap.reserve(), true);
    assert.equal(tap.reserve(), true);
    assert.equal(tap.reserve(), false, 'three viewers at most: one viewer and two reservations');
    tap.unreserve();
    assert.equal(tap.reserve(), true);
  });

  it('frames it cannot use are counted, never thrown: P-frames before a keyframe, unknown codecs, malformed AAC', () => {
    const tap = new LiveTap(options);
    const all = frames({ video: 'h264', audio: 'aac' });
    const p = all.find((f) => f.kind === 'video' && f.timeUs > T0)!;
    tap.push(p);
    tap.push({ ...p, codec: 0x4f });
    tap.push({ kind: 'audio', codec: 0x87, data: new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0xff, 0xff, 0xfc, 1, 2]), timeUs: T0 });
    tap.push({ kind: 'audio', codec: 0x92, data: new Uint8Array(10), timeUs: T0 });
    assert.deepEqual(tap.snapshot().dropped, { beforeKeyframe: 1, unsupportedCodec: 1, invalid: 2 });
  });
});

describe('LiveBundle', () => {
  const frag = (bytes: Uint8Array, seq: number, video = false): LiveFragment => ({ bytes, video, keyframe: video, timeUs: seq, seq });

  it('audio then video as one buffer: a view when they lie back to back in one slab, a copy otherwise; without what a viewer already has', () => {
    const slab = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const b = new LiveBundle(frag(slab.subarray(4, 6), 3, true), [frag(slab.subarray(0, 2), 1), frag(slab.subarray(2, 4), 2)]);
    const all = b.bytes(true)!;
    assert.equal(all.buffer, slab.buffer, 'no copy');
    assert.deepEqual([...all], [1, 2, 3, 4, 5, 6]);
    assert.equal(b.bytes(true), all, 'joined once for every viewer');
    assert.deepEqual([...b.bytes(false)!], [5, 6], 'video only');
    assert.deepEqual([...b.bytes(true, 1)!], [3, 4, 5, 6], 'a viewer that has fragment 1 already');
    assert.deepEqual([b.frames(true), b.frames(false), b.frames(true, 2)], [3, 1, 1]);
    const apart = new LiveBundle(frag(new Uint8Array([9]), 2, true), [frag(slab.subarray(0, 2), 1)]);
    assert.deepEqual([...apart.bytes(true)!], [1, 2, 9]);
    assert.notEqual(apart.bytes(true)!.buffer, slab.buffer);
  });
});
