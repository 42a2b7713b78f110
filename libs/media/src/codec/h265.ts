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

/** A short-term reference picture set (H.265 §7.4.8): only which entries the current picture uses. */
export interface H265ShortTermRps {
  /** DeltaPocS0 (negative, nearest first) and DeltaPocS1 (positive, nearest first). */
  s0: number[];
  s1: number[];
  usedS0: boolean[];
  usedS1: boolean[];
}

const ceilLog2 = (n: number) => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

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
export function readH265ShortTermRps(r: BitReader, idx: number, count: number, sets: readonly H265ShortTermRps[]): H265ShortTermRps {
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
    const out: H265ShortTermRps = { s0: [], s1: [], usedS0: [], usedS1: [] };
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
  const out: H265ShortTermRps = { s0: [], s1: [], usedS0: [], usedS1: [] };
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

/** The start of an SPS: what a sample entry (hvcC, size, codec string) needs. */
export interface H265SpsHead {
  vpsId: number;
  spsId: number;
  maxSubLayers: number;
  temporalIdNesting: boolean;
  profileTierLevel: H265ProfileTierLevel;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  separateColourPlane: boolean;
  /** ChromaArrayType: 0 with separate colour planes. */
  chromaArrayType: number;
  /** Display size after the conformance window (H.265 §7.4.3.2.1). */
  width: number;
  height: number;
  /** pic_width/height_in_luma_samples. */
  codedWidth: number;
  codedHeight: number;
}

export interface H265Sps extends H265SpsHead {
  /** Fields that shape the slice segment header (§7.3.6.1). */
  log2MaxPicOrderCntLsb: number;
  /** Ceil(Log2(PicSizeInCtbsY)): the width of slice_segment_address. */
  sliceAddressBits: number;
  sampleAdaptiveOffset: boolean;
  shortTermRps: H265ShortTermRps[];
  longTermRefPicsPresent: boolean;
  /** used_by_curr_pic_lt_sps_flag[i]; its length is num_long_term_ref_pics_sps. */
  usedByCurrPicLtSps: boolean[];
  temporalMvp: boolean;
}

/**
 * seq_parameter_set_rbsp() up to bit_depth_chroma_minus8 (H.265 §7.3.2.2.1): enough for a sample entry.
 * A recorder needs no more, so an SPS whose later syntax this parser gets wrong still records.
 */
export function parseH265SpsHead(nal: Uint8Array): H265SpsHead {
  return readSpsHead(spsReader(nal));
}

function spsReader(nal: Uint8Array): BitReader {
  if (h265NalType(nal) !== H265NalType.Sps) throw new MediaParseError('invalid', `not an SPS NAL (type ${h265NalType(nal)})`);
  return new BitReader(toRbsp(nal.subarray(2)));
}

function readSpsHead(r: BitReader): H265SpsHead {
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
    separateColourPlane,
    chromaArrayType,
    width,
    height,
    codedWidth,
    codedHeight,
  };
}

/** seq_parameter_set_rbsp() up to sps_temporal_mvp_enabled_flag (H.265 §7.3.2.2.1); `nal` includes the 2-byte NAL header. */
export function parseH265Sps(nal: Uint8Array): H265Sps {
  const r = spsReader(nal);
  const head = readSpsHead(r);
  const { codedWidth, codedHeight } = head;
  const maxSubLayersMinus1 = head.maxSubLayers - 1;
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
  const shortTermRps: H265ShortTermRps[] = [];
  for (let i = 0; i < numShortTermRps; i++) shortTermRps.push(readH265ShortTermRps(r, i, numShortTermRps, shortTermRps));
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
  const picSizeInCtbs = Math.ceil(codedWidth / ctb) * Math.ceil(codedHeight / ctb);
  return {
    ...head,
    log2MaxPicOrderCntLsb,
    sliceAddressBits: ceilLog2(picSizeInCtbs),
    sampleAdaptiveOffset,
    shortTermRps,
    longTermRefPicsPresent,
    usedByCurrPicLtSps,
    temporalMvp,
  };
}

/** pic_parameter_set_rbsp() fields (H.265 §7.3.2.3.1): the ids, and those that shape the slice segment header (§7.3.6.1). */
export interface H265Pps {
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

/** pic_parameter_set_rbsp() (H.265 §7.3.2.3.1) up to lists_modification_present_flag. */
export function parseH265Pps(nal: Uint8Array): H265Pps {
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
