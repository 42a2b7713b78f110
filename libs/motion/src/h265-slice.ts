import { BitReader, H265NalType, MediaParseError, h265NalType, toRbsp } from '@wyze-nvr/media';

/**
 * Just enough H.265 to reach slice_qp_delta in a slice segment header (H.265 §7.3.6.1): the SPS and PPS
 * fields that change the header's layout, and the header itself up to the QP.
 */

/** A short-term reference picture set (H.265 §7.4.8): only which entries the current picture uses. */
interface ShortTermRps {
  /** DeltaPocS0 (negative, nearest first) and DeltaPocS1 (positive, nearest first). */
  s0: number[];
  s1: number[];
  usedS0: boolean[];
  usedS1: boolean[];
}

/** SPS fields that shape the slice segment header (H.265 §7.3.2.2.1). */
export interface H265SliceSps {
  spsId: number;
  separateColourPlane: boolean;
  chromaArrayType: number;
  /** Ceil(Log2(PicSizeInCtbsY)): the width of slice_segment_address. */
  sliceAddressBits: number;
  log2MaxPicOrderCntLsb: number;
  sampleAdaptiveOffset: boolean;
  shortTermRps: ShortTermRps[];
  longTermRefPicsPresent: boolean;
  /** used_by_curr_pic_lt_sps_flag[i]; its length is num_long_term_ref_pics_sps. */
  usedByCurrPicLtSps: boolean[];
  temporalMvp: boolean;
}

/** PPS fields that shape the slice segment header (H.265 §7.3.2.3.1). */
export interface H265SlicePps {
  ppsId: number;
  spsId: number;
  dependentSliceSegmentsEnabled: boolean;
  outputFlagPresent: boolean;
  numExtraSliceHeaderBits: number;
  cabacInitPresent: boolean;
  numRefIdxL0DefaultActive: number;
  numRefIdxL1DefaultActive: number;
  /** 26 + init_qp_minus26. */
  initQp: number;
  weightedPred: boolean;
  weightedBipred: boolean;
  listsModificationPresent: boolean;
}

/** slice_type (H.265 Table 7-7). */
export const H265SliceType = { B: 0, P: 1, I: 2 } as const;

export interface H265SliceHeader {
  firstSliceSegmentInPic: boolean;
  /** A dependent slice segment carries no QP of its own: `qp` is null and the previous segment's applies. */
  dependent: boolean;
  sliceType: number;
  ppsId: number;
  /** SliceQpY = 26 + init_qp_minus26 + slice_qp_delta (H.265 §7.4.7.1), or null for a dependent segment. */
  qp: number | null;
}

const ceilLog2 = (n: number) => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

/** profile_tier_level(1, maxNumSubLayersMinus1) (H.265 §7.3.3), skipped. */
function skipProfileTierLevel(r: BitReader, maxNumSubLayersMinus1: number): void {
  r.skipBits(96); // general_profile_space … general_level_idc
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    profilePresent.push(r.readFlag()); // sub_layer_profile_present_flag[i]
    levelPresent.push(r.readFlag()); // sub_layer_level_present_flag[i]
  }
  if (maxNumSubLayersMinus1 > 0) for (let i = maxNumSubLayersMinus1; i < 8; i++) r.skipBits(2); // reserved_zero_2bits
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skipBits(88); // sub_layer_profile_space … sub_layer_inbld_flag
    if (levelPresent[i]) r.skipBits(8); // sub_layer_level_idc[i]
  }
}

/** scaling_list_data() (H.265 §7.3.4), skipped. */
function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.readFlag()) {
        // scaling_list_pred_mode_flag
        r.readExpGolomb(); // scaling_list_pred_matrix_id_delta
      } else {
        const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
        if (sizeId > 1) r.readSignedExpGolomb(); // scaling_list_dc_coef_minus8
        for (let i = 0; i < coefNum; i++) r.readSignedExpGolomb(); // scaling_list_delta_coef
      }
    }
  }
}

