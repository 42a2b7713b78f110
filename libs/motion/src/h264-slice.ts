import { BitReader, H264NalType, MediaParseError, h264NalType, toRbsp } from '@wyze-nvr/media';

/**
 * Just enough H.264 to reach slice_qp_delta in a slice header (H.264 §7.3.3): the SPS and PPS fields that
 * change the header's layout, and the header itself up to the QP. Nothing below the slice header is read.
 */

/** SPS fields that shape the slice header (H.264 §7.3.2.1.1). */
export interface H264SliceSps {
  spsId: number;
  separateColourPlane: boolean;
  /** ChromaArrayType (H.264 §7.4.2.1.1): 0 for monochrome or separate colour planes. */
  chromaArrayType: number;
  log2MaxFrameNum: number;
  picOrderCntType: number;
  log2MaxPicOrderCntLsb: number;
  deltaPicOrderAlwaysZero: boolean;
  frameMbsOnly: boolean;
}

/** PPS fields that shape the slice header (H.264 §7.3.2.2). */
export interface H264SlicePps {
  ppsId: number;
  spsId: number;
  entropyCodingMode: boolean;
  bottomFieldPicOrderInFramePresent: boolean;
  numRefIdxL0DefaultActive: number;
  numRefIdxL1DefaultActive: number;
  weightedPred: boolean;
  weightedBipredIdc: number;
  picInitQp: number;
  redundantPicCntPresent: boolean;
}

/** slice_type modulo 5 (H.264 Table 7-6). */
export const H264SliceType = { P: 0, B: 1, I: 2, SP: 3, SI: 4 } as const;

export interface H264SliceHeader {
  firstMbInSlice: number;
  /** slice_type % 5. */
  sliceType: number;
  ppsId: number;
  /** SliceQPY = 26 + pic_init_qp_minus26 + slice_qp_delta (H.264 §7.4.3). */
  qp: number;
}

/** Profiles whose SPS carries chroma_format_idc and bit depths (H.264 §7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: BitReader, size: number): void {
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size; j++) {
    if (nextScale !== 0) nextScale = (lastScale + r.readSignedExpGolomb() + 256) % 256; // delta_scale
    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}

/** seq_parameter_set_data() (H.264 §7.3.2.1.1) up to frame_mbs_only_flag; `nal` includes the NAL header. */
export function parseH264SliceSps(nal: Uint8Array): H264SliceSps {
  if (h264NalType(nal) !== H264NalType.Sps) throw new MediaParseError('invalid', `not an SPS NAL (type ${h264NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(1)));
  const profileIdc = r.readBits(8); // profile_idc
  r.skipBits(16); // constraint_set0..5_flag, reserved_zero_2bits, level_idc
  const spsId = r.readExpGolomb(); // seq_parameter_set_id
  if (spsId > 31) throw new MediaParseError('invalid', `seq_parameter_set_id ${spsId} > 31`);
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.readExpGolomb(); // chroma_format_idc
    if (chromaFormatIdc > 3) throw new MediaParseError('invalid', `chroma_format_idc ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) separateColourPlane = r.readFlag(); // separate_colour_plane_flag
    r.readExpGolomb(); // bit_depth_luma_minus8
    r.readExpGolomb(); // bit_depth_chroma_minus8
    r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (r.readFlag()) {
      // seq_scaling_matrix_present_flag
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) if (r.readFlag()) skipScalingList(r, i < 6 ? 16 : 64); // seq_scaling_list_present_flag[i]
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
  r.readExpGolomb(); // pic_width_in_mbs_minus1
  r.readExpGolomb(); // pic_height_in_map_units_minus1
  const frameMbsOnly = r.readFlag(); // frame_mbs_only_flag
  return {
    spsId,
    separateColourPlane,
    chromaArrayType: separateColourPlane ? 0 : chromaFormatIdc,
    log2MaxFrameNum,
    picOrderCntType,
    log2MaxPicOrderCntLsb,
    deltaPicOrderAlwaysZero,
    frameMbsOnly,
  };
}

