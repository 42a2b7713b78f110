/** Media channel: byte 0 of a direct (resend = 0) packet (FACTS §10.1). */
export const MediaChannel = {
  Audio: 0x03,
  IFrame: 0x05,
  PFrame: 0x07,
} as const;
export type MediaChannel = (typeof MediaChannel)[keyof typeof MediaChannel];

export function isMediaChannel(b: number): b is MediaChannel {
  return b === MediaChannel.Audio || b === MediaChannel.IFrame || b === MediaChannel.PFrame;
}

/** FRAMEINFO [0] codec ids (SEED §11, FACTS §10.5). */
export const Codec = {
  Mpeg4: 0x4c,
  H263: 0x4d,
  H264: 0x4e,
  Mjpeg: 0x4f,
  H265: 0x50,
  AacRaw: 0x86,
  AacAdts: 0x87,
  AacLatm: 0x88,
  Pcmu: 0x89,
  Pcma: 0x8a,
  Adpcm: 0x8b,
  Pcm: 0x8c,
  Speex: 0x8d,
  Mp3: 0x8e,
  G726: 0x8f,
  AacWyze: 0x90,
  Opus: 0x92,
} as const;

/** FACTS §10.2 codec validity check: a FRAMEINFO whose codec does not fit the channel is not one. */
export function isCodecValidFor(channel: number, codec: number): boolean {
  if (channel === MediaChannel.Audio) return codec >= 0x86 && codec <= 0x92;
  return codec >= 0x4c && codec <= 0x50;
}

export function isAacCodec(codec: number): boolean {
  return codec === Codec.AacRaw || codec === Codec.AacAdts || codec === Codec.AacLatm || codec === Codec.AacWyze;
}

/** Sample-rate index of the audio flags byte (FACTS §10.4). */
export const AUDIO_SAMPLE_RATES: readonly number[] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

/** go2rtc reads 16 kHz for an index past the table (FACTS §10.4). */
export function sampleRateOfIndex(index: number): number {
  return index < AUDIO_SAMPLE_RATES.length ? AUDIO_SAMPLE_RATES[index] : 16000;
}

/** A rate not in the table gets index 3, 16 kHz (FACTS §11.3). */
export function sampleRateIndex(rate: number): number {
  const i = AUDIO_SAMPLE_RATES.indexOf(rate);
  return i < 0 ? 3 : i;
}

/** Samples per audio frame, for TX timing (FACTS §10.5). Undefined for a codec not in the table. */
export function samplesPerFrame(codec: number): number | undefined {
  if (isAacCodec(codec)) return 1024;
  switch (codec) {
    case Codec.Pcmu:
    case Codec.Pcma:
    case Codec.Pcm:
    case Codec.Adpcm:
    case Codec.Speex:
    case Codec.G726:
      return 160;
    case Codec.Mp3:
      return 1152;
    case Codec.Opus:
      return 960;
    default:
      return undefined;
  }
}
