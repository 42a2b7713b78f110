// The keyframe gate: after a real loss, and at the start, P-frames are withheld until the next keyframe.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { FrameAssembler } from './assembler';
import { MediaChannel } from './codecs';
import { KeyframeGate } from './keyframe-gate';
import { feed, flushed, assertIdentical, assertAccounted, assertDecodable } from '../testing/frame-assertions';
import { type SourceFrame, makeStream } from '../testing/synthetic-stream';

describe('FrameAssembler: keyframe gate', () => {
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
    const loose = new FrameAssembler({ withholdUntilKeyframe: false });
    assert.equal(feed(loose, stream.flatMap((s) => s.packets)).length, stream.length);
  });

  test('the gate on its own: closed until a keyframe, closed again by a gap or a lost reference; disabled, always open', () => {
    const g = new KeyframeGate(true);
    assert.equal(g.admit(false, false), 'await-start');
    assert.equal(g.admit(true, false), 'deliver', 'the first keyframe is no resumption: nothing was delivered before');
    assert.equal(g.admit(false, false), 'deliver');
    assert.equal(g.admit(false, true), 'await-loss');
    assert.equal(g.admit(false, false), 'await-loss', 'still closed after the gap');
    assert.equal(g.admit(true, true), 'resume', 'a keyframe opens it even after a gap, and says footage was lost');
    assert.equal(g.admit(false, false), 'deliver');
    g.referenceLost();
    assert.equal(g.admit(false, false), 'await-loss');
    assert.equal(g.admit(true, false), 'resume');
    assert.equal(g.admit(true, true), 'resume', 'a keyframe right after a missing frame still follows a loss');
    assert.equal(g.admit(true, false), 'deliver');
    const off = new KeyframeGate(false);
    off.referenceLost();
    assert.equal(off.admit(false, true), 'deliver');
  });

  test('a loss before anything was delivered (the start) is no resumption', () => {
    const g = new KeyframeGate(true);
    g.referenceLost();
    assert.equal(g.admit(false, true), 'await-start');
    assert.equal(g.admit(true, true), 'deliver');
  });
});
