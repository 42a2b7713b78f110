import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FUZZ_INPUTS, fuzzParser } from '../wire/fuzz';
import { FrameAssembler, type MediaFrameAssembler } from './assembler';
import { buildAudioTxFrame, parseAudioTxFrame } from './audio-tx';
import { Codec, MediaChannel } from './codecs';
import { parseFrameInfo, parseTxFrameInfo } from './frame-info';
import { parseAvPacket } from './packet';
import { packetizeFrame } from './packetizer';
import { InOrderFrameAssembler } from './in-order-assembler';
import { makeStream } from '../testing/synthetic-stream';

const DEFAULT_CAP = 16 * 1024 * 1024;
const assemblerProfiles: { make: () => MediaFrameAssembler; maxBufferedBytes: number }[] = [
  { make: () => new FrameAssembler(), maxBufferedBytes: DEFAULT_CAP },
  { make: () => new InOrderFrameAssembler(), maxBufferedBytes: DEFAULT_CAP },
  { make: () => new FrameAssembler({ maxBufferedBytes: 8000, maxFrameBytes: 6000, maxInFlightPerChannel: 2 }), maxBufferedBytes: 8000 },
];

const N = FUZZ_INPUTS;
const stream = makeStream(77, 3, 6);
const packets = stream.flatMap((s) => s.packets);
const wrapped = stream.slice(0, 4).flatMap((s) => packetizeFrame(s.data, { channel: s.channel, frameNo: s.packetFrameNo, prevFrameNo: s.packetFrameNo - 1, frameInfo: s.info, resend: 1 }));

describe('frame parsers only ever throw TutkParseError', () => {
  test('parseAvPacket', () => {
    const frameIndex = new Uint8Array(1080);
    frameIndex[0] = 0x0c;
    frameIndex[16] = 0x0c;
    const rejected = fuzzParser(parseAvPacket, [...packets, ...wrapped, frameIndex], N, 11);
    assert.ok(rejected > 0 && rejected < N);
  });

  test('parseFrameInfo and parseTxFrameInfo', () => {
    const infos = packets.filter((p) => p[1] === 1 || p[1] === 5 || p[1] === 9).map((p) => p.subarray(p.length - 40));
    fuzzParser((b) => parseFrameInfo(b, b.length > 40 ? b.length - 40 : 0), infos, N, 12);
    fuzzParser((b) => parseTxFrameInfo(b), infos.map((i) => i.subarray(0, 16)), N, 13);
  });

  test('parseAudioTxFrame', () => {
    const frames = [1, 2, 3].map((n) => buildAudioTxFrame({ frameNo: n, timestampUs: n * 64000, codec: Codec.AacWyze, sampleRate: 16000, channels: 1, payload: new Uint8Array(n * 50).fill(n) }));
    const rejected = fuzzParser(parseAudioTxFrame, frames, N, 14);
    assert.ok(rejected > 0 && rejected < N);
  });
});

describe('FrameAssembler fed mutated packets', () => {
  for (const [i, profile] of assemblerProfiles.entries()) {
    test(`profile ${i}: never throws, keeps its books and its memory bounds`, () => {
      const a = profile.make();
      let emitted = 0;
      fuzzParser(
        (b) => {
          for (let f = a.push(b); f; f = a.pull()) {
            emitted++;
            if (f.kind === 'video') assert.ok(f.info.payloadSize === 0 || f.info.payloadSize === f.data.length);
            assert.ok(f.data.length > 0);
            assert.ok(f.kind === 'audio' ? f.channel === MediaChannel.Audio : f.channel !== MediaChannel.Audio);
          }
          assert.ok(a.bufferedBytes <= profile.maxBufferedBytes);
        },
        [...packets, ...wrapped],
        N,
        20 + i,
      );
      assert.ok(a.bufferedBytes <= profile.maxBufferedBytes);
      const s = a.stats;
      const dropped = Object.values(s.packetsDropped).reduce((x, y) => x + y, 0);
      assert.equal(s.packets, N);
      assert.equal(s.packets, s.packetsDelivered + dropped + s.frameIndexPackets + a.inFlightPackets);
      assert.equal(emitted, s.framesEmitted);
      assert.ok(emitted > 0, 'nothing survived mutation; the samples are not exercising reassembly');
      // Whatever is held comes out at the end; nothing is left buffered.
      a.flush();
      while (a.pull()) emitted++;
      assert.equal(emitted, s.framesEmitted);
      assert.equal(a.inFlightPackets, 0);
      assert.equal(a.bufferedBytes, 0);
      assert.equal(s.packets, s.packetsDelivered + Object.values(s.packetsDropped).reduce((x, y) => x + y, 0) + s.frameIndexPackets);
    });
  }
});
