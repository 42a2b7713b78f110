/**
 * Annex-B elementary stream → access units, the way a camera's encoder hands frames over: one buffer per
 * picture, start codes kept, parameter sets (and an AUD, when the stream has them) at the start of each
 * keyframe's access unit (FACTS §10.5). The splitting itself is libs/media's.
 */
import { splitAnnexB } from '@wyze-nvr/media';

export { splitAccessUnits, type AccessUnit } from '@wyze-nvr/media';

export type VideoCodecName = 'h264' | 'h265';

/** Codec of an Annex-B stream, from its parameter sets: an H.265 VPS/SPS or an H.264 SPS. */
export function detectVideoCodec(stream: Uint8Array): VideoCodecName | undefined {
  const nals = splitAnnexB(stream.subarray(0, Math.min(stream.length, 4096)));
  for (const nal of nals) {
    if (nal.length < 2 || (nal[0] & 0x80) !== 0) continue;
    // H.265: a 2-byte header, layer 0, temporal id 1 → byte 1 is 0x01; types 32/33 are VPS/SPS.
    const t265 = (nal[0] >>> 1) & 0x3f;
    if ((t265 === 32 || t265 === 33) && nal[1] === 0x01) return 'h265';
    if ((nal[0] & 0x1f) === 7) return 'h264';
  }
  return undefined;
}
