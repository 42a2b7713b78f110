import { MediaParseError } from '../errors';
import { BitReader, toRbsp } from './bit-reader';

/** nal_unit_type values (H.264 Table 7-1) that the recorder cares about. */
export const H264NalType = {
  NonIdrSlice: 1,
  IdrSlice: 5,
  Sei: 6,
  Sps: 7,
  Pps: 8,
  Aud: 9,
  EndOfSequence: 10,
  EndOfStream: 11,
  Filler: 12,
} as const;

/** nal_unit_type: the low 5 bits of the NAL header byte (H.264 §7.3.1). */
export function h264NalType(nal: Uint8Array): number {
  return nal.length > 0 ? nal[0] & 0x1f : -1;
}

/** An access unit is a keyframe when it carries an IDR slice (nal_unit_type 5). */
export function isH264Keyframe(nals: readonly Uint8Array[]): boolean {
  for (const nal of nals) if (h264NalType(nal) === H264NalType.IdrSlice) return true;
  return false;
}

export interface H264Sps {
  profileIdc: number;
  /** constraint_set0..5_flag and reserved_zero_2bits as one byte: avcC's profile_compatibility. */
  constraintFlags: number;
  levelIdc: number;
  spsId: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  frameMbsOnly: boolean;
  /** Display size after frame cropping (H.264 §7.4.2.1.1, equations 7-19 to 7-22). */
  width: number;
  height: number;
  /** Coded size in luma samples (macroblock multiple). */
  codedWidth: number;
  codedHeight: number;
}

/** Profiles whose SPS carries chroma_format_idc and bit depths (H.264 §7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: BitReader, size: number): void {
  // scaling_list() (H.264 §7.3.2.1.1.1): only delta_scale is in the bitstream.
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size; j++) {
    if (nextScale !== 0) {
      const deltaScale = r.readSignedExpGolomb(); // delta_scale
      nextScale = (lastScale + deltaScale + 256) % 256;
    }
    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}

/** seq_parameter_set_data() (H.264 §7.3.2.1.1); `nal` includes the one-byte NAL header. */
export function parseH264Sps(nal: Uint8Array): H264Sps {
  if (h264NalType(nal) !== H264NalType.Sps) throw new MediaParseError('invalid', `not an SPS NAL (type ${h264NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(1)));
  const profileIdc = r.readBits(8); // profile_idc
  const constraintFlags = r.readBits(8); // constraint_set0..5_flag, reserved_zero_2bits
  const levelIdc = r.readBits(8); // level_idc
  const spsId = r.readExpGolomb(); // seq_parameter_set_id
  if (spsId > 31) throw new MediaParseError('invalid', `seq_parameter_set_id ${spsId} > 31`);
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.readExpGolomb(); // chroma_format_idc
    if (chromaFormatIdc > 3) throw new MediaParseError('invalid', `chroma_format_idc ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) separateColourPlane = r.readFlag(); // separate_colour_plane_flag
    bitDepthLuma = 8 + r.readExpGolomb(); // bit_depth_luma_minus8
    bitDepthChroma = 8 + r.readExpGolomb(); // bit_depth_chroma_minus8
    if (bitDepthLuma > 14 || bitDepthChroma > 14) throw new MediaParseError('invalid', 'bit depth > 14');
    r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (r.readFlag()) {
      // seq_scaling_matrix_present_flag
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) {
        if (r.readFlag()) skipScalingList(r, i < 6 ? 16 : 64); // seq_scaling_list_present_flag[i]
      }
    }
  }
  r.readExpGolomb(); // log2_max_frame_num_minus4
  const picOrderCntType = r.readExpGolomb(); // pic_order_cnt_type
  if (picOrderCntType === 0) {
    r.readExpGolomb(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (picOrderCntType === 1) {
    r.skipBits(1); // delta_pic_order_always_zero_flag
    r.readSignedExpGolomb(); // offset_for_non_ref_pic
    r.readSignedExpGolomb(); // offset_for_top_to_bottom_field
    const cycle = r.readExpGolomb(); // num_ref_frames_in_pic_order_cnt_cycle
    if (cycle > 255) throw new MediaParseError('invalid', `num_ref_frames_in_pic_order_cnt_cycle ${cycle}`);
    for (let i = 0; i < cycle; i++) r.readSignedExpGolomb(); // offset_for_ref_frame[i]
  } else if (picOrderCntType !== 2) {
    throw new MediaParseError('invalid', `pic_order_cnt_type ${picOrderCntType}`);
  }
  r.readExpGolomb(); // max_num_ref_frames
  r.skipBits(1); // gaps_in_frame_num_value_allowed_flag
  const picWidthInMbs = r.readExpGolomb() + 1; // pic_width_in_mbs_minus1
  const picHeightInMapUnits = r.readExpGolomb() + 1; // pic_height_in_map_units_minus1
  const frameMbsOnly = r.readFlag(); // frame_mbs_only_flag
  if (!frameMbsOnly) r.skipBits(1); // mb_adaptive_frame_field_flag
  r.skipBits(1); // direct_8x8_inference_flag
  let cropLeft = 0;
  let cropRight = 0;
  let cropTop = 0;
  let cropBottom = 0;
  if (r.readFlag()) {
    // frame_cropping_flag
    cropLeft = r.readExpGolomb(); // frame_crop_left_offset
    cropRight = r.readExpGolomb(); // frame_crop_right_offset
    cropTop = r.readExpGolomb(); // frame_crop_top_offset
    cropBottom = r.readExpGolomb(); // frame_crop_bottom_offset
  }
  // vui_parameters_present_flag and the VUI follow; nothing in them is needed for avcC.

  // ChromaArrayType is 0 for monochrome or separate colour planes; then crop units are single samples.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
  const codedWidth = picWidthInMbs * 16;
  const codedHeight = (frameMbsOnly ? 1 : 2) * picHeightInMapUnits * 16;
  const width = codedWidth - cropUnitX * (cropLeft + cropRight);
  const height = codedHeight - cropUnitY * (cropTop + cropBottom);
  if (width <= 0 || height <= 0 || codedWidth > 16384 || codedHeight > 16384) {
    throw new MediaParseError('invalid', `SPS size ${width}x${height} (coded ${codedWidth}x${codedHeight})`);
  }
  return {
    profileIdc,
    constraintFlags,
    levelIdc,
    spsId,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    frameMbsOnly,
    width,
    height,
    codedWidth,
    codedHeight,
  };
}

export interface H264Pps {
  ppsId: number;
  spsId: number;
  entropyCodingModeFlag: boolean;
}

/** The first fields of pic_parameter_set_rbsp() (H.264 §7.3.2.2): enough to tie a PPS to its SPS. */
export function parseH264Pps(nal: Uint8Array): H264Pps {
  if (h264NalType(nal) !== H264NalType.Pps) throw new MediaParseError('invalid', `not a PPS NAL (type ${h264NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(1)));
  const ppsId = r.readExpGolomb(); // pic_parameter_set_id
  const spsId = r.readExpGolomb(); // seq_parameter_set_id
  const entropyCodingModeFlag = r.readFlag(); // entropy_coding_mode_flag
  if (ppsId > 255 || spsId > 31) throw new MediaParseError('invalid', `PPS ids ${ppsId}/${spsId} out of range`);
  return { ppsId, spsId, entropyCodingModeFlag };
}

/** RFC 6381 codecs parameter, e.g. `avc1.4d401f`. */
export function h264CodecString(sps: H264Sps): string {
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  return `avc1.${hex(sps.profileIdc)}${hex(sps.constraintFlags)}${hex(sps.levelIdc)}`;
}
