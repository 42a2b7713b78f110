import { MediaParseError } from '../errors';
import { BitReader, toRbsp } from './bit-reader';

/** nal_unit_type values (H.265 Table 7-1) that the recorder cares about. */
export const H265NalType = {
  TrailN: 0,
  TrailR: 1,
  /** IRAP pictures are types 16..23; 16..21 are the defined ones (BLA, IDR, CRA). */
  BlaWLp: 16,
  IdrWRadl: 19,
  IdrNLp: 20,
  CraNut: 21,
  Vps: 32,
  Sps: 33,
  Pps: 34,
  Aud: 35,
  Eos: 36,
  Eob: 37,
  Fd: 38,
  PrefixSei: 39,
  SuffixSei: 40,
} as const;

/** nal_unit_type: bits 1..6 of the first NAL header byte (H.265 §7.3.1.2). */
export function h265NalType(nal: Uint8Array): number {
  return nal.length > 0 ? (nal[0] >>> 1) & 0x3f : -1;
}

/** An access unit is a keyframe (random access point) when it carries an IRAP picture, types 16..21. */
export function isH265Keyframe(nals: readonly Uint8Array[]): boolean {
  for (const nal of nals) {
    const t = h265NalType(nal);
    if (t >= H265NalType.BlaWLp && t <= H265NalType.CraNut) return true;
  }
  return false;
}

/** general_* fields of profile_tier_level() (H.265 §7.3.3), as hvcC needs them. */
export interface H265ProfileTierLevel {
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  /** general_profile_compatibility_flag[0..31] as a big-endian u32. */
  generalProfileCompatibilityFlags: number;
  /** progressive_source_flag … general_inbld_flag/reserved: the 48 bits after the compatibility flags. */
  generalConstraintIndicatorFlags: Uint8Array;
  generalLevelIdc: number;
}

function parseProfileTierLevel(r: BitReader, maxNumSubLayersMinus1: number): H265ProfileTierLevel {
  const generalProfileSpace = r.readBits(2); // general_profile_space
  const generalTierFlag = r.readBits(1); // general_tier_flag
  const generalProfileIdc = r.readBits(5); // general_profile_idc
  const generalProfileCompatibilityFlags = r.readBits(32); // general_profile_compatibility_flag[32]
  const generalConstraintIndicatorFlags = new Uint8Array(6); // progressive_source_flag … (48 bits)
  for (let i = 0; i < 6; i++) generalConstraintIndicatorFlags[i] = r.readBits(8);
  const generalLevelIdc = r.readBits(8); // general_level_idc
  const subLayerProfilePresent: boolean[] = [];
  const subLayerLevelPresent: boolean[] = [];
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    subLayerProfilePresent.push(r.readFlag()); // sub_layer_profile_present_flag[i]
    subLayerLevelPresent.push(r.readFlag()); // sub_layer_level_present_flag[i]
  }
  if (maxNumSubLayersMinus1 > 0) {
    for (let i = maxNumSubLayersMinus1; i < 8; i++) r.skipBits(2); // reserved_zero_2bits
  }
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    if (subLayerProfilePresent[i]) r.skipBits(88); // sub_layer_profile_space … sub_layer_inbld_flag
    if (subLayerLevelPresent[i]) r.skipBits(8); // sub_layer_level_idc[i]
  }
  return {
    generalProfileSpace,
    generalTierFlag,
    generalProfileIdc,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags,
    generalLevelIdc,
  };
}

export interface H265Vps {
  vpsId: number;
  maxSubLayers: number;
  temporalIdNesting: boolean;
  profileTierLevel: H265ProfileTierLevel;
}

