import {
  BitReader,
  H265NalType,
  MediaParseError,
  h265NalType,
  readH265ShortTermRps,
  toRbsp,
  type H265Pps,
  type H265ShortTermRps,
  type H265Sps,
} from '@wyze-nvr/media';

/**
 * Just enough H.265 to reach slice_qp_delta in a slice segment header (H.265 §7.3.6.1), up to the QP. The
 * SPS and PPS fields that change the header's layout come from libs/media's parameter-set parsers.
 */

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

export interface H265ParameterSets {
  sps: ReadonlyMap<number, H265Sps>;
  pps: ReadonlyMap<number, H265Pps>;
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
    let rps: H265ShortTermRps;
    const count = sps.shortTermRps.length;
    if (!r.readFlag()) {
      // short_term_ref_pic_set_sps_flag
      rps = readH265ShortTermRps(r, count, count, sps.shortTermRps); // st_ref_pic_set(num_short_term_ref_pic_sets)
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
