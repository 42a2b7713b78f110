import type { VideoCodec } from '@wyze-nvr/media';

/**
 * Whether an Annex-B access unit is a random access point, from its NAL unit types (FACTS §10.5: the
 * FRAMEINFO flag is not trusted). Walks start codes only up to the first slice, so a P-frame costs a few
 * bytes and a keyframe its parameter sets; nothing is allocated. H.264: IDR (type 5) vs other slices
 * (1..4); H.265: IRAP (16..21) vs other VCL types (0..31).
 */
export function isKeyframeAccessUnit(codec: VideoCodec, b: Uint8Array): boolean {
  const n = b.length;
  let i = 0;
  while (i + 3 < n) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1) {
      const h = b[i + 3];
      if (codec === 'h264') {
        const t = h & 0x1f;
        if (t === 5) return true;
        if (t >= 1 && t <= 4) return false;
      } else {
        const t = (h >> 1) & 0x3f;
        if (t >= 16 && t <= 21) return true;
        if (t < 32) return false;
      }
      i += 4;
      continue;
    }
    i++;
  }
  return false;
}
