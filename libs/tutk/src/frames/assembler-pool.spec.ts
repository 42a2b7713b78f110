// The FrameAssembler with a FrameBufferPool: buffers held for the consumer, given-up ones back at once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { FrameAssembler, type Frame } from './assembler';
import { FrameBufferPool } from './frame-buffer-pool';
import { feed, flushed, assertIdentical, key, assertAccounted } from '../testing/frame-assertions';
import { type SourceFrame, makeStream } from '../testing/synthetic-stream';

describe('FrameAssembler', () => {
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
