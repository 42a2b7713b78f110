// Which channel-0 records are media: both formats, whatever was asked at login, and never a control record.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIoctrlFrame } from '../av/ioctrl';
import { buildK10000 } from '../av/k-commands';
import { Codec, MediaChannel } from '../frames/codecs';
import { FrameType } from '../frames/packet';
import { packetizeFrame } from '../frames/packetizer';
import { sampleFrameInfo } from '../testing/synthetic-stream';
import { isMediaRecord } from './av-channel';

const frame = (resend: 0 | 1, channel: MediaChannel = MediaChannel.IFrame) => {
  const data = new Uint8Array(3000).fill(7);
  return packetizeFrame(data, { channel, frameNo: 5, prevFrameNo: 4, frameInfo: sampleFrameInfo(Codec.H264, 1, data.length, 5), resend });
};

describe('isMediaRecord', () => {
  test('direct and wrapped media are both media, every frame type, the wrapped continuation (`0c 00`) included', () => {
    for (const resend of [0, 1] as const) {
      const packets = frame(resend);
      assert.ok(packets.length >= 3);
      for (const p of packets) assert.equal(isMediaRecord(p), true, `resend ${resend} type 0x${p[1].toString(16)}`);
    }
    const cont = frame(1).find((p) => p[1] === FrameType.Cont)!;
    assert.deepEqual([cont[0], cont[1]], [0x0c, 0x00], 'a wrapped continuation starts like a control record');
  });

  test('a control record (0x000c with 0x7000 at [16]) is not media, nor a short or unknown record', () => {
    const control = buildIoctrlFrame({ avSeq: 3, cmdSeq: 0, hl: buildK10000(), from: 'camera' });
    assert.deepEqual([control[0], control[1], control[16], control[17]], [0x0c, 0x00, 0x00, 0x70]);
    assert.equal(isMediaRecord(control), false);
    assert.equal(isMediaRecord(Uint8Array.of(0x0c, 0x00, 0x0b, 0x00, 1, 0, 0, 0)), false);
    assert.equal(isMediaRecord(Uint8Array.of(0x05)), false);
    assert.equal(isMediaRecord(Uint8Array.of(0x00, 0x21, 0, 0)), false);
  });

  test('a resend = 1 frame-index packet (0x0c at [16], SEED §9.7) goes to the media path, which counts and ignores it', () => {
    const p = new Uint8Array(1080);
    p.set([0x0c, 0x00, 0x0b, 0x00]);
    p[16] = 0x0c;
    assert.equal(isMediaRecord(p), true);
  });
});
