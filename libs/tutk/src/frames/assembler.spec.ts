import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { FrameAssembler, type Frame, GO2RTC_ASSEMBLER_OPTIONS } from './assembler';
import { FrameBufferPool } from './frame-buffer-pool';
import { Codec, MediaChannel } from './codecs';
import { packetizeFrame } from './packetizer';
import { type SourceFrame, makeStream, sampleFrameInfo } from './synthetic-stream';

/** Every frame each push releases (push() returns the first, pull() the rest). */
function feed(a: FrameAssembler, packets: Uint8Array[]): Frame[] {
  const frames: Frame[] = [];
  for (const p of packets) for (let f = a.push(p); f; f = a.pull()) frames.push(f);
  return frames;
}

/** What flush() releases at the end of a session. */
function flushed(a: FrameAssembler): Frame[] {
  a.flush();
  const frames: Frame[] = [];
  for (let f = a.pull(); f; f = a.pull()) frames.push(f);
  return frames;
}

function sourceOf(stream: SourceFrame[], f: Frame): SourceFrame {
  const s = stream.find((x) => x.channel === f.channel && x.packetFrameNo === f.packetFrameNo);
  assert.ok(s, `emitted frame ${f.channel}/${f.packetFrameNo} has no source`);
  return s;
}

function assertIdentical(stream: SourceFrame[], frames: Frame[]): void {
  for (const f of frames) {
    const s = sourceOf(stream, f);
    assert.deepEqual(f.data, s.data, `frame ${f.packetFrameNo} bytes differ`);
    assert.equal(f.frameNo, s.info.frameNo);
    assert.equal(f.codec, s.info.codec);
    assert.equal(f.kind, s.channel === MediaChannel.Audio ? 'audio' : 'video');
    assert.equal(f.keyframe, s.channel === MediaChannel.IFrame);
  }
}