/**
 * st_ref_pic_set(stRpsIdx) (H.265 §7.3.7) with the derivation of §7.4.8 (equations 7-61, 7-62), so that a
 * later set predicted from this one, and NumPicTotalCurr, come out right.
 */
function readShortTermRps(r: BitReader, idx: number, count: number, sets: readonly ShortTermRps[]): ShortTermRps {
  const interPrediction = idx !== 0 && r.readFlag(); // inter_ref_pic_set_prediction_flag
  if (interPrediction) {
    let deltaIdx = 1;
    if (idx === count) deltaIdx = r.readExpGolomb() + 1; // delta_idx_minus1 (slice header only)
    if (deltaIdx > idx) throw new MediaParseError('invalid', `delta_idx_minus1 ${deltaIdx - 1} > stRpsIdx ${idx}`);
    const sign = r.readBit(); // delta_rps_sign
    const absDelta = r.readExpGolomb() + 1; // abs_delta_rps_minus1
    if (absDelta > 32768) throw new MediaParseError('invalid', `abs_delta_rps_minus1 ${absDelta - 1}`);
    const deltaRps = (1 - 2 * sign) * absDelta;
    const ref = sets[idx - deltaIdx];
    const numDelta = ref.s0.length + ref.s1.length;
    const usedByCurr: boolean[] = [];
    const useDelta: boolean[] = [];
    for (let j = 0; j <= numDelta; j++) {
      const used = r.readFlag(); // used_by_curr_pic_flag[j]
      usedByCurr.push(used);
      useDelta.push(used || r.readFlag()); // use_delta_flag[j], inferred 1 when absent
    }
    const out: ShortTermRps = { s0: [], s1: [], usedS0: [], usedS1: [] };
    const neg = (d: number, used: boolean) => {
      out.s0.push(d);
      out.usedS0.push(used);
    };
    const pos = (d: number, used: boolean) => {
      out.s1.push(d);
      out.usedS1.push(used);
    };
    const n0 = ref.s0.length;
    for (let j = ref.s1.length - 1; j >= 0; j--) {
      const d = ref.s1[j] + deltaRps;
      if (d < 0 && useDelta[n0 + j]) neg(d, usedByCurr[n0 + j]);
    }
    if (deltaRps < 0 && useDelta[numDelta]) neg(deltaRps, usedByCurr[numDelta]);
    for (let j = 0; j < n0; j++) {
      const d = ref.s0[j] + deltaRps;
      if (d < 0 && useDelta[j]) neg(d, usedByCurr[j]);
    }
    for (let j = n0 - 1; j >= 0; j--) {
      const d = ref.s0[j] + deltaRps;
      if (d > 0 && useDelta[j]) pos(d, usedByCurr[j]);
    }
    if (deltaRps > 0 && useDelta[numDelta]) pos(deltaRps, usedByCurr[numDelta]);
    for (let j = 0; j < ref.s1.length; j++) {
      const d = ref.s1[j] + deltaRps;
      if (d > 0 && useDelta[n0 + j]) pos(d, usedByCurr[n0 + j]);
    }
    if (out.s0.length + out.s1.length > 16) throw new MediaParseError('invalid', 'short-term RPS with more than 16 pictures');
    return out;
  }
  const numNegative = r.readExpGolomb(); // num_negative_pics
  const numPositive = r.readExpGolomb(); // num_positive_pics
  if (numNegative + numPositive > 16) throw new MediaParseError('invalid', `short-term RPS with ${numNegative}+${numPositive} pictures`);
  const out: ShortTermRps = { s0: [], s1: [], usedS0: [], usedS1: [] };
  let poc = 0;
  for (let i = 0; i < numNegative; i++) {
    poc -= r.readExpGolomb() + 1; // delta_poc_s0_minus1[i]
    out.s0.push(poc);
    out.usedS0.push(r.readFlag()); // used_by_curr_pic_s0_flag[i]
  }
  poc = 0;
  for (let i = 0; i < numPositive; i++) {
    poc += r.readExpGolomb() + 1; // delta_poc_s1_minus1[i]
    out.s1.push(poc);
    out.usedS1.push(r.readFlag()); // used_by_curr_pic_s1_flag[i]
  }
  return out;
}

