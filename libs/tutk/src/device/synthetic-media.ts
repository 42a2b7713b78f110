// Test input for the emulator: camera-shaped frame sequences with random contents (not decodable media).
import { rng } from '../wire/fuzz';
import { Codec } from '../frames/codecs';
import type { MediaFrame } from './media-source';

export interface SyntheticMediaOptions {
  seed?: number;
  gops?: number;
  gopLength?: number;
  /** Video frame period in µs (default 50 ms, 20 fps). */
  frameUs?: number;
  videoCodec?: number;
  /** Audio frames per video frame (0 for none). */
  audioPerVideo?: number;
  audioCodec?: number;
  maxFrameBytes?: number;
}

/**
 * GOPs of one keyframe (led by an H.264 SPS start code, FACTS §10.5) and P-frames, with audio frames
 * interleaved in timestamp order.
 */
export function syntheticMedia(o: SyntheticMediaOptions = {}): MediaFrame[] {
  const rand = rng(o.seed ?? 1);
  const gops = o.gops ?? 2;
  const gopLength = o.gopLength ?? 10;
  const frameUs = o.frameUs ?? 50_000;
  const audioPer = o.audioPerVideo ?? 1;
  const maxBytes = o.maxFrameBytes ?? 12_000;
  const bytes = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
    return b;
  };
  const out: MediaFrame[] = [];
  let t = 0;
  for (let g = 0; g < gops; g++) {
    for (let i = 0; i < gopLength; i++) {
      const key = i === 0;
      const data = bytes(key ? Math.max(64, (maxBytes / 2 + rand() * (maxBytes / 2)) | 0) : 1 + ((rand() * (maxBytes / 4)) | 0));
      if (key) data.set([0, 0, 0, 1, 0x67], 0);
      out.push({ kind: 'video', codec: o.videoCodec ?? Codec.H264, keyframe: key, data, timestampUs: t });
      for (let a = 0; a < audioPer; a++) {
        out.push({ kind: 'audio', codec: o.audioCodec ?? Codec.AacWyze, keyframe: false, data: bytes(20 + ((rand() * 300) | 0)), timestampUs: t + Math.floor((a * frameUs) / audioPer), sampleRate: 16000, channels: 1 });
      }
      t += frameUs;
    }
  }
  return out;
}
