import { splitAnnexB } from './annexb';
import { H264NalType, h264NalType, isH264Keyframe } from './h264';
import { H265NalType, h265NalType, isH265Keyframe } from './h265';
import type { VideoCodec } from '../stream-config';

/** One access unit of an Annex-B elementary stream: a view into the stream, start codes included. */
export interface AccessUnit {
  /** Annex-B bytes from the unit's first start code to the next unit's. */
  data: Uint8Array;
  /** Its NAL units, without start codes. */
  nals: Uint8Array[];
  /** IDR (H.264) or IRAP (H.265) picture. */
  keyframe: boolean;
}

/**
 * Groups an Annex-B elementary stream (a .264/.265 file) into access units (H.264 §7.4.1.2.3,
 * H.265 §7.4.2.4.4): a new one starts at a delimiter, at a parameter set or prefix SEI that follows a
 * picture's slices, or at a slice that is the first of its picture. Views only; nothing is copied.
 */
export function splitAccessUnits(stream: Uint8Array, codec: VideoCodec): AccessUnit[] {
  const units: AccessUnit[] = [];
  let nals: Uint8Array[] = [];
  let start = 0;
  let hasVcl = false;
  const close = (end: number) => {
    if (nals.length === 0) return;
    units.push({ data: stream.subarray(start, end), nals, keyframe: codec === 'h264' ? isH264Keyframe(nals) : isH265Keyframe(nals) });
    nals = [];
    hasVcl = false;
  };
  for (const nal of splitAnnexB(stream)) {
    const offset = nal.byteOffset - stream.byteOffset;
    const startCode = offset >= 4 && stream[offset - 4] === 0 ? offset - 4 : offset - 3;
    const { vcl, firstInPicture, opensUnit } = codec === 'h264' ? classifyH264(nal) : classifyH265(nal);
    if ((opensUnit && hasVcl) || (vcl && firstInPicture && hasVcl) || (h264OrH265Aud(nal, codec) && nals.length > 0)) {
      close(startCode);
      start = startCode;
    }
    if (nals.length === 0) start = startCode;
    nals.push(nal);
    if (vcl) hasVcl = true;
  }
  close(stream.length);
  return units;
}

function h264OrH265Aud(nal: Uint8Array, codec: VideoCodec): boolean {
  return codec === 'h264' ? h264NalType(nal) === H264NalType.Aud : h265NalType(nal) === H265NalType.Aud;
}

function classifyH264(nal: Uint8Array): { vcl: boolean; firstInPicture: boolean; opensUnit: boolean } {
  const t = h264NalType(nal);
  const vcl = t >= 1 && t <= 5;
  // first_mb_in_slice is ue(v): it is 0 exactly when its first bit is 1.
  return { vcl, firstInPicture: vcl && nal.length > 1 && (nal[1] & 0x80) !== 0, opensUnit: (t >= 6 && t <= 9) || (t >= 14 && t <= 18) };
}

function classifyH265(nal: Uint8Array): { vcl: boolean; firstInPicture: boolean; opensUnit: boolean } {
  const t = h265NalType(nal);
  const vcl = t < 32;
  // first_slice_segment_in_pic_flag is the first bit after the 2-byte NAL header.
  return {
    vcl,
    firstInPicture: vcl && nal.length > 2 && (nal[2] & 0x80) !== 0,
    opensUnit: (t >= H265NalType.Vps && t <= H265NalType.Aud) || t === H265NalType.PrefixSei || (t >= 41 && t <= 44) || (t >= 48 && t <= 55),
  };
}