/** seq_parameter_set_rbsp() (H.265 §7.3.2.2.1) up to sps_temporal_mvp_enabled_flag; `nal` includes the NAL header. */
export function parseH265SliceSps(nal: Uint8Array): H265SliceSps {
  if (h265NalType(nal) !== H265NalType.Sps) throw new MediaParseError('invalid', `not an SPS NAL (type ${h265NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(2)));
  r.skipBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.readBits(3); // sps_max_sub_layers_minus1
  if (maxSubLayersMinus1 > 6) throw new MediaParseError('invalid', `sps_max_sub_layers_minus1 ${maxSubLayersMinus1}`);
  r.skipBits(1); // sps_temporal_id_nesting_flag
  skipProfileTierLevel(r, maxSubLayersMinus1);
  const spsId = r.readExpGolomb(); // sps_seq_parameter_set_id
  if (spsId > 15) throw new MediaParseError('invalid', `sps_seq_parameter_set_id ${spsId} > 15`);
  const chromaFormatIdc = r.readExpGolomb(); // chroma_format_idc
  if (chromaFormatIdc > 3) throw new MediaParseError('invalid', `chroma_format_idc ${chromaFormatIdc}`);
  const separateColourPlane = chromaFormatIdc === 3 && r.readFlag(); // separate_colour_plane_flag
  const width = r.readExpGolomb(); // pic_width_in_luma_samples
  const height = r.readExpGolomb(); // pic_height_in_luma_samples
  if (width === 0 || height === 0 || width > 16888 || height > 16888) throw new MediaParseError('invalid', `SPS size ${width}x${height}`);
  if (r.readFlag()) {
    // conformance_window_flag
    for (let i = 0; i < 4; i++) r.readExpGolomb(); // conf_win_{left,right,top,bottom}_offset
  }
  r.readExpGolomb(); // bit_depth_luma_minus8
  r.readExpGolomb(); // bit_depth_chroma_minus8
  const log2MaxPicOrderCntLsb = r.readExpGolomb() + 4; // log2_max_pic_order_cnt_lsb_minus4
  if (log2MaxPicOrderCntLsb > 16) throw new MediaParseError('invalid', `log2_max_pic_order_cnt_lsb ${log2MaxPicOrderCntLsb}`);
  const orderingInfoAll = r.readFlag(); // sps_sub_layer_ordering_info_present_flag
  for (let i = orderingInfoAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    r.readExpGolomb(); // sps_max_dec_pic_buffering_minus1[i]
    r.readExpGolomb(); // sps_max_num_reorder_pics[i]
    r.readExpGolomb(); // sps_max_latency_increase_plus1[i]
  }
  const log2MinCb = r.readExpGolomb() + 3; // log2_min_luma_coding_block_size_minus3
  const log2Ctb = log2MinCb + r.readExpGolomb(); // log2_diff_max_min_luma_coding_block_size
  if (log2Ctb > 6 || log2Ctb < 4) throw new MediaParseError('invalid', `CTB size 2^${log2Ctb}`);
  r.readExpGolomb(); // log2_min_luma_transform_block_size_minus2
  r.readExpGolomb(); // log2_diff_max_min_luma_transform_block_size
  r.readExpGolomb(); // max_transform_hierarchy_depth_inter
  r.readExpGolomb(); // max_transform_hierarchy_depth_intra
  if (r.readFlag() && r.readFlag()) skipScalingListData(r); // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
  r.skipBits(1); // amp_enabled_flag
  const sampleAdaptiveOffset = r.readFlag(); // sample_adaptive_offset_enabled_flag
  if (r.readFlag()) {
    // pcm_enabled_flag
    r.skipBits(8); // pcm_sample_bit_depth_luma_minus1, pcm_sample_bit_depth_chroma_minus1
    r.readExpGolomb(); // log2_min_pcm_luma_coding_block_size_minus3
    r.readExpGolomb(); // log2_diff_max_min_pcm_luma_coding_block_size
    r.skipBits(1); // pcm_loop_filter_disabled_flag
  }
  const numShortTermRps = r.readExpGolomb(); // num_short_term_ref_pic_sets
  if (numShortTermRps > 64) throw new MediaParseError('invalid', `num_short_term_ref_pic_sets ${numShortTermRps}`);
  const shortTermRps: ShortTermRps[] = [];
  for (let i = 0; i < numShortTermRps; i++) shortTermRps.push(readShortTermRps(r, i, numShortTermRps, shortTermRps));
  const longTermRefPicsPresent = r.readFlag(); // long_term_ref_pics_present_flag
  const usedByCurrPicLtSps: boolean[] = [];
  if (longTermRefPicsPresent) {
    const n = r.readExpGolomb(); // num_long_term_ref_pics_sps
    if (n > 32) throw new MediaParseError('invalid', `num_long_term_ref_pics_sps ${n}`);
    for (let i = 0; i < n; i++) {
      r.skipBits(log2MaxPicOrderCntLsb); // lt_ref_pic_poc_lsb_sps[i]
      usedByCurrPicLtSps.push(r.readFlag()); // used_by_curr_pic_lt_sps_flag[i]
    }
  }
  const temporalMvp = r.readFlag(); // sps_temporal_mvp_enabled_flag
  const ctb = 1 << log2Ctb;
  const picSizeInCtbs = Math.ceil(width / ctb) * Math.ceil(height / ctb);
  return {
    spsId,
    separateColourPlane,
    chromaArrayType: separateColourPlane ? 0 : chromaFormatIdc,
    sliceAddressBits: ceilLog2(picSizeInCtbs),
    log2MaxPicOrderCntLsb,
    sampleAdaptiveOffset,
    shortTermRps,
    longTermRefPicsPresent,
    usedByCurrPicLtSps,
    temporalMvp,
  };
}

/** pic_parameter_set_rbsp() (H.265 §7.3.2.3.1) up to lists_modification_present_flag. */
export function parseH265SlicePps(nal: Uint8Array): H265SlicePps {
  if (h265NalType(nal) !== H265NalType.Pps) throw new MediaParseError('invalid', `not a PPS NAL (type ${h265NalType(nal)})`);
  const r = new BitReader(toRbsp(nal.subarray(2)));
  const ppsId = r.readExpGolomb(); // pps_pic_parameter_set_id
  const spsId = r.readExpGolomb(); // pps_seq_parameter_set_id
  if (ppsId > 63 || spsId > 15) throw new MediaParseError('invalid', `PPS ids ${ppsId}/${spsId} out of range`);
  const dependentSliceSegmentsEnabled = r.readFlag(); // dependent_slice_segments_enabled_flag
  const outputFlagPresent = r.readFlag(); // output_flag_present_flag
  const numExtraSliceHeaderBits = r.readBits(3); // num_extra_slice_header_bits
  r.skipBits(1); // sign_data_hiding_enabled_flag
  const cabacInitPresent = r.readFlag(); // cabac_init_present_flag
  const numRefIdxL0DefaultActive = r.readExpGolomb() + 1; // num_ref_idx_l0_default_active_minus1
  const numRefIdxL1DefaultActive = r.readExpGolomb() + 1; // num_ref_idx_l1_default_active_minus1
  if (numRefIdxL0DefaultActive > 15 || numRefIdxL1DefaultActive > 15) throw new MediaParseError('invalid', 'num_ref_idx_default_active > 15');
  const initQp = 26 + r.readSignedExpGolomb(); // init_qp_minus26
  r.skipBits(2); // constrained_intra_pred_flag, transform_skip_enabled_flag
  if (r.readFlag()) r.readExpGolomb(); // cu_qp_delta_enabled_flag, diff_cu_qp_delta_depth
  r.readSignedExpGolomb(); // pps_cb_qp_offset
  r.readSignedExpGolomb(); // pps_cr_qp_offset
  r.skipBits(1); // pps_slice_chroma_qp_offsets_present_flag
  const weightedPred = r.readFlag(); // weighted_pred_flag
  const weightedBipred = r.readFlag(); // weighted_bipred_flag
  r.skipBits(1); // transquant_bypass_enabled_flag
  const tiles = r.readFlag(); // tiles_enabled_flag
  r.skipBits(1); // entropy_coding_sync_enabled_flag
  if (tiles) {
    const columns = r.readExpGolomb() + 1; // num_tile_columns_minus1
    const rows = r.readExpGolomb() + 1; // num_tile_rows_minus1
    if (columns > 20 || rows > 22) throw new MediaParseError('invalid', `${columns}x${rows} tiles`);
    if (!r.readFlag()) {
      // uniform_spacing_flag
      for (let i = 0; i < columns - 1; i++) r.readExpGolomb(); // column_width_minus1[i]
      for (let i = 0; i < rows - 1; i++) r.readExpGolomb(); // row_height_minus1[i]
    }
    r.skipBits(1); // loop_filter_across_tiles_enabled_flag
  }
  r.skipBits(1); // pps_loop_filter_across_slices_enabled_flag
  if (r.readFlag()) {
    // deblocking_filter_control_present_flag
    r.skipBits(1); // deblocking_filter_override_enabled_flag
    if (!r.readFlag()) {
      // pps_deblocking_filter_disabled_flag
      r.readSignedExpGolomb(); // pps_beta_offset_div2
      r.readSignedExpGolomb(); // pps_tc_offset_div2
    }
  }
  if (r.readFlag()) skipScalingListData(r); // pps_scaling_list_data_present_flag
  const listsModificationPresent = r.readFlag(); // lists_modification_present_flag
  return {
    ppsId,
    spsId,
    dependentSliceSegmentsEnabled,
    outputFlagPresent,
    numExtraSliceHeaderBits,
    cabacInitPresent,
    numRefIdxL0DefaultActive,
    numRefIdxL1DefaultActive,
    initQp,
    weightedPred,
    weightedBipred,
    listsModificationPresent,
  };
}

export interface H265ParameterSets {
  sps: ReadonlyMap<number, H265SliceSps>;
  pps: ReadonlyMap<number, H265SlicePps>;
}

/** The first bytes of a slice NAL hold its header; converting only these keeps the per-slice cost flat. */
const HEADER_PREFIX_BYTES = 128;

/** True for VCL NAL unit types (H.265 Table 7-1: 0..31). */
export function isH265Vcl(nal: Uint8Array): boolean {
  return nal.length >= 2 && h265NalType(nal) < 32;
}

/** slice_segment_header() (H.265 §7.3.6.1) of a VCL NAL, up to slice_qp_delta. */
export function parseH265SliceHeader(nal: Uint8Array, sets: H265ParameterSets): H265SliceHeader {
  try {
    return readH265SliceHeader(nal, nal.subarray(0, HEADER_PREFIX_BYTES), sets);
  } catch (e) {
    if (e instanceof MediaParseError && e.code === 'truncated' && nal.length > HEADER_PREFIX_BYTES) return readH265SliceHeader(nal, nal, sets);
    throw e;
  }
}

function readH265SliceHeader(nal: Uint8Array, bytes: Uint8Array, sets: H265ParameterSets): H265SliceHeader {
  const nalType = h265NalType(nal);
  if (!isH265Vcl(nal)) throw new MediaParseError('unsupported', `not a VCL NAL (type ${nalType})`);
  const r = new BitReader(toRbsp(bytes.subarray(2)));
  const firstSliceSegmentInPic = r.readFlag(); // first_slice_segment_in_pic_flag
  if (nalType >= H265NalType.BlaWLp && nalType <= 23) r.skipBits(1); // no_output_of_prior_pics_flag
  const ppsId = r.readExpGolomb(); // slice_pic_parameter_set_id
  const pps = sets.pps.get(ppsId);
  if (!pps) throw new MediaParseError('missing', `slice refers to PPS ${ppsId}, not seen`);
  const sps = sets.sps.get(pps.spsId);
  if (!sps) throw new MediaParseError('missing', `PPS ${ppsId} refers to SPS ${pps.spsId}, not seen`);
  let dependent = false;
  if (!firstSliceSegmentInPic) {
    if (pps.dependentSliceSegmentsEnabled) dependent = r.readFlag(); // dependent_slice_segment_flag
    r.skipBits(sps.sliceAddressBits); // slice_segment_address
  }
  if (dependent) return { firstSliceSegmentInPic, dependent, sliceType: -1, ppsId, qp: null };
  r.skipBits(pps.numExtraSliceHeaderBits); // slice_reserved_flag[i]
  const sliceType = r.readExpGolomb(); // slice_type
  if (sliceType > 2) throw new MediaParseError('invalid', `slice_type ${sliceType}`);
  if (pps.outputFlagPresent) r.skipBits(1); // pic_output_flag
  if (sps.separateColourPlane) r.skipBits(2); // colour_plane_id
  let temporalMvp = false;
  let numPicTotalCurr = 0;
  if (nalType !== H265NalType.IdrWRadl && nalType !== H265NalType.IdrNLp) {
    r.skipBits(sps.log2MaxPicOrderCntLsb); // slice_pic_order_cnt_lsb
    let rps: ShortTermRps;
    const count = sps.shortTermRps.length;
    if (!r.readFlag()) {
      // short_term_ref_pic_set_sps_flag
      rps = readShortTermRps(r, count, count, sps.shortTermRps); // st_ref_pic_set(num_short_term_ref_pic_sets)
    } else {
      if (count === 0) throw new MediaParseError('invalid', 'short_term_ref_pic_set_sps_flag with no sets in the SPS');
      const idx = count > 1 ? r.readBits(ceilLog2(count)) : 0; // short_term_ref_pic_set_idx
      if (idx >= count) throw new MediaParseError('invalid', `short_term_ref_pic_set_idx ${idx}`);
      rps = sps.shortTermRps[idx];
    }
    for (const u of rps.usedS0) if (u) numPicTotalCurr++;
    for (const u of rps.usedS1) if (u) numPicTotalCurr++;
    if (sps.longTermRefPicsPresent) {
      const ltSps = sps.usedByCurrPicLtSps.length;
      const numLongTermSps = ltSps > 0 ? r.readExpGolomb() : 0; // num_long_term_sps
      const numLongTermPics = r.readExpGolomb(); // num_long_term_pics
      if (numLongTermSps > ltSps || numLongTermSps + numLongTermPics > 32) throw new MediaParseError('invalid', 'too many long-term pictures');
      for (let i = 0; i < numLongTermSps + numLongTermPics; i++) {
        if (i < numLongTermSps) {
          const idx = ltSps > 1 ? r.readBits(ceilLog2(ltSps)) : 0; // lt_idx_sps[i]
          if (sps.usedByCurrPicLtSps[idx]) numPicTotalCurr++;
        } else {
          r.skipBits(sps.log2MaxPicOrderCntLsb); // poc_lsb_lt[i]
          if (r.readFlag()) numPicTotalCurr++; // used_by_curr_pic_lt_flag[i]
        }
        if (r.readFlag()) r.readExpGolomb(); // delta_poc_msb_present_flag[i], delta_poc_msb_cycle_lt[i]
      }
    }
    if (sps.temporalMvp) temporalMvp = r.readFlag(); // slice_temporal_mvp_enabled_flag
  }
  if (sps.sampleAdaptiveOffset) {
    r.skipBits(1); // slice_sao_luma_flag
    if (sps.chromaArrayType !== 0) r.skipBits(1); // slice_sao_chroma_flag
  }
  if (sliceType === H265SliceType.P || sliceType === H265SliceType.B) {
    const isB = sliceType === H265SliceType.B;
    let numRefIdxL0 = pps.numRefIdxL0DefaultActive;
    let numRefIdxL1 = isB ? pps.numRefIdxL1DefaultActive : 0;
    if (r.readFlag()) {
      // num_ref_idx_active_override_flag
      numRefIdxL0 = r.readExpGolomb() + 1; // num_ref_idx_l0_active_minus1
      if (isB) numRefIdxL1 = r.readExpGolomb() + 1; // num_ref_idx_l1_active_minus1
      if (numRefIdxL0 > 15 || numRefIdxL1 > 15) throw new MediaParseError('invalid', 'num_ref_idx_active > 15');
    }
    if (pps.listsModificationPresent && numPicTotalCurr > 1) {
      // ref_pic_lists_modification() (§7.3.6.2)
      const entryBits = ceilLog2(numPicTotalCurr);
      if (r.readFlag()) r.skipBits(numRefIdxL0 * entryBits); // ref_pic_list_modification_flag_l0, list_entry_l0[i]
      if (isB && r.readFlag()) r.skipBits(numRefIdxL1 * entryBits); // ref_pic_list_modification_flag_l1, list_entry_l1[i]
    }
    if (isB) r.skipBits(1); // mvd_l1_zero_flag
    if (pps.cabacInitPresent) r.skipBits(1); // cabac_init_flag
    if (temporalMvp) {
      const collocatedFromL0 = isB ? r.readFlag() : true; // collocated_from_l0_flag
      if ((collocatedFromL0 && numRefIdxL0 > 1) || (!collocatedFromL0 && numRefIdxL1 > 1)) r.readExpGolomb(); // collocated_ref_idx
    }
    if ((pps.weightedPred && !isB) || (pps.weightedBipred && isB)) {
      // pred_weight_table() (§7.3.6.3). Single-layer: every reference has a POC other than the current one.
      r.readExpGolomb(); // luma_log2_weight_denom
      if (sps.chromaArrayType !== 0) r.readSignedExpGolomb(); // delta_chroma_log2_weight_denom
      skipWeights(r, numRefIdxL0, sps.chromaArrayType !== 0); // l0
      if (isB) skipWeights(r, numRefIdxL1, sps.chromaArrayType !== 0); // l1
    }
    r.readExpGolomb(); // five_minus_max_num_merge_cand
  }
  const qp = pps.initQp + r.readSignedExpGolomb(); // slice_qp_delta
  if (qp < -48 || qp > 51) throw new MediaParseError('invalid', `slice QP ${qp}`);
  return { firstSliceSegmentInPic, dependent, sliceType, ppsId, qp };
}

function skipWeights(r: BitReader, refs: number, chroma: boolean): void {
  const luma: boolean[] = [];
  const chromaFlags: boolean[] = [];
  for (let i = 0; i < refs; i++) luma.push(r.readFlag()); // luma_weight_lX_flag[i]
  for (let i = 0; i < refs; i++) chromaFlags.push(chroma && r.readFlag()); // chroma_weight_lX_flag[i]
  for (let i = 0; i < refs; i++) {
    if (luma[i]) {
      r.readSignedExpGolomb(); // delta_luma_weight_lX[i]
      r.readSignedExpGolomb(); // luma_offset_lX[i]
    }
    if (chromaFlags[i]) for (let j = 0; j < 4; j++) r.readSignedExpGolomb(); // delta_chroma_weight_lX, delta_chroma_offset_lX
  }
}
