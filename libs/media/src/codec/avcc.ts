import { MediaParseError } from '../errors';
import { ByteBuilder } from '../isobmff/bytes';
import { parseH264Sps } from './h264';

/** Profiles whose AVCDecoderConfigurationRecord carries the chroma/bit-depth extension (ISO/IEC 14496-15 §5.3.3.1.2). */
const EXTENDED_PROFILES = new Set([100, 110, 122, 144]);

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1.2), the payload of an `avcC` box; 4-byte NAL lengths. */
export function buildAvcDecoderConfigurationRecord(sps: readonly Uint8Array[], pps: readonly Uint8Array[]): Uint8Array {
  if (sps.length === 0 || pps.length === 0) throw new MediaParseError('missing', 'avcC needs at least one SPS and one PPS');
  if (sps.length > 31 || pps.length > 255) throw new MediaParseError('invalid', 'too many parameter sets for avcC');
  const first = parseH264Sps(sps[0]);
  const w = new ByteBuilder();
  w.u8(1); // configurationVersion
  w.u8(first.profileIdc); // AVCProfileIndication
  w.u8(first.constraintFlags); // profile_compatibility
  w.u8(first.levelIdc); // AVCLevelIndication
  w.u8(0xfc | 3); // reserved '111111'b, lengthSizeMinusOne = 3
  w.u8(0xe0 | sps.length); // reserved '111'b, numOfSequenceParameterSets
  for (const s of sps) {
    if (s.length > 0xffff) throw new MediaParseError('invalid', 'SPS longer than 65535 bytes');
    w.u16(s.length).bytes(s); // sequenceParameterSetLength, sequenceParameterSetNALUnit
  }
  w.u8(pps.length); // numOfPictureParameterSets
  for (const p of pps) {
    if (p.length > 0xffff) throw new MediaParseError('invalid', 'PPS longer than 65535 bytes');
    w.u16(p.length).bytes(p); // pictureParameterSetLength, pictureParameterSetNALUnit
  }
  if (EXTENDED_PROFILES.has(first.profileIdc)) {
    w.u8(0xfc | first.chromaFormatIdc); // reserved '111111'b, chroma_format
    w.u8(0xf8 | (first.bitDepthLuma - 8)); // reserved '11111'b, bit_depth_luma_minus8
    w.u8(0xf8 | (first.bitDepthChroma - 8)); // reserved '11111'b, bit_depth_chroma_minus8
    w.u8(0); // numOfSequenceParameterSetExt
  }
  return w.build();
}
