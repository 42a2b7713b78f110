// go2rtc's in-order reassembly (FACTS §10.3), which the reassembly vectors model.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameAssembler } from './assembler';
import { Codec, MediaChannel } from './codecs';
import { InOrderFrameAssembler } from './in-order-assembler';
import { packetizeFrame } from './packetizer';
import { feed, assertAccounted } from '../testing/frame-assertions';
import { makeStream, sampleFrameInfo } from '../testing/synthetic-stream';

describe('InOrderFrameAssembler', () => {
  test('go2rtc profile: a reordered packet drops its frame; the tolerant default keeps it', () => {
    const stream = makeStream(12, 1, 1);
    const ps = stream[0].packets;
    assert.ok(ps.length >= 3);
    const order = [ps[0], ps[2], ps[1], ...ps.slice(3)];
    const go2rtc = new InOrderFrameAssembler();
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
    const a = new InOrderFrameAssembler();
    assert.equal(feed(a, [ps[0], ps[0], ...ps.slice(1)]).length, 0);
    assert.equal(a.stats.framesDropped['out-of-order'], 1);
  });

  test('frame number 0 is delivered (go2rtc never does, FACTS §10.3)', () => {
    const a = new InOrderFrameAssembler();
    const frames = feed(a, packetizeFrame(new Uint8Array(3000).fill(1), { channel: MediaChannel.IFrame, frameNo: 0, prevFrameNo: 0, frameInfo: sampleFrameInfo(Codec.H264, 1, 3000, 9) }));
    assert.equal(frames.length, 1);
  });

  const iframe = (frameNo: number, size = 100) => packetizeFrame(new Uint8Array(size).fill(frameNo & 0xff), { channel: MediaChannel.IFrame, frameNo, prevFrameNo: frameNo - 1, frameInfo: sampleFrameInfo(Codec.H264, 1, size, frameNo) });

  test('a packet of a frame already closed on its channel is late; a camera that starts numbering again is followed', () => {
    const a = new InOrderFrameAssembler();
    assert.equal(feed(a, iframe(90_000)).length, 1);
    assert.equal(feed(a, iframe(89_999)).length, 0);
    assert.equal(a.stats.packetsDropped.late, 1);
    assert.equal(feed(a, iframe(1)).length, 1);
    assertAccounted(a);
  });

  test('a packet of another frame number ends the frame assembling on its channel; flush() drops what is left', () => {
    const a = new InOrderFrameAssembler();
    const first = iframe(10, 3000);
    assert.ok(first.length >= 3);
    assert.equal(feed(a, [first[0], ...iframe(11, 3000)]).length, 1);
    assert.equal(a.stats.framesDropped.incomplete, 1);
    assert.equal(a.stats.packetsDropped['in-dropped-frame'], 1);
    feed(a, iframe(12, 3000).slice(0, 2));
    assert.equal(a.inFlightFrames, 1);
    a.flush();
    assert.equal(a.pull(), undefined);
    assert.equal(a.stats.framesDropped.incomplete, 2);
    assert.equal(a.inFlightFrames + a.bufferedBytes, 0);
    assertAccounted(a);
  });
});
