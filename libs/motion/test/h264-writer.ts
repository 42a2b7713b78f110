// Test support: writes minimal H.264 parameter sets and slices (headers to spec, payload filler) so that
// slice-header parsing and the detector can be driven by exact, known QPs and sizes.

/** MSB-first bit writer with exp-Golomb codes (H.264 §9.1). */
export class BitWriter {
  private readonly bits: number[] = [];

  u(n: number, v: number): this {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }

  flag(b: boolean): this {
    return this.u(1, b ? 1 : 0);
  }

  ue(v: number): this {
    const len = Math.floor(Math.log2(v + 1));
    this.u(len, 0);
    return this.u(len + 1, v + 1);
  }

  se(v: number): this {
    return this.ue(v > 0 ? 2 * v - 1 : -2 * v);
  }

  /** rbsp_trailing_bits(): a stop bit, then zeros to the byte boundary. */
  trailing(): this {
    this.bits.push(1);
    while (this.bits.length % 8) this.bits.push(0);
    return this;
  }

  /** Pads to a byte boundary with ones (slice data is not parsed; ones never form a start code). */
  alignOnes(): this {
    while (this.bits.length % 8) this.bits.push(1);
    return this;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.bits.length / 8));
    this.bits.forEach((b, i) => (out[i >> 3] |= b << (7 - (i & 7))));
    return out;
  }
}

/** A NAL unit: header byte(s), then the RBSP with emulation prevention (H.264 §7.4.1). */
export function nal(header: number[], rbsp: Uint8Array): Uint8Array {
  const out: number[] = [...header];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return new Uint8Array(out);
}

export function annexB(nals: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nals.reduce((n, p) => n + 4 + p.length, 0));
  let o = 0;
  for (const p of nals) {
    out.set([0, 0, 0, 1], o);
    out.set(p, o + 4);
    o += 4 + p.length;
  }
  return out;
}

/** Baseline-profile SPS: 320x192, frame_num in 4 bits, pic_order_cnt_type 2 (no POC in slice headers). */
export function h264Sps(): Uint8Array {
  const w = new BitWriter()
    .u(8, 66) // profile_idc
    .u(8, 0xc0) // constraint_set0_flag, constraint_set1_flag
    .u(8, 30) // level_idc
    .ue(0) // seq_parameter_set_id
    .ue(0) // log2_max_frame_num_minus4
    .ue(2) // pic_order_cnt_type
    .ue(1) // max_num_ref_frames
    .flag(false) // gaps_in_frame_num_value_allowed_flag
    .ue(19) // pic_width_in_mbs_minus1
    .ue(11) // pic_height_in_map_units_minus1
    .flag(true) // frame_mbs_only_flag
    .flag(true) // direct_8x8_inference_flag
    .flag(false) // frame_cropping_flag
    .flag(false) // vui_parameters_present_flag
    .trailing();
  return nal([0x67], w.bytes());
}

export function h264Pps(picInitQp: number, options: { weightedPred?: boolean } = {}): Uint8Array {
  const w = new BitWriter()
    .ue(0) // pic_parameter_set_id
    .ue(0) // seq_parameter_set_id
    .flag(false) // entropy_coding_mode_flag
    .flag(false) // bottom_field_pic_order_in_frame_present_flag
    .ue(0) // num_slice_groups_minus1
    .ue(0) // num_ref_idx_l0_default_active_minus1
    .ue(0) // num_ref_idx_l1_default_active_minus1
    .flag(options.weightedPred ?? false) // weighted_pred_flag
    .u(2, 0) // weighted_bipred_idc
    .se(picInitQp - 26) // pic_init_qp_minus26
    .se(0) // pic_init_qs_minus26
    .se(0) // chroma_qp_index_offset
    .flag(true) // deblocking_filter_control_present_flag
    .flag(false) // constrained_intra_pred_flag
    .flag(false) // redundant_pic_cnt_present_flag
    .trailing();
  return nal([0x68], w.bytes());
}