/** The head of video_parameter_set_rbsp() (H.265 §7.3.2.1). */
export function parseH265Vps(nal: Uint8Array): H265Vps {
  if (h265NalType(nal) !== H265NalType.Vps) throw new MediaParseError('invalid', `not a VPS NAL (type ${h265NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(2)));
  const vpsId = r.readBits(4); // vps_video_parameter_set_id
  r.skipBits(1); // vps_base_layer_internal_flag
  r.skipBits(1); // vps_base_layer_available_flag
  r.skipBits(6); // vps_max_layers_minus1
  const maxSubLayersMinus1 = r.readBits(3); // vps_max_sub_layers_minus1
  if (maxSubLayersMinus1 > 6) throw new MediaParseError('invalid', `vps_max_sub_layers_minus1 ${maxSubLayersMinus1}`);
  const temporalIdNesting = r.readFlag(); // vps_temporal_id_nesting_flag
  r.skipBits(16); // vps_reserved_0xffff_16bits
  const profileTierLevel = parseProfileTierLevel(r, maxSubLayersMinus1);
  return { vpsId, maxSubLayers: maxSubLayersMinus1 + 1, temporalIdNesting, profileTierLevel };
}

export interface H265Sps {
  vpsId: number;
  spsId: number;
  maxSubLayers: number;
  temporalIdNesting: boolean;
  profileTierLevel: H265ProfileTierLevel;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** Display size after the conformance window (H.265 §7.4.3.2.1). */
  width: number;
  height: number;
  /** pic_width/height_in_luma_samples. */
  codedWidth: number;
  codedHeight: number;
}

/** seq_parameter_set_rbsp() up to the bit depths (H.265 §7.3.2.2.1); `nal` includes the 2-byte NAL header. */
export function parseH265Sps(nal: Uint8Array): H265Sps {
  if (h265NalType(nal) !== H265NalType.Sps) throw new MediaParseError('invalid', `not an SPS NAL (type ${h265NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(2)));
  const vpsId = r.readBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.readBits(3); // sps_max_sub_layers_minus1
  if (maxSubLayersMinus1 > 6) throw new MediaParseError('invalid', `sps_max_sub_layers_minus1 ${maxSubLayersMinus1}`);
  const temporalIdNesting = r.readFlag(); // sps_temporal_id_nesting_flag
  const profileTierLevel = parseProfileTierLevel(r, maxSubLayersMinus1);
  const spsId = r.readExpGolomb(); // sps_seq_parameter_set_id
  if (spsId > 15) throw new MediaParseError('invalid', `sps_seq_parameter_set_id ${spsId} > 15`);
  const chromaFormatIdc = r.readExpGolomb(); // chroma_format_idc
  if (chromaFormatIdc > 3) throw new MediaParseError('invalid', `chroma_format_idc ${chromaFormatIdc}`);
  let separateColourPlane = false;
  if (chromaFormatIdc === 3) separateColourPlane = r.readFlag(); // separate_colour_plane_flag
  const codedWidth = r.readExpGolomb(); // pic_width_in_luma_samples
  const codedHeight = r.readExpGolomb(); // pic_height_in_luma_samples
  let winLeft = 0;
  let winRight = 0;
  let winTop = 0;
  let winBottom = 0;
  if (r.readFlag()) {
    // conformance_window_flag
    winLeft = r.readExpGolomb(); // conf_win_left_offset
    winRight = r.readExpGolomb(); // conf_win_right_offset
    winTop = r.readExpGolomb(); // conf_win_top_offset
    winBottom = r.readExpGolomb(); // conf_win_bottom_offset
  }
  const bitDepthLuma = 8 + r.readExpGolomb(); // bit_depth_luma_minus8
  const bitDepthChroma = 8 + r.readExpGolomb(); // bit_depth_chroma_minus8
  if (bitDepthLuma > 16 || bitDepthChroma > 16) throw new MediaParseError('invalid', 'bit depth > 16');
  // ChromaArrayType is 0 with separate colour planes; SubWidthC/SubHeightC from H.265 Table 6-1.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const width = codedWidth - subWidthC * (winLeft + winRight);
  const height = codedHeight - subHeightC * (winTop + winBottom);
  if (width <= 0 || height <= 0 || codedWidth > 16888 || codedHeight > 16888) {
    throw new MediaParseError('invalid', `SPS size ${width}x${height} (coded ${codedWidth}x${codedHeight})`);
  }
  return {
    vpsId,
    spsId,
    maxSubLayers: maxSubLayersMinus1 + 1,
    temporalIdNesting,
    profileTierLevel,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    width,
    height,
    codedWidth,
    codedHeight,
  };
}

export interface H265Pps {
  ppsId: number;
  spsId: number;
}

/** The first fields of pic_parameter_set_rbsp() (H.265 §7.3.2.3.1). */
export function parseH265Pps(nal: Uint8Array): H265Pps {
  if (h265NalType(nal) !== H265NalType.Pps) throw new MediaParseError('invalid', `not a PPS NAL (type ${h265NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(2)));
  const ppsId = r.readExpGolomb(); // pps_pic_parameter_set_id
  const spsId = r.readExpGolomb(); // pps_seq_parameter_set_id
  if (ppsId > 63 || spsId > 15) throw new MediaParseError('invalid', `PPS ids ${ppsId}/${spsId} out of range`);
  return { ppsId, spsId };
}

/** RFC 6381 / ISO 14496-15 Annex E codecs parameter, e.g. `hvc1.1.6.L93.B0`. */
export function h265CodecString(ptl: H265ProfileTierLevel): string {
  const space = ['', 'A', 'B', 'C'][ptl.generalProfileSpace];
  // The compatibility flags are written in reverse bit order, in hex.
  let flags = ptl.generalProfileCompatibilityFlags >>> 0;
  let reversed = 0;
  for (let i = 0; i < 32; i++) {
    reversed = (reversed * 2) + (flags & 1);
    flags >>>= 1;
  }
  const constraints = Array.from(ptl.generalConstraintIndicatorFlags);
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const tail = constraints.map((b) => `.${b.toString(16).toUpperCase()}`).join('');
  return `hvc1.${space}${ptl.generalProfileIdc}.${reversed.toString(16).toUpperCase()}.${ptl.generalTierFlag ? 'H' : 'L'}${ptl.generalLevelIdc}${tail}`;
}
