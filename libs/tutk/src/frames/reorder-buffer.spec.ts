// The reorder buffers: frames completed out of order come out in frame order, and a late frame is not a loss.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { FrameAssembler, type Frame } from './assembler';
import { MediaChannel } from './codecs';
import { InOrderFrameAssembler } from './in-order-assembler';
import { feed, flushed, assertIdentical, shuffleWithin, key, ofKind, sumOf, assertAccounted, assertDecodable } from '../testing/frame-assertions';
import { type SourceFrame, makeStream } from '../testing/synthetic-stream';

describe('FrameAssembler: reorder buffer', () => {
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
    const arrival = new InOrderFrameAssembler();
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
});
