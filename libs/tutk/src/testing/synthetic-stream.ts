// Test and benchmark input: camera-shaped packet streams with random frame contents (not real codec data).
import { rng } from '../wire/fuzz';
import { Codec, MediaChannel } from '../frames/codecs';
import { type FrameInfo, audioFlags } from '../frames/frame-info';
import { packetizeFrame } from '../frames/packetizer';

export interface SourceFrame {
  channel: MediaChannel;
  packetFrameNo: number;
  data: Uint8Array;
  info: FrameInfo;
  packets: Uint8Array[];
}

/** A plausible FRAMEINFO for a synthetic frame. */
export function sampleFrameInfo(codec: number, flags: number, size: number, frameNo: number): FrameInfo {
  return { codec, flags, camIndex: 0, onlineNum: 1, fps: 20, resTier: 4, bitrate: 200, timestampUs: (frameNo * 50_000) % 1_000_000, timestampSec: 1_727_342_996, payloadSize: size, frameNo, deviceId: '35E02A2F08E1' };
}

/**
 * A camera-like stream: GOPs of one multi-packet keyframe on 0x05 and P-frames on 0x07 sharing one
 * header frame counter whose previous-frame field links consecutive video frames (as in the sample
 * packets), with single-packet audio frames in between.
 */
export function makeStream(seed: number, gops: number, gopLength = 10): SourceFrame[] {
  const rand = rng(seed);
  const out: SourceFrame[] = [];
  let videoNo = 100;
  let audioNo = 5000;
  let txSeq = 0;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => (rand() * 256) | 0);
  const add = (channel: MediaChannel, data: Uint8Array, fi: FrameInfo, frameNo: number, prev: number) => {
    const packets = packetizeFrame(data, { channel, frameNo, prevFrameNo: prev, frameInfo: fi, txSeq, counter: txSeq });
    txSeq += packets.length;
    out.push({ channel, packetFrameNo: frameNo, data, info: fi, packets });
  };
  for (let g = 0; g < gops; g++) {
    for (let i = 0; i < gopLength; i++) {
      const key = i === 0;
      const size = key ? 3000 + ((rand() * 12000) | 0) : 1 + ((rand() * 2500) | 0);
      const data = bytes(size);
      add(key ? MediaChannel.IFrame : MediaChannel.PFrame, data, sampleFrameInfo(Codec.H264, key ? 1 : 0, size, 70_000 + videoNo), videoNo + 1, videoNo);
      videoNo++;
      if (rand() < 0.6) {
        const a = bytes(20 + ((rand() * 300) | 0));
        add(MediaChannel.Audio, a, sampleFrameInfo(Codec.AacWyze, audioFlags(16000, 1), a.length, audioNo), audioNo + 1, 0);
        audioNo++;
      }
    }
  }
  return out;
}
