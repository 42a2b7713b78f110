/**
 * Annex-B elementary stream → access units, the way a camera's encoder hands frames over: one buffer per
 * picture, start codes kept, parameter sets (and an AUD, when the stream has them) at the start of each
 * keyframe's access unit (FACTS §10.5).
 */
import { splitAnnexB, isH264Keyframe, isH265Keyframe } from '@wyze-nvr/media';

export type VideoCodecName = 'h264' | 'h265';

export interface AccessUnit {
  /** Annex-B bytes from the first start code of the unit to the next unit's; a view into the file. */
  data: Uint8Array;
  /** IDR (H.264) or IRAP (H.265) picture. */
  keyframe: boolean;
}

/**
 * Splits a whole Annex-B stream into access units. A new unit begins at an AUD, or at the first NAL unit
 * that may only precede a picture (parameter sets, SEI, …) or at a first slice, once the current unit
 * already holds a slice (H.264 §7.4.1.2.3, H.265 §7.4.2.4.4).
 */
export function splitAccessUnits(stream: Uint8Array, codec: VideoCodecName): AccessUnit[] {
  const nals = splitAnnexB(stream);
  const units: AccessUnit[] = [];
  let unitStart = -1;
  let unitNals: Uint8Array[] = [];
  let hasSlice = false;
  const finish = (end: number) => {
    if (unitStart >= 0 && unitNals.length > 0) {
      const keyframe = codec === 'h264' ? isH264Keyframe(unitNals) : isH265Keyframe(unitNals);
      units.push({ data: stream.subarray(unitStart, end), keyframe });
    }
    unitNals = [];
    hasSlice = false;
  };
  for (const nal of nals) {
    const offset = nal.byteOffset - stream.byteOffset;
    // The start code: 3 bytes, or 4 with its leading zero (zero_byte).
    const scStart = offset >= 4 && stream[offset - 4] === 0 ? offset - 4 : offset - 3;
    const k = classify(nal, codec);
    if (k === 'aud' || (hasSlice && (k === 'prefix' || (k === 'slice' && isFirstSlice(nal, codec))))) {
      finish(scStart);
      unitStart = scStart;
    } else if (unitStart < 0) {
      unitStart = scStart;
    }
    unitNals.push(nal);
    if (k === 'slice') hasSlice = true;
  }
  finish(stream.length);
  return units;
}

type NalKind = 'aud' | 'prefix' | 'slice' | 'other';

function classify(nal: Uint8Array, codec: VideoCodecName): NalKind {
  if (codec === 'h264') {
    const t = nal[0] & 0x1f; // nal_unit_type
    if (t === 9) return 'aud';
    if (t >= 1 && t <= 5) return 'slice';
    // SEI, SPS, PPS, 14..18 (H.264 §7.4.1.2.3)
    if (t === 6 || t === 7 || t === 8 || (t >= 14 && t <= 18)) return 'prefix';
    return 'other';
  }
  const t = (nal[0] >>> 1) & 0x3f; // nal_unit_type
  if (t === 35) return 'aud';
  if (t <= 31) return 'slice';
  // VPS, SPS, PPS, prefix SEI, 41..44, 48..55 (H.265 §7.4.2.4.4)
  if (t === 32 || t === 33 || t === 34 || t === 39 || (t >= 41 && t <= 44) || (t >= 48 && t <= 55)) return 'prefix';
  return 'other';
}

/** first_mb_in_slice == 0 (ue(v) '1') for H.264; first_slice_segment_in_pic_flag for H.265. */
function isFirstSlice(nal: Uint8Array, codec: VideoCodecName): boolean {
  if (codec === 'h264') return nal.length > 1 && (nal[1] & 0x80) !== 0;
  return nal.length > 2 && (nal[2] & 0x80) !== 0;
}

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