/** Shuffles each block of `w` packets: a packet moves fewer than `w` places, often across frame boundaries. */
function shuffleWithin(packets: Uint8Array[], w: number, rand: () => number): Uint8Array[] {
  const out = [...packets];
  for (let b = 0; b < out.length; b += w) {
    for (let i = Math.min(b + w, out.length) - 1; i > b; i--) {
      const j = b + ((rand() * (i - b + 1)) | 0);
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return out;
}

const key = (x: { channel: MediaChannel; packetFrameNo: number }) => `${x.channel}/${x.packetFrameNo}`;
const ofKind = <T extends { channel: MediaChannel }>(xs: T[], kind: 'video' | 'audio') => xs.filter((x) => (x.channel === MediaChannel.Audio) === (kind === 'audio'));

function sumOf(r: Record<string, number>): number {
  return Object.values(r).reduce((x, y) => x + y, 0);
}

/** Every packet pushed is delivered, dropped under a reason, ignored as a frame index, or still in flight. */
function assertAccounted(a: FrameAssembler): void {
  const s = a.stats;
  assert.equal(s.packets, s.packetsDelivered + sumOf(s.packetsDropped) + s.frameIndexPackets + a.inFlightPackets);
}

/** Video emitted in header order, each P-frame preceded by its whole chain back to an emitted keyframe. */
function assertDecodable(stream: SourceFrame[], frames: Frame[]): void {
  const video = stream.filter((s) => s.channel !== MediaChannel.Audio);
  const emitted = new Set(frames.filter((f) => f.kind === 'video').map((f) => f.packetFrameNo));
  let last = -1;
  for (const f of frames) {
    if (f.kind !== 'video') continue;
    assert.ok(f.packetFrameNo > last, 'video out of order');
    last = f.packetFrameNo;
    if (f.keyframe) continue;
    for (let i = video.findIndex((s) => s.packetFrameNo === f.packetFrameNo) - 1; i >= 0; i--) {
      assert.ok(emitted.has(video[i].packetFrameNo), `P-frame ${f.packetFrameNo} emitted although ${video[i].packetFrameNo} was not`);
      if (video[i].channel === MediaChannel.IFrame) break;
    }
  }
}

describe('FrameAssembler', () => {
  test('a clean stream comes out frame for frame, byte-identical, with nothing dropped', () => {
    const stream = makeStream(1, 4);
    const a = new FrameAssembler();
    const frames = feed(a, stream.flatMap((s) => s.packets));
    assert.equal(frames.length, stream.length);
    frames.forEach((f, i) => assert.equal(f.packetFrameNo, stream[i].packetFrameNo));
    assertIdentical(stream, frames);
    assert.equal(sumOf(a.stats.packetsDropped), 0);
    assert.equal(sumOf(a.stats.framesDropped), 0);
    assert.equal(a.bufferedBytes, 0);
    assertAccounted(a);
  });

  test('emitted frames do not alias the pushed buffers', () => {
    const stream = makeStream(2, 1, 3);
    const a = new FrameAssembler();
    const packets = stream.flatMap((s) => s.packets);
    const frames = feed(a, packets);
    for (const p of packets) p.fill(0xee);
    assertIdentical(stream, frames);
  });

  test('packets shuffled inside each frame are placed by index', () => {
    const rand = rng(3);
    const stream = makeStream(3, 5);
    const packets = stream.flatMap((s) => {
      const ps = [...s.packets];
      for (let i = ps.length - 1; i > 0; i--) {
        const j = (rand() * (i + 1)) | 0;
        [ps[i], ps[j]] = [ps[j], ps[i]];
      }
      return ps;
    });
    const a = new FrameAssembler();
    const frames = feed(a, packets);
    assert.equal(frames.length, stream.length);
    assertIdentical(stream, frames);
    assertAccounted(a);
  });

  test('duplicates are dropped and counted, each frame emitted once', () => {
    const rand = rng(4);
    const stream = makeStream(4, 5);
    const packets: Uint8Array[] = [];
    let dups = 0;
    for (const s of stream) {
      for (const p of s.packets) {
        packets.push(p);
        if (rand() < 0.2) {
          packets.push(Uint8Array.from(p));
          dups++;
        }
      }
    }
    const a = new FrameAssembler();
    const frames = feed(a, packets);
    assert.equal(frames.length, stream.length);
    assertIdentical(stream, frames);
    // A repeat inside a frame is a duplicate; a repeat of a frame's last packet comes after it closed.
    assert.equal(a.stats.packetsDropped.duplicate + a.stats.packetsDropped.late, dups);
    assert.ok(a.stats.packetsDropped.duplicate > 0 && a.stats.packetsDropped.late > 0);
    assertAccounted(a);
  });

  for (const seed of [5, 6, 7]) {
    test(`random loss (seed ${seed}): exactly the decodable complete frames come out`, () => {
      const rand = rng(seed);
      const stream = makeStream(seed, 12);
      const lost = new Set<Uint8Array>();
      for (const s of stream) for (const p of s.packets) if (rand() < 0.03) lost.add(p);
      const a = new FrameAssembler();
      const frames = [
        ...feed(
          a,
          stream.flatMap((s) => s.packets.filter((p) => !lost.has(p))),
        ),
        ...flushed(a),
      ];

      // Ground truth: a frame is complete if none of its packets was lost; a P-frame is usable only if
      // every video frame back to and including the last keyframe is complete.
      const expected: SourceFrame[] = [];
      let chainOk = false;
      for (const s of stream) {
        const complete = s.packets.every((p) => !lost.has(p));
        if (s.channel === MediaChannel.Audio) {
          if (complete) expected.push(s);
          continue;
        }
        chainOk = s.channel === MediaChannel.IFrame ? complete : chainOk && complete;
        if (chainOk) expected.push(s);
      }
      // Each stream in its own order; video after a gap waits a little for the missing frame, so audio
      // and video interleave differently from the input.
      for (const kind of ['video', 'audio']) {
        assert.deepEqual(
          frames.filter((f) => f.kind === kind).map((f) => `${f.channel}/${f.packetFrameNo}`),
          expected.filter((s) => (s.channel === MediaChannel.Audio ? 'audio' : 'video') === kind).map((s) => `${s.channel}/${s.packetFrameNo}`),
        );
      }
      assertIdentical(stream, frames);
      assertDecodable(stream, frames);
      assert.ok(a.stats.framesDropped['awaiting-keyframe'] > 0, 'no P-frame was withheld; the loss rate is too low for this test');
      assert.ok(a.stats.framesDropped.incomplete > 0);
      assert.equal(a.inFlightFrames, 0);
      assertAccounted(a);
    });
  }

  test('loss with reordering across frames and duplication: only identical, decodable frames', () => {
    const rand = rng(8);
    const stream = makeStream(8, 15);
    const packets: Uint8Array[] = [];
    for (const s of stream) for (const p of s.packets) if (rand() >= 0.02) packets.push(p);
    for (let i = 0; i + 1 < packets.length; i++) {
      if (rand() < 0.05) [packets[i], packets[i + 1]] = [packets[i + 1], packets[i]];
      if (rand() < 0.03) packets.splice(i + 1, 0, packets[i]);
    }
    const a = new FrameAssembler();
    const frames = feed(a, packets);
    assert.ok(frames.length > stream.length / 2);
    assertIdentical(stream, frames);
    assertDecodable(stream, frames);
    const keys = frames.map((f) => `${f.channel}/${f.packetFrameNo}`);
    assert.equal(new Set(keys).size, keys.length, 'a frame was emitted twice');
    assertAccounted(a);
  });

  for (const seed of [21, 22, 23, 24]) {
    test(`pure reordering across frame boundaries (seed ${seed}): every frame, in order, byte-identical, nothing dropped`, () => {
      const rand = rng(seed);
      const stream = makeStream(seed, 6);
      const packets = shuffleWithin(
        stream.flatMap((s) => s.packets),
        5,
        rand,
      );
      const a = new FrameAssembler();
      const frames = feed(a, packets);
      for (const kind of ['video', 'audio'] as const) assert.deepEqual(ofKind(frames, kind).map(key), ofKind(stream, kind).map(key), `${kind} frames`);
      assertIdentical(stream, frames);
      assert.deepEqual(a.stats.framesDropped, Object.fromEntries(Object.keys(a.stats.framesDropped).map((r) => [r, 0])));
      assert.equal(sumOf(a.stats.packetsDropped), 0);
      // Every gap filled, so nothing waits for flush().
      assert.equal(a.heldFrames + a.inFlightFrames + a.bufferedBytes, 0);
      assertAccounted(a);

      // Without the hold window (a frame is given up as soon as a later one completes), the same input loses frames.
      const impatient = new FrameAssembler({ maxHeldFrames: 0 });
      const lossy = [...feed(impatient, packets), ...flushed(impatient)];
      assert.ok(lossy.length < stream.length, 'the shuffle never crossed a frame boundary; the test proves nothing');
    });
  }

  test('a frame whose last packet comes after the next frame: both delivered, in order (the GOP is not lost)', () => {
    const stream = makeStream(25, 2, 6).filter((s) => s.channel !== MediaChannel.Audio);
    const i = stream.findIndex((s, n) => n > 0 && s.channel === MediaChannel.PFrame && s.packets.length >= 2);
    assert.ok(i > 0 && i < 5, 'no multi-packet P-frame early in the first GOP');
    const late = stream[i].packets[stream[i].packets.length - 1];
    // ... and the last P-frame of the first GOP arrives after the whole next keyframe.
    const lastP = stream[5];
    const order = stream.flatMap((s, n) => {
      if (n === i) return s.packets.slice(0, -1);
      if (n === i + 1) return [...s.packets, late];
      if (n === 5) return [];
      if (n === 6) return [...s.packets, ...lastP.packets];
      return s.packets;
    });
    const a = new FrameAssembler();
    const frames = feed(a, order);
    assert.deepEqual(frames.map(key), stream.map(key));
    assertIdentical(stream, frames);
    assert.equal(sumOf(a.stats.framesDropped) + sumOf(a.stats.packetsDropped), 0);
  });

  for (const seed of [31, 32, 33]) {
    test(`reordering plus loss (seed ${seed}): exactly the decodable set, drops counted by reason`, () => {
      const rand = rng(seed);
      const stream = makeStream(seed, 12);
      const lost = new Set<Uint8Array>();
      for (const s of stream) for (const p of s.packets) if (rand() < 0.03) lost.add(p);
      const a = new FrameAssembler();
      const packets = shuffleWithin(
        stream.flatMap((s) => s.packets.filter((p) => !lost.has(p))),
        4,
        rand,
      );
      const frames = [...feed(a, packets), ...flushed(a)];

      // Ground truth, as in the loss-only tests, plus what each undelivered video frame should count as.
      const expected: SourceFrame[] = [];
      let chainOk = false;
      let partial = 0;
      let withheld = 0;
      let packetsInDropped = 0;
      for (const s of stream) {
        const got = s.packets.filter((p) => !lost.has(p)).length;
        const complete = got === s.packets.length;
        if (s.channel === MediaChannel.Audio) {
          if (complete) expected.push(s);
          continue;
        }
        chainOk = s.channel === MediaChannel.IFrame ? complete : chainOk && complete;
        if (chainOk) expected.push(s);
        else if (complete) {
          withheld++;
          packetsInDropped += got;
        } else if (got > 0) {
          partial++;
          packetsInDropped += got;
        }
      }
      for (const kind of ['video', 'audio'] as const) assert.deepEqual(ofKind(frames, kind).map(key), ofKind(expected, kind).map(key), `${kind} frames`);
      assertIdentical(stream, frames);
      assertDecodable(stream, frames);
      assert.ok(withheld > 0 && partial > 0, 'the loss rate is too low for this test');
      assert.equal(a.stats.framesDropped.incomplete, partial);
      assert.equal(a.stats.framesDropped['awaiting-keyframe'], withheld);
      assert.equal(sumOf(a.stats.framesDropped), partial + withheld);
      assert.equal(a.stats.packetsDropped['in-dropped-frame'], packetsInDropped);
      assert.equal(sumOf(a.stats.packetsDropped), packetsInDropped, 'a packet was late or a duplicate although the reordering stayed inside the window');
      assert.equal(a.stats.framesEmitted, frames.length);
      assert.equal(a.heldFrames + a.inFlightFrames + a.bufferedBytes, 0);
      assertAccounted(a);
    });
  }

  test('audio comes out in frame order under reordering; one later than the hold window is dropped as late', () => {
    const rand = rng(40);
    const audio = makeStream(40, 8).filter((s) => s.channel === MediaChannel.Audio);
    assert.ok(audio.length > 30);
    const a = new FrameAssembler({ maxHeldFrames: 4 });
    // The first frame seen anchors the sequence (nothing before it is waited for), so it leads here.
    const frames = feed(a, [audio[0].packets[0], ...shuffleWithin(audio.slice(1, 20).flatMap((s) => s.packets), 4, rand)]);
    assert.deepEqual(frames.map(key), audio.slice(0, 20).map(key));
    assertIdentical(audio, frames);
    assert.equal(sumOf(a.stats.packetsDropped), 0);
    const arrival = new FrameAssembler(GO2RTC_ASSEMBLER_OPTIONS);
    assert.notDeepEqual(feed(arrival, [audio[0].packets[0], ...shuffleWithin(audio.slice(1, 20).flatMap((s) => s.packets), 4, rng(40))]).map(key), audio.slice(0, 20).map(key), 'the shuffle left audio in order');

    // Frame 20 arrives after 5 later ones: the window (4) gives up on it, the rest come out in order.
    const rest = audio.slice(20);
    const late = feed(a, [...rest.slice(1, 6), rest[0], ...rest.slice(6)].flatMap((s) => s.packets));
    assert.deepEqual(late.map(key), rest.slice(1).map(key));
    assert.equal(a.stats.packetsDropped.late, 1);
    assert.equal(sumOf(a.stats.framesDropped), 0);

    // A frame lost outright: the next ones wait for it while the window (4) holds them, then come out;
    // flush() delivers a tail still waiting at the end.
    const b = new FrameAssembler({ maxHeldFrames: 4 });
    const packetsOf = (from: number, to: number) => audio.slice(from, to).flatMap((s) => s.packets);
    assert.deepEqual(feed(b, [...packetsOf(0, 3), ...packetsOf(4, 8)]).map(key), audio.slice(0, 3).map(key));
    assert.equal(b.heldFrames, 4);
    assert.deepEqual(feed(b, packetsOf(8, 9)).map(key), audio.slice(4, 9).map(key));
    assert.deepEqual(feed(b, [...packetsOf(9, 12), ...packetsOf(13, 15)]).map(key), audio.slice(9, 12).map(key));
    assert.deepEqual(flushed(b).map(key), audio.slice(13, 15).map(key));
    assert.equal(b.bufferedBytes, 0);
    assertAccounted(b);
  });

  test('held frames are capped: the hold window bounds them, and the byte cap releases them early rather than dropping them', () => {
    const stream = makeStream(41, 4, 8).filter((s) => s.channel !== MediaChannel.Audio);
    // The last P-frame of the first GOP never arrives: everything after it waits for it.
    const gone = stream[7];
    const packets = stream.filter((s) => s !== gone).flatMap((s) => s.packets);
    const expected = stream.filter((s, n) => n < 7 || n >= 8).map(key);

    const counted = new FrameAssembler({ maxHeldFrames: 3 });
    const out: Frame[] = [];
    for (const p of packets) {
      for (let f = counted.push(p); f; f = counted.pull()) out.push(f);
      assert.ok(counted.heldFrames <= 3);
    }
    assert.deepEqual(out.map(key), expected);

    const cap = 40_000;
    const byBytes = new FrameAssembler({ maxHeldFrames: 1000, maxBufferedBytes: cap });
    const out2: Frame[] = [];
    let most = 0;
    for (const p of packets) {
      for (let f = byBytes.push(p); f; f = byBytes.pull()) out2.push(f);
      assert.ok(byBytes.bufferedBytes <= cap, `${byBytes.bufferedBytes} > ${cap}`);
      most = Math.max(most, byBytes.heldFrames);
    }
    assert.ok(most > 1 && most < stream.length - 8, `held at most ${most}: the byte cap did not force anything`);
    assert.deepEqual(out2.map(key), expected);
    assert.equal(byBytes.stats.framesDropped.memory, 0);
    assertAccounted(byBytes);
  });

  test('after a lost P-frame, P-frames are withheld until the next keyframe', () => {
    const stream = makeStream(9, 2, 6).filter((s) => s.channel !== MediaChannel.Audio);
    // stream: K P P P P P K P P P P P; drop the second P entirely.
    const dropped = stream[2];
    const a = new FrameAssembler();
    const frames = feed(
      a,
      stream.filter((s) => s !== dropped).flatMap((s) => s.packets),
    );
    assert.deepEqual(
      frames.map((f) => f.packetFrameNo),
      [stream[0], stream[1], ...stream.slice(6)].map((s) => s.packetFrameNo),
    );
    assert.equal(a.stats.framesDropped['awaiting-keyframe'], 3);
  });

  test('a keyframe missing one packet is given up once the hold window overflows, and its P-frames are withheld', () => {
    // Until then its packet may merely be late: the frames after it wait (before the reorder stage, it
    // was dropped as soon as the next keyframe completed).
    const stream = makeStream(10, 3, 4).filter((s) => s.channel !== MediaChannel.Audio);
    assert.ok(stream[0].packets.length > 2);
    const a = new FrameAssembler({ maxHeldFrames: 8 });
    const packets = stream.flatMap((s) => (s === stream[0] ? s.packets.filter((_, i) => i !== 1) : s.packets));
    const upTo9th = stream.slice(0, 9).reduce((n, s) => n + s.packets.length, 0) - 1;
    assert.deepEqual(feed(a, packets.slice(0, upTo9th)), []);
    assert.equal(a.heldFrames, 8);
    assert.equal(a.inFlightFrames, 1);
    const frames = feed(a, packets.slice(upTo9th));
    assert.deepEqual(
      frames.map((f) => f.packetFrameNo),
      stream.slice(4).map((s) => s.packetFrameNo),
    );
    assert.equal(a.stats.framesDropped['awaiting-keyframe'], 3);
    assert.equal(a.stats.framesDropped.incomplete, 1);
    assert.equal(a.stats.packetsDropped['in-dropped-frame'], stream[0].packets.length - 1 + stream[1].packets.length + stream[2].packets.length + stream[3].packets.length);
    assertAccounted(a);
  });

  test('P-frames before the first keyframe are withheld; without withholding they pass', () => {
    const stream = makeStream(11, 2, 4).filter((s) => s.channel !== MediaChannel.Audio).slice(1);
    const strict = new FrameAssembler();
    assert.deepEqual(
      feed(strict, stream.flatMap((s) => s.packets)).map((f) => f.packetFrameNo),
      stream.slice(3).map((s) => s.packetFrameNo),
    );
    const loose = new FrameAssembler({ withholdAfterLoss: false });
    assert.equal(feed(loose, stream.flatMap((s) => s.packets)).length, stream.length);
  });

  test('go2rtc profile: a reordered packet drops its frame; the tolerant default keeps it', () => {
    const stream = makeStream(12, 1, 1);
    const ps = stream[0].packets;
    assert.ok(ps.length >= 3);
    const order = [ps[0], ps[2], ps[1], ...ps.slice(3)];
    const go2rtc = new FrameAssembler(GO2RTC_ASSEMBLER_OPTIONS);
    assert.equal(feed(go2rtc, order).length, 0);
    assert.equal(go2rtc.stats.framesDropped['out-of-order'], 1);
    assert.equal(go2rtc.stats.packetsDropped['out-of-order'], 1);
    assertAccounted(go2rtc);
    const tolerant = new FrameAssembler();
    const frames = feed(tolerant, order);
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0].data, stream[0].data);
  });

  test('go2rtc profile: a duplicate drops the frame', () => {
    const stream = makeStream(13, 1, 1);
    const ps = stream[0].packets;
    const a = new FrameAssembler(GO2RTC_ASSEMBLER_OPTIONS);
    assert.equal(feed(a, [ps[0], ps[0], ...ps.slice(1)]).length, 0);
    assert.equal(a.stats.framesDropped['out-of-order'], 1);
  });

  test('a FRAMEINFO size that disagrees with the assembled bytes drops the frame; size 0 is not checked', () => {
    const data = new Uint8Array(2500).fill(7);
    const mk = (size: number, frameNo: number) => packetizeFrame(data, { channel: MediaChannel.IFrame, frameNo, prevFrameNo: frameNo - 1, frameInfo: sampleFrameInfo(Codec.H265, 1, size, frameNo) });
    const a = new FrameAssembler();
    assert.equal(feed(a, mk(2499, 1)).length, 0);
    assert.equal(a.stats.framesDropped['size-mismatch'], 1);
    const ok = feed(a, mk(0, 2));
    assert.equal(ok.length, 1);
    assert.equal(ok[0].data.length, 2500);
  });

  test('an empty video frame and an audio packet without a valid FRAMEINFO are dropped', () => {
    const a = new FrameAssembler({ withholdAfterLoss: false });
    assert.equal(feed(a, packetizeFrame(new Uint8Array(0), { channel: MediaChannel.PFrame, frameNo: 1, prevFrameNo: 0, frameInfo: sampleFrameInfo(Codec.H264, 0, 0, 1) })).length, 0);
    assert.equal(a.stats.framesDropped.empty, 1);
    // Video codec id on the audio channel fails the validity check (FACTS §10.2).
    const bad = packetizeFrame(new Uint8Array(50), { channel: MediaChannel.Audio, frameNo: 2, prevFrameNo: 0, frameInfo: sampleFrameInfo(Codec.H264, 0, 50, 2) });
    assert.equal(feed(a, bad).length, 0);
    assert.equal(a.stats.packetsDropped['no-frameinfo'], 1);
    assertAccounted(a);
  });

  test('memory stays under the cap; the oldest in-flight frames are evicted', () => {
    const stream = makeStream(14, 6).filter((s) => s.channel === MediaChannel.IFrame);
    const cap = 20_000;
    const a = new FrameAssembler({ maxBufferedBytes: cap, maxInFlightPerChannel: 8 });
    // Interleave the first halves of every keyframe so several are in flight at once.
    for (const s of stream) for (const p of s.packets.slice(0, Math.ceil(s.packets.length / 2))) {
      a.push(p);
      assert.ok(a.bufferedBytes <= cap, `${a.bufferedBytes} > ${cap}`);
    }
    assert.ok(a.stats.framesDropped.memory > 0);
    assertAccounted(a);
  });

  test('a frame over maxFrameBytes is dropped as too large', () => {
    const a = new FrameAssembler({ maxFrameBytes: 4096 });
    const frames = feed(a, packetizeFrame(new Uint8Array(6000), { channel: MediaChannel.IFrame, frameNo: 1, prevFrameNo: 0, frameInfo: sampleFrameInfo(Codec.H264, 1, 6000, 1) }));
    assert.equal(frames.length, 0);
    assert.equal(a.stats.framesDropped['too-large'], 1);
    assert.equal(a.bufferedBytes, 0);
    assertAccounted(a);
  });

  test('in-flight frames per channel are capped', () => {
    const stream = makeStream(15, 4).filter((s) => s.channel === MediaChannel.IFrame);
    const a = new FrameAssembler({ maxInFlightPerChannel: 2 });
    for (const s of stream) a.push(s.packets[0]);
    assert.equal(a.inFlightFrames, 2);
    assert.equal(a.stats.framesDropped.incomplete, stream.length - 2);
  });

  test('frame number 0 is delivered (go2rtc never does, FACTS §10.3)', () => {
    const a = new FrameAssembler(GO2RTC_ASSEMBLER_OPTIONS);
    const frames = feed(a, packetizeFrame(new Uint8Array(3000).fill(1), { channel: MediaChannel.IFrame, frameNo: 0, prevFrameNo: 0, frameInfo: sampleFrameInfo(Codec.H264, 1, 3000, 9) }));
    assert.equal(frames.length, 1);
  });

  test('a camera that starts numbering again is followed, not treated as late', () => {
    const a = new FrameAssembler();
    const mk = (frameNo: number) => packetizeFrame(new Uint8Array(100).fill(frameNo & 0xff), { channel: MediaChannel.IFrame, frameNo, prevFrameNo: frameNo - 1, frameInfo: sampleFrameInfo(Codec.H264, 1, 100, frameNo) });
    assert.equal(feed(a, mk(90_000)).length, 1);
    assert.equal(feed(a, mk(89_999)).length, 0);
    assert.equal(a.stats.packetsDropped.late, 1);
    assert.equal(feed(a, mk(1)).length, 1);
  });

  test('malformed records and frame-index packets are counted, never thrown', () => {
    const a = new FrameAssembler();
    const frameIndex = new Uint8Array(1080);
    frameIndex[0] = 0x0c;
    frameIndex[16] = 0x0c;
    for (const r of [new Uint8Array(0), Uint8Array.of(5), Uint8Array.of(0x09, 0, 0x0c, 0), new Uint8Array(20).fill(5), frameIndex]) a.push(r);
    assert.equal(a.stats.packetsDropped.malformed, 4);
    assert.equal(a.stats.frameIndexPackets, 1);
    assertAccounted(a);
  });

  test('resend = 1 packets reassemble like direct ones', () => {
    const data = Uint8Array.from({ length: 3500 }, (_, i) => i * 7);
    const packets = packetizeFrame(data, { channel: MediaChannel.IFrame, frameNo: 3, prevFrameNo: 2, frameInfo: sampleFrameInfo(Codec.H264, 1, data.length, 3), resend: 1 });
    assert.ok(packets.every((p) => p[0] === 0x0c));
    const frames = feed(new FrameAssembler(), packets);
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0].data, data);
  });

  describe('with a FrameBufferPool', () => {
    /** Loss, reordering across frames and duplication, as above. */
    function lossyPackets(seed: number, stream: SourceFrame[]): Uint8Array[] {
      const rand = rng(seed);
      const packets: Uint8Array[] = [];
      for (const s of stream) for (const p of s.packets) if (rand() >= 0.03) packets.push(p);
      for (let i = 0; i + 1 < packets.length; i++) {
        if (rand() < 0.05) [packets[i], packets[i + 1]] = [packets[i + 1], packets[i]];
        if (rand() < 0.03) packets.splice(i + 1, 0, packets[i]);
      }
      return packets;
    }

    test('the same frames come out as without it; each delivered video frame is held once, for the consumer; given-up frames go back', () => {
      const stream = makeStream(31, 15);
      const packets = lossyPackets(31, stream);
      const plain = [...feed(new FrameAssembler(), packets)];
      const pool = new FrameBufferPool();
      const a = new FrameAssembler({ pool });
      const frames = [...feed(a, packets), ...flushed(a)];
      assert.deepEqual(frames.map(key), [...plain.map(key), ...frames.slice(plain.length).map(key)]);
      assert.ok(a.stats.framesDropped.incomplete + a.stats.framesDropped['awaiting-keyframe'] > 0, 'nothing was given up: the test shows nothing');
      // Kept until the end: a buffer the assembler still wrote to, or gave back while delivered, would show here.
      assertIdentical(stream, frames);
      const video = frames.filter((f) => f.kind === 'video');
      for (const f of video) assert.equal(pool.holders(f.data), 1, `frame ${key(f)}`);
      assert.equal(new Set(video.map((f) => f.data.buffer)).size, video.length, 'two delivered frames share a buffer');
      assert.ok(pool.stats.freed > 0, 'buffers of given-up frames (and outgrown ones) went back');
      assertAccounted(a);
    });

    test('a consumer that releases each frame at once gets its buffers reused, and no frame is overwritten while held', () => {
      const stream = makeStream(32, 20);
      const packets = lossyPackets(32, stream);
      const pool = new FrameBufferPool();
      const a = new FrameAssembler({ pool });
      // Hold the last few frames a while (as a segmenter holds a GOP), then poison and release them.
      const holding: Frame[] = [];
      let delivered = 0;
      const consume = (f: Frame) => {
        delivered++;
        assertIdentical(stream, [f]);
        if (f.kind !== 'video') return;
        holding.push(f);
        if (holding.length > 5) {
          const old = holding.shift()!;
          assertIdentical(stream, [old]);
          old.data.fill(0xee);
          pool.release(old.data);
        }
      };
      for (const p of packets) for (let f = a.push(p); f; f = a.pull()) consume(f);
      a.flush();
      for (let f = a.pull(); f; f = a.pull()) consume(f);
      assertIdentical(stream, holding);
      assert.ok(delivered > stream.length / 2);
      assert.ok(pool.stats.reused > delivered / 3, `only ${pool.stats.reused} of ${pool.stats.acquired} buffers reused`);
      assert.equal(pool.stats.stray, 0);
    });
  });
});
