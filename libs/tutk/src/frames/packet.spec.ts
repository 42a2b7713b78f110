import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { MediaChannel } from './codecs';
import { FRAMEINFO_MARKER, FrameType, type MediaPacket, carriesFrameInfo, directHeaderSize, parseAvPacket, writeMediaHeader } from './packet';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Sample-derived packets of FACTS §17 (vectors frame_parse_*).
const START36 = '05080b00e9c77e5072bafd1baa1ee83e05001d03030000003c00000070310100713101004812b681c04c88357c61a4056837c7073616edbde42a36b2428c148b0d6da06144da0f2b96d87b9a838c3c0943eec4436df382d93ce5d5990165f782';
const ENDMULTI28 = '05050b00ebc77e500501222603002800490000007031010071310100893149558ec3d46da44e34cc5e31862471fffa2193da7f3ae7c35988b890087bb44e000100011404c8b79209009429f5669d0000007831010033354530324132463038453100000000';
const AUDIO09 = '03090b00edc77e50000000000000000003012002010028005000000000000000c0060000f41f7d2bd185eb853d58a520c4b85220ab3620d0bdf234bf74162e455d37ad53c9aaebd49e898bd090000e0001000001b79209009429f56628000000677a000000000000000000000000000000000000';

function media(b: Uint8Array): MediaPacket {
  const p = parseAvPacket(b);
  assert.equal(p.kind, 'media');
  return p as MediaPacket;
}