export interface SliceSpec {
  idr: boolean;
  qp: number;
  /** Bytes of the whole NAL unit, approximately (filler is added after the header). */
  bytes: number;
  picInitQp: number;
  firstMb?: number;
  frameNum?: number;
  /** With a weighted-prediction PPS: a pred_weight_table with one luma weight. */
  weightedPred?: boolean;
  /** A P slice with reordering and adaptive marking commands (exercises the skipped syntax). */
  extras?: boolean;
}

/** A coded slice NAL: IDR (I slice) or non-IDR P slice, header to spec, then filler payload. */
export function h264Slice(s: SliceSpec): Uint8Array {
  const w = new BitWriter()
    .ue(s.firstMb ?? 0) // first_mb_in_slice
    .ue(s.idr ? 7 : 5) // slice_type: I or P (all slices of the picture alike)
    .ue(0) // pic_parameter_set_id
    .u(4, (s.frameNum ?? 0) % 16); // frame_num
  if (s.idr) w.ue(0); // idr_pic_id
  if (!s.idr) {
    w.flag(Boolean(s.extras)); // num_ref_idx_active_override_flag
    if (s.extras) w.ue(1); // num_ref_idx_l0_active_minus1
    w.flag(Boolean(s.extras)); // ref_pic_list_modification_flag_l0
    if (s.extras) w.ue(0).ue(0).ue(3); // modification_of_pic_nums_idc 0, abs_diff_pic_num_minus1, idc 3 (end)
    if (s.weightedPred) {
      w.ue(5); // luma_log2_weight_denom
      w.ue(5); // chroma_log2_weight_denom
      for (let i = 0; i < (s.extras ? 2 : 1); i++) {
        w.flag(true).se(40).se(-3); // luma_weight_l0_flag, luma_weight_l0, luma_offset_l0
        w.flag(false); // chroma_weight_l0_flag
      }
    }
  }
  if (s.idr) w.flag(false).flag(false); // no_output_of_prior_pics_flag, long_term_reference_flag
  else {
    w.flag(Boolean(s.extras)); // adaptive_ref_pic_marking_mode_flag
    if (s.extras) w.ue(1).ue(2).ue(0); // mmco 1, difference_of_pic_nums_minus1, mmco 0 (end)
  }
  w.se(s.qp - s.picInitQp); // slice_qp_delta
  w.ue(1); // disable_deblocking_filter_idc
  w.alignOnes();
  const header = w.bytes();
  const payload = new Uint8Array(Math.max(0, s.bytes - 1 - header.length)).fill(0xa5);
  const rbsp = new Uint8Array(header.length + payload.length);
  rbsp.set(header);
  rbsp.set(payload, header.length);
  return nal([s.idr ? 0x65 : 0x41], rbsp);
}

export interface SyntheticFrame {
  timeUs: number;
  keyframe: boolean;
  data: Uint8Array;
  codec: 'h264';
}

/**
 * A camera-like H.264 stream (20 fps, GOP 40, parameter sets before each IDR) whose P-slice sizes and QPs
 * follow the given functions of time (seconds). Sizes get ±10 % deterministic jitter, like sensor noise.
 */
export function syntheticStream(o: { seconds: number; bytes: (t: number) => number; qp?: (t: number) => number; fps?: number; gop?: number }): SyntheticFrame[] {
  const fps = o.fps ?? 20;
  const gop = o.gop ?? 40;
  const picInitQp = 26;
  const sps = h264Sps();
  const pps = h264Pps(picInitQp);
  let seed = 1;
  const jitter = () => 0.9 + 0.2 * ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const frames: SyntheticFrame[] = [];
  for (let i = 0; i < o.seconds * fps; i++) {
    const t = i / fps;
    const keyframe = i % gop === 0;
    const qp = Math.round(o.qp?.(t) ?? 30);
    const bytes = keyframe ? 20_000 : Math.max(20, Math.round(o.bytes(t) * jitter()));
    const slice = h264Slice({ idr: keyframe, qp, bytes, picInitQp, frameNum: i % gop });
    frames.push({ timeUs: Math.round((i * 1e6) / fps), keyframe, data: annexB(keyframe ? [sps, pps, slice] : [slice]), codec: 'h264' });
  }
  return frames;
}
