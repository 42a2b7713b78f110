// Packet reassembly inside a frame (FACTS §10.2-10.3): placement by index, the checks a complete frame must pass, caps, and what is counted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { FrameAssembler } from './assembler';
import { Codec, MediaChannel } from './codecs';
import { packetizeFrame } from './packetizer';
import { feed, assertIdentical, sumOf, assertAccounted } from '../testing/frame-assertions';
import { makeStream, sampleFrameInfo } from '../testing/synthetic-stream';

describe('FrameAssembler: packet reassembly', () => {
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
    const a = new FrameAssembler({ withholdUntilKeyframe: false });
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

  test('a packet whose pkt_total differs from the first packet of its frame is dropped as inconsistent', () => {
    const mk = (size: number) => packetizeFrame(new Uint8Array(size).fill(3), { channel: MediaChannel.IFrame, frameNo: 7, prevFrameNo: 6, frameInfo: sampleFrameInfo(Codec.H264, 1, size, 7) });
    const long = mk(4000);
    const short = mk(1500);
    assert.ok(long.length !== short.length);
    const a = new FrameAssembler();
    const frames = feed(a, [long[0], short[1], ...long.slice(1)]);
    assert.equal(a.stats.packetsDropped['inconsistent-total'], 1);
    assert.equal(frames.length, 1);
    assert.equal(frames[0].data.length, 4000);
    assertAccounted(a);
  });
});
