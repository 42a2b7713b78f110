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
  separateColourPlane: boolean;
  /** ChromaArrayType (H.264 §7.4.2.1.1): 0 for monochrome or separate colour planes. */
  chromaArrayType: number;
  log2MaxFrameNum: number;
  picOrderCntType: number;
  /** 0 unless pic_order_cnt_type is 0. */
  log2MaxPicOrderCntLsb: number;
  deltaPicOrderAlwaysZero: boolean;
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
  const log2MaxFrameNum = r.readExpGolomb() + 4; // log2_max_frame_num_minus4
  const picOrderCntType = r.readExpGolomb(); // pic_order_cnt_type
  let log2MaxPicOrderCntLsb = 0;
  let deltaPicOrderAlwaysZero = false;
  if (picOrderCntType === 0) {
    log2MaxPicOrderCntLsb = r.readExpGolomb() + 4; // log2_max_pic_order_cnt_lsb_minus4
  } else if (picOrderCntType === 1) {
    deltaPicOrderAlwaysZero = r.readFlag(); // delta_pic_order_always_zero_flag
    r.readSignedExpGolomb(); // offset_for_non_ref_pic
    r.readSignedExpGolomb(); // offset_for_top_to_bottom_field
    const cycle = r.readExpGolomb(); // num_ref_frames_in_pic_order_cnt_cycle
    if (cycle > 255) throw new MediaParseError('invalid', `num_ref_frames_in_pic_order_cnt_cycle ${cycle}`);
    for (let i = 0; i < cycle; i++) r.readSignedExpGolomb(); // offset_for_ref_frame[i]
  } else if (picOrderCntType !== 2) {
    throw new MediaParseError('invalid', `pic_order_cnt_type ${picOrderCntType}`);
  }
  if (log2MaxFrameNum > 16 || log2MaxPicOrderCntLsb > 16) throw new MediaParseError('invalid', 'log2_max_frame_num or log2_max_pic_order_cnt_lsb > 16');
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
    separateColourPlane,
    chromaArrayType,
    log2MaxFrameNum,
    picOrderCntType,
    log2MaxPicOrderCntLsb,
    deltaPicOrderAlwaysZero,
    frameMbsOnly,
    width,
    height,
    codedWidth,
    codedHeight,
  };
}

/** pic_parameter_set_rbsp() fields (H.264 §7.3.2.2): the ids, and those that shape the slice header (§7.3.3). */
export interface H264Pps {
  ppsId: number;
  spsId: number;
  entropyCodingModeFlag: boolean;
  bottomFieldPicOrderInFramePresent: boolean;
  numRefIdxL0DefaultActive: number;
  numRefIdxL1DefaultActive: number;
  weightedPred: boolean;
  weightedBipredIdc: number;
  /** 26 + pic_init_qp_minus26. */
  picInitQp: number;
  redundantPicCntPresent: boolean;
}

/** pic_parameter_set_rbsp() (H.264 §7.3.2.2) up to redundant_pic_cnt_present_flag. */
export function parseH264Pps(nal: Uint8Array): H264Pps {
  if (h264NalType(nal) !== H264NalType.Pps) throw new MediaParseError('invalid', `not a PPS NAL (type ${h264NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(1)));
  const ppsId = r.readExpGolomb(); // pic_parameter_set_id
  const spsId = r.readExpGolomb(); // seq_parameter_set_id
  if (ppsId > 255 || spsId > 31) throw new MediaParseError('invalid', `PPS ids ${ppsId}/${spsId} out of range`);
  const entropyCodingModeFlag = r.readFlag(); // entropy_coding_mode_flag
  const bottomFieldPicOrderInFramePresent = r.readFlag(); // bottom_field_pic_order_in_frame_present_flag
  const numSliceGroupsMinus1 = r.readExpGolomb(); // num_slice_groups_minus1
  if (numSliceGroupsMinus1 > 7) throw new MediaParseError('invalid', `num_slice_groups_minus1 ${numSliceGroupsMinus1}`);
  if (numSliceGroupsMinus1 > 0) {
    const mapType = r.readExpGolomb(); // slice_group_map_type
    if (mapType === 0) {
      for (let g = 0; g <= numSliceGroupsMinus1; g++) r.readExpGolomb(); // run_length_minus1[iGroup]
    } else if (mapType === 2) {
      for (let g = 0; g < numSliceGroupsMinus1; g++) {
        r.readExpGolomb(); // top_left[iGroup]
        r.readExpGolomb(); // bottom_right[iGroup]
      }
    } else if (mapType >= 3 && mapType <= 5) {
      r.skipBits(1); // slice_group_change_direction_flag
      r.readExpGolomb(); // slice_group_change_rate_minus1
    } else if (mapType === 6) {
      const units = r.readExpGolomb() + 1; // pic_size_in_map_units_minus1
      const bits = Math.ceil(Math.log2(numSliceGroupsMinus1 + 1));
      r.skipBits(units * bits); // slice_group_id[i]
    } else if (mapType > 6) {
      throw new MediaParseError('invalid', `slice_group_map_type ${mapType}`);
    }
  }
  const numRefIdxL0DefaultActive = r.readExpGolomb() + 1; // num_ref_idx_l0_default_active_minus1
  const numRefIdxL1DefaultActive = r.readExpGolomb() + 1; // num_ref_idx_l1_default_active_minus1
  if (numRefIdxL0DefaultActive > 32 || numRefIdxL1DefaultActive > 32) throw new MediaParseError('invalid', 'num_ref_idx_default_active > 32');
  const weightedPred = r.readFlag(); // weighted_pred_flag
  const weightedBipredIdc = r.readBits(2); // weighted_bipred_idc
  const picInitQp = 26 + r.readSignedExpGolomb(); // pic_init_qp_minus26
  r.readSignedExpGolomb(); // pic_init_qs_minus26
  r.readSignedExpGolomb(); // chroma_qp_index_offset
  r.skipBits(1); // deblocking_filter_control_present_flag
  r.skipBits(1); // constrained_intra_pred_flag
  const redundantPicCntPresent = r.readFlag(); // redundant_pic_cnt_present_flag
  return {
    ppsId,
    spsId,
    entropyCodingModeFlag,
    bottomFieldPicOrderInFramePresent,
    numRefIdxL0DefaultActive,
    numRefIdxL1DefaultActive,
    weightedPred,
    weightedBipredIdc,
    picInitQp,
    redundantPicCntPresent,
  };
}

/** RFC 6381 codecs parameter, e.g. `avc1.4d401f`. */
export function h264CodecString(sps: H264Sps): string {
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  return `avc1.${hex(sps.profileIdc)}${hex(sps.constraintFlags)}${hex(sps.levelIdc)}`;
}
