import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Codec, MediaChannel } from './codecs';
import type { FrameInfo } from './frame-info';
import { FRAMEINFO_MARKER, FrameType, type MediaPacket, parseAvPacket } from './packet';
import { packetizeFrame } from './packetizer';

const fi = (codec: number, size: number): FrameInfo => ({ codec, flags: 1, camIndex: 0, onlineNum: 1, fps: 20, resTier: 4, bitrate: 200, timestampUs: 5, timestampSec: 6, payloadSize: size, frameNo: 42, deviceId: 'AABBCCDDEEFF' });
const data = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);

describe('packetizeFrame (FACTS §10.2, §14)', () => {
  for (const resend of [0, 1] as const) {
    test(`multi-packet video, resend ${resend}: types, indices, sizes, FRAMEINFO last`, () => {
      const d = data(3000);
      const packets = packetizeFrame(d, { channel: MediaChannel.IFrame, frameNo: 7, prevFrameNo: 6, frameInfo: fi(Codec.H264, d.length), txSeq: 0xfffe, counter: 3, resend });
      assert.equal(packets.length, 3);
      const parsed = packets.map((p) => parseAvPacket(p) as MediaPacket);
      assert.deepEqual(
        parsed.map((p) => p.frameType),
        [FrameType.Start, FrameType.Cont, FrameType.EndMulti],
      );
      assert.deepEqual(
        parsed.map((p) => p.headerSize),
        resend ? [44, 36, 36] : [36, 28, 28],
      );
      assert.deepEqual(
        parsed.map((p) => p.pktIdx),
        [0, 1, 2],
      );
      assert.deepEqual(
        parsed.map((p) => p.txSeq),
        [0xfffe, 0xffff, 0],
      );
      assert.ok(parsed.every((p) => p.pktTotal === 3 && p.frameNo === 7 && p.prevFrameNo === 6 && p.channel === MediaChannel.IFrame));
      assert.ok(parsed.every((p) => p.payload.length <= 1024));
      assert.ok(packets.every((p) => p.length <= 2048));
      assert.equal(parsed[2].marker, true);
      assert.equal(parsed[0].frameInfo, undefined);
      assert.equal(parsed[2].frameInfo?.payloadSize, 3000);
      // The header payload size counts what follows the header, FRAMEINFO included.
      parsed.forEach((p, i) => assert.equal(p.payloadSizeField, packets[i].length - p.headerSize));
      assert.deepEqual(Buffer.concat(parsed.map((p) => p.payload)), Buffer.from(d));
    });
  }

  test('single-packet video is one 0x01 with the marker', () => {
    const [p] = packetizeFrame(data(500), { channel: MediaChannel.PFrame, frameNo: 9, prevFrameNo: 8, frameInfo: fi(Codec.H265, 500) });
    const m = parseAvPacket(p) as MediaPacket;
    assert.equal(m.frameType, FrameType.EndSingle);
    assert.equal(m.headerSize, 28);
    assert.equal(p[14] | (p[15] << 8), FRAMEINFO_MARKER);
    assert.equal(m.frameInfo?.codec, Codec.H265);
    assert.equal(m.payload.length, 500);
  });

  test('audio is one 0x09 packet with pkt_total 1, and is never split', () => {
    const [p, ...rest] = packetizeFrame(data(300), { channel: MediaChannel.Audio, frameNo: 1, prevFrameNo: 0, frameInfo: fi(Codec.AacWyze, 300) });
    assert.equal(rest.length, 0);
    const m = parseAvPacket(p) as MediaPacket;
    assert.equal(m.frameType, FrameType.StartAlt);
    assert.equal(m.pktTotal, 1);
    assert.equal(m.frameInfo?.codec, Codec.AacWyze);
    assert.throws(() => packetizeFrame(data(2000), { channel: MediaChannel.Audio, frameNo: 1, prevFrameNo: 0, frameInfo: fi(Codec.AacWyze, 2000) }), RangeError);
  });

  test('exact multiples of the payload size do not produce an empty packet', () => {
    const packets = packetizeFrame(data(2048), { channel: MediaChannel.IFrame, frameNo: 1, prevFrameNo: 0, frameInfo: fi(Codec.H264, 2048) });
    assert.equal(packets.length, 2);
    assert.ok(packets.every((p) => (parseAvPacket(p) as MediaPacket).payload.length === 1024));
  });
});