/** pic_parameter_set_rbsp() (H.264 §7.3.2.2) up to redundant_pic_cnt_present_flag. */
export function parseH264SlicePps(nal: Uint8Array): H264SlicePps {
  if (h264NalType(nal) !== H264NalType.Pps) throw new MediaParseError('invalid', `not a PPS NAL (type ${h264NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(1)));
  const ppsId = r.readExpGolomb(); // pic_parameter_set_id
  const spsId = r.readExpGolomb(); // seq_parameter_set_id
  if (ppsId > 255 || spsId > 31) throw new MediaParseError('invalid', `PPS ids ${ppsId}/${spsId} out of range`);
  const entropyCodingMode = r.readFlag(); // entropy_coding_mode_flag
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
    entropyCodingMode,
    bottomFieldPicOrderInFramePresent,
    numRefIdxL0DefaultActive,
    numRefIdxL1DefaultActive,
    weightedPred,
    weightedBipredIdc,
    picInitQp,
    redundantPicCntPresent,
  };
}

/** Parameter sets by id, as seen so far in the stream. */
export interface H264ParameterSets {
  sps: ReadonlyMap<number, H264SliceSps>;
  pps: ReadonlyMap<number, H264SlicePps>;
}

/** The first bytes of a slice NAL hold its header; converting only these keeps the per-slice cost flat. */
const HEADER_PREFIX_BYTES = 96;

/** slice_header() (H.264 §7.3.3) of a coded slice NAL (type 1 or 5), up to slice_qp_delta. */
export function parseH264SliceHeader(nal: Uint8Array, sets: H264ParameterSets): H264SliceHeader {
  try {
    return readH264SliceHeader(nal, nal.subarray(0, HEADER_PREFIX_BYTES), sets);
  } catch (e) {
    // A long header (big weight tables, many MMCOs) can outrun the prefix: read the whole NAL.
    if (e instanceof MediaParseError && e.code === 'truncated' && nal.length > HEADER_PREFIX_BYTES) return readH264SliceHeader(nal, nal, sets);
    throw e;
  }
}

function readH264SliceHeader(nal: Uint8Array, bytes: Uint8Array, sets: H264ParameterSets): H264SliceHeader {
  const nalType = h264NalType(nal);
  if (nalType !== H264NalType.NonIdrSlice && nalType !== H264NalType.IdrSlice) {
    throw new MediaParseError('unsupported', `not a coded slice NAL (type ${nalType})`);
  }
  const idr = nalType === H264NalType.IdrSlice;
  const nalRefIdc = (nal[0] >>> 5) & 3; // nal_ref_idc
  const r = new BitReader(toRbsp(bytes.subarray(1)));
  const firstMbInSlice = r.readExpGolomb(); // first_mb_in_slice
  const sliceTypeRaw = r.readExpGolomb(); // slice_type
  if (sliceTypeRaw > 9) throw new MediaParseError('invalid', `slice_type ${sliceTypeRaw}`);
  const sliceType = sliceTypeRaw % 5;
  const ppsId = r.readExpGolomb(); // pic_parameter_set_id
  const pps = sets.pps.get(ppsId);
  if (!pps) throw new MediaParseError('missing', `slice refers to PPS ${ppsId}, not seen`);
  const sps = sets.sps.get(pps.spsId);
  if (!sps) throw new MediaParseError('missing', `PPS ${ppsId} refers to SPS ${pps.spsId}, not seen`);
  const isP = sliceType === H264SliceType.P || sliceType === H264SliceType.SP;
  const isB = sliceType === H264SliceType.B;

  if (sps.separateColourPlane) r.skipBits(2); // colour_plane_id
  r.skipBits(sps.log2MaxFrameNum); // frame_num
  let fieldPic = false;
  if (!sps.frameMbsOnly) {
    fieldPic = r.readFlag(); // field_pic_flag
    if (fieldPic) r.skipBits(1); // bottom_field_flag
  }
  if (idr) r.readExpGolomb(); // idr_pic_id
  if (sps.picOrderCntType === 0) {
    r.skipBits(sps.log2MaxPicOrderCntLsb); // pic_order_cnt_lsb
    if (pps.bottomFieldPicOrderInFramePresent && !fieldPic) r.readSignedExpGolomb(); // delta_pic_order_cnt_bottom
  }
  if (sps.picOrderCntType === 1 && !sps.deltaPicOrderAlwaysZero) {
    r.readSignedExpGolomb(); // delta_pic_order_cnt[0]
    if (pps.bottomFieldPicOrderInFramePresent && !fieldPic) r.readSignedExpGolomb(); // delta_pic_order_cnt[1]
  }
  if (pps.redundantPicCntPresent) r.readExpGolomb(); // redundant_pic_cnt
  if (isB) r.skipBits(1); // direct_spatial_mv_pred_flag
  let numRefIdxL0 = pps.numRefIdxL0DefaultActive;
  let numRefIdxL1 = pps.numRefIdxL1DefaultActive;
  if (isP || isB) {
    if (r.readFlag()) {
      // num_ref_idx_active_override_flag
      numRefIdxL0 = r.readExpGolomb() + 1; // num_ref_idx_l0_active_minus1
      if (isB) numRefIdxL1 = r.readExpGolomb() + 1; // num_ref_idx_l1_active_minus1
      if (numRefIdxL0 > 32 || numRefIdxL1 > 32) throw new MediaParseError('invalid', 'num_ref_idx_active > 32');
    }
  }
  // ref_pic_list_modification() (§7.3.3.1); nal_unit_type 20/21 (MVC) never reaches here.
  if (sliceType !== H264SliceType.I && sliceType !== H264SliceType.SI) skipRefPicListModification(r); // l0
  if (isB) skipRefPicListModification(r); // l1
  if ((pps.weightedPred && isP) || (pps.weightedBipredIdc === 1 && isB)) {
    // pred_weight_table() (§7.3.3.2)
    r.readExpGolomb(); // luma_log2_weight_denom
    if (sps.chromaArrayType !== 0) r.readExpGolomb(); // chroma_log2_weight_denom
    skipWeights(r, numRefIdxL0, sps.chromaArrayType !== 0); // l0
    if (isB) skipWeights(r, numRefIdxL1, sps.chromaArrayType !== 0); // l1
  }
  if (nalRefIdc !== 0) {
    // dec_ref_pic_marking() (§7.3.3.3)
    if (idr) {
      r.skipBits(2); // no_output_of_prior_pics_flag, long_term_reference_flag
    } else if (r.readFlag()) {
      // adaptive_ref_pic_marking_mode_flag
      for (let n = 0; ; n++) {
        if (n > 66) throw new MediaParseError('invalid', 'too many memory_management_control_operation');
        const mmco = r.readExpGolomb(); // memory_management_control_operation
        if (mmco === 0) break;
        if (mmco > 6) throw new MediaParseError('invalid', `memory_management_control_operation ${mmco}`);
        if (mmco === 1 || mmco === 3) r.readExpGolomb(); // difference_of_pic_nums_minus1
        if (mmco === 2) r.readExpGolomb(); // long_term_pic_num
        if (mmco === 3 || mmco === 6) r.readExpGolomb(); // long_term_frame_idx
        if (mmco === 4) r.readExpGolomb(); // max_long_term_frame_idx_plus1
      }
    }
  }
  if (pps.entropyCodingMode && sliceType !== H264SliceType.I && sliceType !== H264SliceType.SI) r.readExpGolomb(); // cabac_init_idc
  const qp = pps.picInitQp + r.readSignedExpGolomb(); // slice_qp_delta
  if (qp < -12 || qp > 51) throw new MediaParseError('invalid', `slice QP ${qp}`);
  return { firstMbInSlice, sliceType, ppsId, qp };
}

function skipRefPicListModification(r: BitReader): void {
  if (!r.readFlag()) return; // ref_pic_list_modification_flag_lX
  for (let n = 0; ; n++) {
    if (n > 33) throw new MediaParseError('invalid', 'too many ref_pic_list_modification entries');
    const idc = r.readExpGolomb(); // modification_of_pic_nums_idc
    if (idc === 3) return;
    if (idc > 5) throw new MediaParseError('invalid', `modification_of_pic_nums_idc ${idc}`);
    r.readExpGolomb(); // abs_diff_pic_num_minus1 | long_term_pic_num | abs_diff_view_idx_minus1
  }
}

function skipWeights(r: BitReader, refs: number, chroma: boolean): void {
  for (let i = 0; i < refs; i++) {
    if (r.readFlag()) {
      // luma_weight_lX_flag
      r.readSignedExpGolomb(); // luma_weight_lX
      r.readSignedExpGolomb(); // luma_offset_lX
    }
    if (chroma && r.readFlag()) {
      // chroma_weight_lX_flag
      for (let j = 0; j < 4; j++) r.readSignedExpGolomb(); // chroma_weight_lX, chroma_offset_lX (Cb, Cr)
    }
  }
}
