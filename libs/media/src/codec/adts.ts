import { MediaParseError } from '../errors';

/** Sampling frequencies by sampling_frequency_index (ISO/IEC 14496-3 §1.6.3.4, Table 1.18). */
export const AAC_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350] as const;

export interface AdtsHeader {
  /** audioObjectType = profile_ObjectType + 1 (2 = AAC-LC). */
  audioObjectType: number;
  samplingFrequencyIndex: number;
  sampleRate: number;
  channelConfiguration: number;
  /** 7, or 9 when a CRC follows the fixed+variable header. */
  headerLength: number;
  /** aac_frame_length: header plus payload. */
  frameLength: number;
  /** number_of_raw_data_blocks_in_frame + 1; each block is 1024 samples. */
  rawDataBlocks: number;
}

/** adts_fixed_header() + adts_variable_header() (ISO/IEC 14496-3 §1.A.2.2). */
export function parseAdtsHeader(data: Uint8Array, offset = 0): AdtsHeader {
  if (data.length - offset < 7) throw new MediaParseError('truncated', 'ADTS header needs 7 bytes');
  const b = (i: number) => data[offset + i];
  if (b(0) !== 0xff || (b(1) & 0xf0) !== 0xf0) throw new MediaParseError('invalid', 'no ADTS syncword');
  if ((b(1) & 0x06) !== 0) throw new MediaParseError('invalid', 'ADTS layer is not 0');
  const protectionAbsent = b(1) & 0x01; // protection_absent
  const profileObjectType = b(2) >>> 6; // profile_ObjectType
  const samplingFrequencyIndex = (b(2) >>> 2) & 0x0f; // sampling_frequency_index
  const channelConfiguration = ((b(2) & 0x01) << 2) | (b(3) >>> 6); // channel_configuration
  const frameLength = ((b(3) & 0x03) << 11) | (b(4) << 3) | (b(5) >>> 5); // aac_frame_length
  const rawDataBlocks = (b(6) & 0x03) + 1; // number_of_raw_data_blocks_in_frame
  const headerLength = protectionAbsent ? 7 : 9;
  if (samplingFrequencyIndex >= AAC_SAMPLE_RATES.length) {
    throw new MediaParseError('invalid', `ADTS sampling_frequency_index ${samplingFrequencyIndex}`);
  }
  if (frameLength < headerLength) throw new MediaParseError('invalid', `ADTS aac_frame_length ${frameLength} < header`);
  return {
    audioObjectType: profileObjectType + 1,
    samplingFrequencyIndex,
    sampleRate: AAC_SAMPLE_RATES[samplingFrequencyIndex],
    channelConfiguration,
    headerLength,
    frameLength,
    rawDataBlocks,
  };
}

/** AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) for an ADTS stream: 2 bytes, GASpecificConfig all zero. */
export function audioSpecificConfigFromAdts(h: AdtsHeader): Uint8Array {
  if (h.channelConfiguration === 0) {
    // Channel layout would live in a program_config_element in the payload; not produced by cameras.
    throw new MediaParseError('unsupported', 'ADTS channel_configuration 0 (PCE) is not supported');
  }
  return new Uint8Array([
    (h.audioObjectType << 3) | (h.samplingFrequencyIndex >>> 1), // audioObjectType(5), samplingFrequencyIndex(4)…
    ((h.samplingFrequencyIndex & 1) << 7) | (h.channelConfiguration << 3), // …channelConfiguration(4), frameLengthFlag, dependsOnCoreCoder, extensionFlag
  ]);
}

export interface AdtsFrame {
  header: AdtsHeader;
  /** raw_data_block() bytes, a view into the input. */
  payload: Uint8Array;
}

/**
 * Splits a buffer of back-to-back ADTS frames (one camera audio payload, or a whole .aac file).
 * A frame that runs past the end throws 'truncated'; the caller decides whether to drop the rest.
 */
export function splitAdts(data: Uint8Array): AdtsFrame[] {
  const frames: AdtsFrame[] = [];
  let off = 0;
  while (off < data.length) {
    const header = parseAdtsHeader(data, off);
    if (header.rawDataBlocks !== 1) {
      // Several raw_data_blocks need per-block CRC/position handling; cameras send one per frame.
      throw new MediaParseError('unsupported', `ADTS frame with ${header.rawDataBlocks} raw data blocks`);
    }
    if (off + header.frameLength > data.length) {
      throw new MediaParseError('truncated', `ADTS frame at ${off} needs ${header.frameLength} bytes, ${data.length - off} left`);
    }
    frames.push({ header, payload: data.subarray(off + header.headerLength, off + header.frameLength) });
    off += header.frameLength;
  }
  return frames;
}
