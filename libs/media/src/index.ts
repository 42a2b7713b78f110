// Media: codec parsing (Annex B, H.264/H.265 parameter sets, ADTS, G.711), a FLAC encoder, fragmented MP4 writing/reading
// (per GOP for files, per frame for live viewers), and
// copying time ranges of recorded segments into one fragmented MP4 without re-encoding.
export { MediaParseError, MediaWriteError, type MediaParseErrorCode } from './errors';
export { BitReader, toRbsp } from './codec/bit-reader';
export { splitAnnexB, isAnnexB, sampleToAnnexB } from './codec/annexb';
export { splitAccessUnits, type AccessUnit } from './codec/access-units';
export {
  H264NalType,
  h264NalType,
  isH264Keyframe,
  parseH264Sps,
  parseH264Pps,
  h264CodecString,
  type H264Sps,
  type H264Pps,
} from './codec/h264';
export {
  H265NalType,
  h265NalType,
  isH265Keyframe,
  parseH265Vps,
  parseH265Sps,
  parseH265SpsHead,
  parseH265Pps,
  readH265ShortTermRps,
  h265CodecString,
  type H265Vps,
  type H265Sps,
  type H265Pps,
  type H265ProfileTierLevel,
  type H265ShortTermRps,
} from './codec/h265';
export { buildAvcDecoderConfigurationRecord } from './codec/avcc';
export { buildHevcDecoderConfigurationRecord } from './codec/hvcc';
export { AAC_SAMPLE_RATES, parseAdtsHeader, splitAdts, audioSpecificConfigFromAdts, type AdtsHeader, type AdtsFrame } from './codec/adts';
export { ULAW_TO_PCM16, ALAW_TO_PCM16, expandUlaw, decodeG711 } from './codec/g711';
export { FlacEncoder, flacStreamInfo, FLAC_MAX_BLOCK, type FlacStreamParams, type FlacEncoderOptions } from './codec/flac-encoder';
export {
  type VideoCodec,
  type AudioCodec,
  type VideoTrackConfig,
  type AacTrackConfig,
  type PcmuTrackConfig,
  type FlacTrackConfig,
  type AudioTrackConfig,
  type StreamConfig,
  videoConfigFromParameterSets,
  videoConfigFromAccessUnit,
  aacConfigFromAdts,
  parameterSetsOf,
  isOutOfBandNal,
  sameStreamConfig,
  sameVideoConfig,
  sameAudioConfig,
  codecsParameter,
  mp4MimeType,
} from './stream-config';
export type { G711Storage } from './isobmff/sample-entry';
export { VIDEO_TRACK_ID, AUDIO_TRACK_ID, VIDEO_TIMESCALE } from './isobmff/init-segment';
export {
  FragmentedMp4Writer,
  type FragmentedMp4WriterOptions,
  type VideoFrameInput,
  type AudioFrameInput,
  type FragmentOutput,
} from './fmp4-writer';
export { LiveFragmenter, type LiveFragmenterOptions } from './live-fragmenter';
export {
  readFragmentedMp4,
  indexFragmentedMp4,
  sampleTimeUs,
  type ByteSource,
  type FragmentedMp4,
  type Mp4Track,
  type Mp4Sample,
  type Mp4Fragment,
} from './fmp4-reader';
export {
  copyFragments,
  planFragmentCopy,
  type SegmentInput,
  type IndexedSegment,
  type CopyRange,
  type CopyPart,
  type CopyPlan,
  type CopyOutput,
} from './fragment-copy';
export {
  copyRange,
  type RangeSegment,
  type IndexedSegmentFile,
  type RangeCopyOptions,
  type RangeCopyResult,
} from './range-copy';