describe('media packet headers (FACTS §10.2)', () => {
  test('36-byte start packet: fields, no FRAMEINFO', () => {
    const p = media(h(START36));
    assert.equal(p.channel, 5);
    assert.equal(p.frameType, 8);
    assert.equal(p.headerSize, 36);
    assert.equal(p.txSeq, 0xc7e9);
    assert.equal(p.pktTotal, 3);
    assert.equal(p.pktIdx, 0);
    assert.equal(p.marker, false);
    assert.equal(p.payloadSizeField, 60);
    assert.equal(p.prevFrameNo, 78192);
    assert.equal(p.frameNo, 78193);
    assert.equal(p.frameInfo, undefined);
    assert.equal(p.payload.length, h(START36).length - 36);
  });

  test('28-byte end packet: marker gives the last index, FRAMEINFO stripped', () => {
    const raw = h(ENDMULTI28);
    const p = media(raw);
    assert.equal(p.headerSize, 28);
    assert.equal(p.marker, true);
    assert.equal(p.pktIdx, 2);
    assert.equal(x(p.payload), '893149558ec3d46da44e34cc5e31862471fffa2193da7f3ae7c35988b890087bb4');
    assert.equal(p.frameInfo?.codec, 0x4e);
    assert.equal(p.frameInfo?.frameNo, 78200);
    assert.equal(p.frameInfo?.payloadSize, 157);
  });

  test('audio 0x09 with pkt_total 1 carries a FRAMEINFO', () => {
    const p = media(h(AUDIO09));
    assert.equal(p.channel, MediaChannel.Audio);
    assert.equal(p.marker, true);
    assert.equal(p.frameInfo?.codec, 0x90);
    assert.equal(p.payload.length, 40);
  });

  test('0x09 with pkt_total 2 carries none; the marker is an index then', () => {
    const raw = h(AUDIO09);
    raw[20] = 2;
    const p = media(raw);
    assert.equal(p.frameInfo, undefined);
    assert.equal(p.marker, false);
    assert.equal(p.pktIdx, FRAMEINFO_MARKER);
    assert.equal(p.payload.length, raw.length - 36);
  });

  test('a FRAMEINFO whose codec does not fit the channel is payload (FACTS §10.2)', () => {
    const raw = h(ENDMULTI28);
    raw[raw.length - 40] = 0x90; // audio codec on a video channel
    const p = media(raw);
    assert.equal(p.frameInfo, undefined);
    assert.equal(p.payload.length, raw.length - 28);
  });

  test('an end packet too short for a FRAMEINFO is all payload', () => {
    const p = media(h(ENDMULTI28).subarray(0, 28 + 39));
    assert.equal(p.frameInfo, undefined);
    assert.equal(p.payload.length, 39);
  });

  test('marker rule: 0x0028 on a non-end type with pkt_total > 1 is index 40', () => {
    const b = new Uint8Array(28 + 10);
    writeMediaHeader(b, { channel: MediaChannel.PFrame, frameType: FrameType.Cont, txSeq: 1, streamIndex: 0, counter: 0, pktTotal: 50, pktIdxField: FRAMEINFO_MARKER, payloadSize: 10, prevFrameNo: 1, frameNo: 2 });
    const p = media(b);
    assert.equal(p.marker, false);
    assert.equal(p.pktIdx, 40);
  });

  test('header sizes and FRAMEINFO rule by type', () => {
    assert.deepEqual([0, 1, 4, 5, 8, 9, 0x0d, 2, 6].map(directHeaderSize), [28, 28, 28, 28, 36, 36, 36, 28, 28]);
    assert.deepEqual([0, 1, 4, 5, 8, 0x0d, 2].map((t) => carriesFrameInfo(t, 1)), [false, true, false, true, false, true, false]);
    assert.equal(carriesFrameInfo(9, 1), true);
    assert.equal(carriesFrameInfo(9, 3), false);
  });

  test('malformed: short headers, wrong first byte', () => {
    for (const bad of [new Uint8Array(0), Uint8Array.of(5), h(START36).subarray(0, 35), h(ENDMULTI28).subarray(0, 27), Uint8Array.of(0x09, 0, 0x0c, 0), Uint8Array.of(0x06, 1, 2, 3)]) {
      assert.throws(() => parseAvPacket(bad), TutkParseError);
    }
  });

  test('resend = 1 wrapped header: channel at 16 (28-byte types) or 24 (36-byte types), fields shifted by 8', () => {
    for (const frameType of [FrameType.EndSingle, FrameType.EndExt]) {
      const fields = { channel: MediaChannel.PFrame, frameType, txSeq: 0x1234, streamIndex: 1, counter: 9, pktTotal: 1, pktIdxField: FRAMEINFO_MARKER, payloadSize: 4, prevFrameNo: 77, frameNo: 78 } as const;
      const direct = new Uint8Array(directHeaderSize(frameType) + 4);
      writeMediaHeader(direct, fields, 0);
      const wrapped = new Uint8Array(directHeaderSize(frameType) + 8 + 4);
      const size = writeMediaHeader(wrapped, fields, 1);
      assert.equal(size, directHeaderSize(frameType) + 8);
      assert.equal(wrapped[0], 0x0c);
      assert.equal(wrapped[frameType === FrameType.EndSingle ? 16 : 24], MediaChannel.PFrame);
      // Everything after the first 8 direct bytes is the same, 8 bytes later.
      assert.deepEqual(wrapped.subarray(16), direct.subarray(8));
      const a = media(direct);
      const b = media(wrapped);
      assert.equal(b.format, 'wrapped');
      assert.deepEqual({ ...b, format: 'direct', headerSize: a.headerSize, payload: a.payload }, a);
    }
  });

  test('resend = 1 frame-index packet (inner byte 0x0c) is recognised, with its frame numbers', () => {
    const b = new Uint8Array(1080);
    b.set([0x0c, 0x00, 0x0b, 0x00, 0x22, 0x01], 0);
    b[16] = 0x0c;
    b[36] = 0x05;
    b[37] = 0x08;
    new DataView(b.buffer).setUint32(48, 1000, true);
    new DataView(b.buffer).setUint32(52, 1001, true);
    const p = parseAvPacket(b);
    assert.deepEqual(p, { kind: 'frame-index', txSeq: 0x122, channel: 5, frameType: 8, prevFrameNo: 1000, frameNo: 1001 });
    assert.throws(() => parseAvPacket(b.subarray(0, 55)), TutkParseError);
  });

  test('a wrapped record whose inner channel is not media is rejected', () => {
    const b = new Uint8Array(60);
    b[0] = 0x0c;
    b[16] = 0x00; // e.g. the 0x7000 of an IOCTRL record
    assert.throws(() => parseAvPacket(b), (e) => e instanceof TutkParseError && e.reason === 'not-media');
  });
});
