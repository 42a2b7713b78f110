import {
  H264NalType,
  H265NalType,
  MediaParseError,
  h264NalType,
  h265NalType,
  parseH264Pps,
  parseH264Sps,
  parseH265Pps,
  parseH265Sps,
  type H264Pps,
  type H264Sps,
  type H265Pps,
  type H265Sps,
} from '@wyze-nvr/media';
import { parseH264SliceHeader, H264SliceType } from './h264-slice';
import { isH265Vcl, parseH265SliceHeader, H265SliceType } from './h265-slice';

export type MotionCodec = 'h264' | 'h265';

/** What one coded picture cost the encoder, read from its slice headers (no decoding). */
export interface FrameComplexity {
  /** Bytes of coded slice NAL units; parameter sets, SEI, delimiters and filler data are not counted. */
  sliceBytes: number;
  slices: number;
  /** Every slice is intra-coded (an IDR, or an I-picture in the middle of a GOP). */
  intra: boolean;
  /** Mean slice QP, each slice weighted by its bytes; null when no slice QP is known yet. */
  qp: number | null;
  /**
   * Σ slice bits × 2^(QP/6). The quantizer step doubles every 6 QP, and bits fall roughly in proportion, so
   * this tracks how much detail the picture had to code whatever the rate control did with the QP.
   */
  complexity: number | null;
  /** Slices whose header could not be read (counted, never thrown): their bytes carry the last known QP. */
  errors: number;
}

/**
 * Reads per-picture size and slice QP from Annex-B access units of one stream. Keeps the parameter sets
 * it has seen (by id), so a stream must be fed in order from a point where SPS/PPS are present.
 */
export class FrameComplexityReader {
  private readonly h264Sps = new Map<number, H264Sps>();
  private readonly h264Pps = new Map<number, H264Pps>();
  private readonly h265Sps = new Map<number, H265Sps>();
  private readonly h265Pps = new Map<number, H265Pps>();
  private lastQp: number | null = null;
  /** Parameter-set NAL units that failed to parse, over the reader's life. */
  parameterSetErrors = 0;

  constructor(readonly codec: MotionCodec) {}

  /** `nals`: the access unit's NAL units without start codes (e.g. from splitAnnexB). */
  read(nals: readonly Uint8Array[]): FrameComplexity {
    return this.codec === 'h264' ? this.readH264(nals) : this.readH265(nals);
  }

  private readH264(nals: readonly Uint8Array[]): FrameComplexity {
    let bytes = 0;
    let weighted = 0;
    let unknownBytes = 0;
    let slices = 0;
    let errors = 0;
    let intra = true;
    for (const nal of nals) {
      const type = h264NalType(nal);
      if (type === H264NalType.Sps) this.keep(() => this.h264Sps.set(...withId(parseH264Sps(nal), 'spsId')));
      else if (type === H264NalType.Pps) this.keep(() => this.h264Pps.set(...withId(parseH264Pps(nal), 'ppsId')));
      else if (type === H264NalType.NonIdrSlice || type === H264NalType.IdrSlice) {
        slices++;
        bytes += nal.length;
        try {
          const h = parseH264SliceHeader(nal, { sps: this.h264Sps, pps: this.h264Pps });
          if (h.sliceType !== H264SliceType.I && h.sliceType !== H264SliceType.SI) intra = false;
          weighted += nal.length * 2 ** (h.qp / 6);
          this.lastQp = h.qp;
        } catch (e) {
          if (!(e instanceof MediaParseError)) throw e;
          errors++;
          unknownBytes += nal.length;
          if (type === H264NalType.NonIdrSlice) intra = false;
        }
      }
    }
    return this.result(bytes, weighted, unknownBytes, slices, slices > 0 && intra, errors);
  }

  private readH265(nals: readonly Uint8Array[]): FrameComplexity {
    let bytes = 0;
    let weighted = 0;
    let unknownBytes = 0;
    let slices = 0;
    let errors = 0;
    let intra = true;
    let segmentQp: number | null = null; // a dependent slice segment takes the QP of the segment before it
    for (const nal of nals) {
      const type = h265NalType(nal);
      if (type === H265NalType.Sps) this.keep(() => this.h265Sps.set(...withId(parseH265Sps(nal), 'spsId')));
      else if (type === H265NalType.Pps) this.keep(() => this.h265Pps.set(...withId(parseH265Pps(nal), 'ppsId')));
      else if (isH265Vcl(nal)) {
        slices++;
        bytes += nal.length;
        try {
          const h = parseH265SliceHeader(nal, { sps: this.h265Sps, pps: this.h265Pps });
          if (!h.dependent && h.sliceType !== H265SliceType.I) intra = false;
          const qp: number | null = h.qp ?? segmentQp;
          if (qp === null) throw new MediaParseError('missing', 'dependent slice segment without a preceding segment');
          segmentQp = qp;
          weighted += nal.length * 2 ** (qp / 6);
          this.lastQp = qp;
        } catch (e) {
          if (!(e instanceof MediaParseError)) throw e;
          errors++;
          unknownBytes += nal.length;
          if (type < H265NalType.BlaWLp) intra = false;
        }
      }
    }
    return this.result(bytes, weighted, unknownBytes, slices, slices > 0 && intra, errors);
  }

  private result(bytes: number, weighted: number, unknownBytes: number, slices: number, intra: boolean, errors: number): FrameComplexity {
    if (unknownBytes > 0 && this.lastQp !== null) weighted += unknownBytes * 2 ** (this.lastQp / 6);
    const known = unknownBytes === 0 || this.lastQp !== null;
    const complexity = known && bytes > 0 ? weighted * 8 : null;
    const qp = complexity === null ? null : 6 * Math.log2(weighted / bytes);
    return { sliceBytes: bytes, slices, intra, qp, complexity, errors };
  }

  private keep(parse: () => void): void {
    try {
      parse();
    } catch (e) {
      if (!(e instanceof MediaParseError)) throw e;
      this.parameterSetErrors++;
    }
  }
}

function withId<T, K extends keyof T>(v: T, key: K): [T[K], T] {
  return [v[key], v];
}
