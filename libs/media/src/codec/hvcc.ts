import { MediaParseError } from '../errors';
import { ByteBuilder } from '../isobmff/bytes';
import { H265NalType, parseH265SpsHead } from './h265';

/**
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1.2), the payload of an `hvcC` box.
 * Every reserved field is written as all ones, as the syntax requires (some writers get these wrong).
 * Parameter sets are only in the record (array_completeness = 1, sample entry `hvc1`); 4-byte NAL lengths.
 */
export function buildHevcDecoderConfigurationRecord(
  vps: readonly Uint8Array[],
  sps: readonly Uint8Array[],
  pps: readonly Uint8Array[],
): Uint8Array {
  if (vps.length === 0 || sps.length === 0 || pps.length === 0) {
    throw new MediaParseError('missing', 'hvcC needs a VPS, an SPS and a PPS');
  }
  const s = parseH265SpsHead(sps[0]);
  const ptl = s.profileTierLevel;
  const w = new ByteBuilder();
  w.u8(1); // configurationVersion
  w.u8((ptl.generalProfileSpace << 6) | (ptl.generalTierFlag << 5) | ptl.generalProfileIdc); // general_profile_space(2), general_tier_flag(1), general_profile_idc(5)
  w.u32(ptl.generalProfileCompatibilityFlags); // general_profile_compatibility_flags
  w.bytes(ptl.generalConstraintIndicatorFlags); // general_constraint_indicator_flags (48 bits)
  w.u8(ptl.generalLevelIdc); // general_level_idc
  w.u16(0xf000 | 0); // reserved '1111'b, min_spatial_segmentation_idc (12) = 0: no restriction signalled
  w.u8(0xfc | 0); // reserved '111111'b, parallelismType = 0: unknown
  w.u8(0xfc | s.chromaFormatIdc); // reserved '111111'b, chromaFormat
  w.u8(0xf8 | (s.bitDepthLuma - 8)); // reserved '11111'b, bitDepthLumaMinus8
  w.u8(0xf8 | (s.bitDepthChroma - 8)); // reserved '11111'b, bitDepthChromaMinus8
  w.u16(0); // avgFrameRate = 0: unspecified (camera frame rate varies)
  // constantFrameRate(2) = 0, numTemporalLayers(3), temporalIdNested(1), lengthSizeMinusOne(2) = 3
  w.u8((0 << 6) | ((s.maxSubLayers & 7) << 3) | ((s.temporalIdNesting ? 1 : 0) << 2) | 3);
  const arrays: [number, readonly Uint8Array[]][] = [
    [H265NalType.Vps, vps],
    [H265NalType.Sps, sps],
    [H265NalType.Pps, pps],
  ];
  w.u8(arrays.length); // numOfArrays
  for (const [type, nals] of arrays) {
    if (nals.length > 0xffff) throw new MediaParseError('invalid', 'too many parameter sets for hvcC');
    w.u8(0x80 | type); // array_completeness = 1, reserved = 0, NAL_unit_type(6)
    w.u16(nals.length); // numNalus
    for (const nal of nals) {
      if (nal.length > 0xffff) throw new MediaParseError('invalid', 'parameter set longer than 65535 bytes');
      w.u16(nal.length).bytes(nal); // nalUnitLength, nalUnit
    }
  }
  return w.build();
}
