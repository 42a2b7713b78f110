// Motion: scores coded frames from their slice headers (size × quantizer), no decoding, and turns the scores into events.
export { type MotionCodec, type FrameComplexity, FrameComplexityReader } from './frame-complexity';
export { type AccessUnit, splitAccessUnits } from './access-units';
export {
  H264SliceType,
  parseH264SliceSps,
  parseH264SlicePps,
  parseH264SliceHeader,
  type H264SliceSps,
  type H264SlicePps,
  type H264SliceHeader,
  type H264ParameterSets,
} from './h264-slice';
export {
  H265SliceType,
  isH265Vcl,
  parseH265SliceSps,
  parseH265SlicePps,
  parseH265SliceHeader,
  type H265SliceSps,
  type H265SlicePps,
  type H265SliceHeader,
  type H265ParameterSets,
} from './h265-slice';
