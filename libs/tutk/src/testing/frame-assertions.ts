// Test helpers for the frame assemblers: feeding packets, and the checks the specs share (frames identical
// to their source, every packet accounted for, video decodable).
import assert from 'node:assert/strict';
import type { Frame, MediaFrameAssembler } from '../frames/assembly';
import { MediaChannel } from '../frames/codecs';
import type { SourceFrame } from './synthetic-stream';

/** Every frame each push releases (push() returns the first, pull() the rest). */
export function feed(a: MediaFrameAssembler, packets: Uint8Array[]): Frame[] {
  const frames: Frame[] = [];
  for (const p of packets) for (let f = a.push(p); f; f = a.pull()) frames.push(f);
  return frames;
}

/** What flush() releases at the end of a session. */
export function flushed(a: MediaFrameAssembler): Frame[] {
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

export function assertIdentical(stream: SourceFrame[], frames: Frame[]): void {
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
export function shuffleWithin(packets: Uint8Array[], w: number, rand: () => number): Uint8Array[] {
  const out = [...packets];
  for (let b = 0; b < out.length; b += w) {
    for (let i = Math.min(b + w, out.length) - 1; i > b; i--) {
      const j = b + ((rand() * (i - b + 1)) | 0);
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return out;
}

export const key = (x: { channel: MediaChannel; packetFrameNo: number }) => `${x.channel}/${x.packetFrameNo}`;
export const ofKind = <T extends { channel: MediaChannel }>(xs: T[], kind: 'video' | 'audio') => xs.filter((x) => (x.channel === MediaChannel.Audio) === (kind === 'audio'));

export function sumOf(r: Record<string, number>): number {
  return Object.values(r).reduce((x, y) => x + y, 0);
}

/** Every packet pushed is delivered, dropped under a reason, ignored as a frame index, or still in flight. */
export function assertAccounted(a: MediaFrameAssembler): void {
  const s = a.stats;
  assert.equal(s.packets, s.packetsDelivered + sumOf(s.packetsDropped) + s.frameIndexPackets + a.inFlightPackets);
}

/** Video emitted in header order, each P-frame preceded by its whole chain back to an emitted keyframe. */
export function assertDecodable(stream: SourceFrame[], frames: Frame[]): void {
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
