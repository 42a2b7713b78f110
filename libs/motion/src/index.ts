// Motion: scores coded frames from their slice headers (size × quantizer), no decoding, and turns the scores into events.
export { type MotionCodec, type FrameComplexity, FrameComplexityReader } from './frame-complexity';
export { type AccessUnit, splitAccessUnits } from '@wyze-nvr/media';
export { type KeyframeThumbnailerOptions, KeyframeThumbnailer, keyframeThumbnailArgs } from './keyframe-thumbnailer';
export {
  H264SliceType,
  parseH264SliceHeader,
  type H264SliceHeader,
  type H264ParameterSets,
} from './h264-slice';
export {
  H265SliceType,
  isH265Vcl,
  parseH265SliceHeader,
  type H265SliceHeader,
  type H265ParameterSets,
} from './h265-slice';
export {
  type ComplexityScoreOptions,
  type ComplexityScore,
  DEFAULT_COMPLEXITY_SCORE_OPTIONS,
  ComplexityScorer,
} from './complexity-score';
export {
  type LumaPicture,
  type KeyframeChangeOptions,
  type KeyframeChange,
  DEFAULT_KEYFRAME_CHANGE_OPTIONS,
  KeyframeChangeScorer,
} from './keyframe-change';
export {
  type MotionEvent,
  type MotionEventStart,
  type MotionEventEnd,
  type MotionSource,
  type EventAssemblerOptions,
  MotionEventAssembler,
} from './event-assembler';
export {
  type MotionFrame,
  type MotionDetectorOptions,
  type MotionDetectorEvent,
  type MotionDetectorStats,
  type KeyframeScore,
  DEFAULT_MOTION_DETECTOR_OPTIONS,
  MotionDetector,
} from './motion-detector';
