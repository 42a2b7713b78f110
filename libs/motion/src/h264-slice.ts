import { BitReader, H264NalType, MediaParseError, h264NalType, toRbsp, type H264Pps, type H264Sps } from '@wyze-nvr/media';

/**
 * Just enough H.264 to reach slice_qp_delta in a slice header (H.264 §7.3.3), up to the QP. The SPS and PPS
 * fields that change the header's layout come from libs/media's parameter-set parsers. Nothing below the
 * slice header is read.
 */

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

/** Parameter sets by id, as seen so far in the stream. */
export interface H264ParameterSets {
  sps: ReadonlyMap<number, H264Sps>;
  pps: ReadonlyMap<number, H264Pps>;
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
  if (pps.entropyCodingModeFlag && sliceType !== H264SliceType.I && sliceType !== H264SliceType.SI) r.readExpGolomb(); // cabac_init_idc
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
