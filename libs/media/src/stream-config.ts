import { splitAnnexB } from './codec/annexb';
import { audioSpecificConfigFromAdts, parseAdtsHeader } from './codec/adts';
import { H264NalType, h264CodecString, h264NalType, parseH264Sps } from './codec/h264';
import { H265NalType, h265CodecString, h265NalType, parseH265SpsHead } from './codec/h265';
import { sameBytes } from '@wyze-nvr/bytes';
import { MediaParseError } from './errors';

export type VideoCodec = 'h264' | 'h265';
export type AudioCodec = 'aac' | 'pcmu' | 'flac';

/** What a video track needs for its sample entry. Parameter sets are NAL units without start codes. */
export interface VideoTrackConfig {
  kind: 'video';
  codec: VideoCodec;
  width: number;
  height: number;
  /** RFC 6381 codecs parameter (avc1.4d401f, hvc1.1.6.L93.B0). */
  codecString: string;
  /** H.265 only; empty for H.264. */
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
}

export interface AacTrackConfig {
  kind: 'audio';
  codec: 'aac';
  sampleRate: number;
  channels: number;
  /** AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), 2 bytes for AAC-LC. */
  audioSpecificConfig: Uint8Array;
  codecString: string;
}

/** G.711 µ-law; stored as-is in a `ulaw` sample entry by default (see README). */
export interface PcmuTrackConfig {
  kind: 'audio';
  codec: 'pcmu';
  sampleRate: number;
  channels: number;
}

/**
 * FLAC (the live view's form of G.711 and PCM audio for browsers): `fLaC` + `dfLa` sample entry, one FLAC
 * frame per sample (FLAC in ISOBMFF, §3.3).
 */
export interface FlacTrackConfig {
  kind: 'audio';
  codec: 'flac';
  sampleRate: number;
  channels: number;
  /** The STREAMINFO metadata block's 34 bytes (RFC 9639 §8.2). */
  streamInfo: Uint8Array;
  codecString: 'flac';
}

export type AudioTrackConfig = AacTrackConfig | PcmuTrackConfig | FlacTrackConfig;

/** The tracks of one recording file. A new file starts whenever this changes. */
export interface StreamConfig {
  video?: VideoTrackConfig;
  audio?: AudioTrackConfig;
}

const isH264Param = (t: number) => t === H264NalType.Sps || t === H264NalType.Pps;
const isH265Param = (t: number) => t === H265NalType.Vps || t === H265NalType.Sps || t === H265NalType.Pps;

/** True for NAL units the writer keeps out of samples: parameter sets (in avcC/hvcC), AUDs and filler data. */
export function isOutOfBandNal(codec: VideoCodec, nal: Uint8Array): boolean {
  if (codec === 'h264') {
    const t = h264NalType(nal);
    return isH264Param(t) || t === H264NalType.Aud || t === H264NalType.Filler;
  }
  const t = h265NalType(nal);
  return isH265Param(t) || t === H265NalType.Aud || t === H265NalType.Fd;
}

/** Parameter sets of an access unit, grouped by kind, in stream order (views, no copies); duplicates dropped. */
export function parameterSetsOf(codec: VideoCodec, nals: readonly Uint8Array[]): { vps: Uint8Array[]; sps: Uint8Array[]; pps: Uint8Array[] } {
  const out = { vps: [] as Uint8Array[], sps: [] as Uint8Array[], pps: [] as Uint8Array[] };
  const add = (list: Uint8Array[], nal: Uint8Array) => {
    if (!list.some((x) => sameBytes(x, nal))) list.push(nal);
  };
  for (const nal of nals) {
    if (codec === 'h264') {
      const t = h264NalType(nal);
      if (t === H264NalType.Sps) add(out.sps, nal);
      else if (t === H264NalType.Pps) add(out.pps, nal);
    } else {
      const t = h265NalType(nal);
      if (t === H265NalType.Vps) add(out.vps, nal);
      else if (t === H265NalType.Sps) add(out.sps, nal);
      else if (t === H265NalType.Pps) add(out.pps, nal);
    }
  }
  return out;
}

/**
 * Builds a video track config from parameter sets (views are copied, so the config outlives the frame buffer).
 * Throws MediaParseError when a required set is missing or the start of the SPS does not parse.
 */
export function videoConfigFromParameterSets(
  codec: VideoCodec,
  sets: { vps?: readonly Uint8Array[]; sps: readonly Uint8Array[]; pps: readonly Uint8Array[] },
): VideoTrackConfig {
  const vps = (sets.vps ?? []).map((x) => x.slice());
  const sps = sets.sps.map((x) => x.slice());
  const pps = sets.pps.map((x) => x.slice());
  if (sps.length === 0 || pps.length === 0 || (codec === 'h265' && vps.length === 0)) {
    throw new MediaParseError('missing', `${codec} parameter sets incomplete (vps ${vps.length}, sps ${sps.length}, pps ${pps.length})`);
  }
  // Only what the sample entry needs is parsed (profile, level, size; the H.264 SPS up to its VUI, the
  // H.265 SPS up to its bit depths). PPSs and the rest are stored as the camera sent them: a parameter
  // set our parsers misread must not cost the recording (the decoder reads them, not us).
  if (codec === 'h264') {
    const s = parseH264Sps(sps[0]);
    return { kind: 'video', codec, width: s.width, height: s.height, codecString: h264CodecString(s), vps, sps, pps };
  }
  const s = parseH265SpsHead(sps[0]);
  return { kind: 'video', codec, width: s.width, height: s.height, codecString: h265CodecString(s.profileTierLevel), vps, sps, pps };
}

/** The config carried by a keyframe's in-band parameter sets, or null when the access unit has none. */
export function videoConfigFromAccessUnit(codec: VideoCodec, annexB: Uint8Array): VideoTrackConfig | null {
  const sets = parameterSetsOf(codec, splitAnnexB(annexB));
  if (sets.sps.length === 0 && sets.pps.length === 0 && sets.vps.length === 0) return null;
  return videoConfigFromParameterSets(codec, sets);
}

/** AAC config from the first ADTS header of a camera audio payload. */
export function aacConfigFromAdts(adtsFrame: Uint8Array): AacTrackConfig {
  const h = parseAdtsHeader(adtsFrame);
  return {
    kind: 'audio',
    codec: 'aac',
    sampleRate: h.sampleRate,
    channels: h.channelConfiguration,
    audioSpecificConfig: audioSpecificConfigFromAdts(h),
    codecString: `mp4a.40.${h.audioObjectType}`,
  };
}

function listsEqual(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((x, i) => sameBytes(x, b[i]));
}

export function sameVideoConfig(a: VideoTrackConfig | undefined, b: VideoTrackConfig | undefined): boolean {
  if (!a || !b) return a === b;
  // Parameter sets live only in the sample entry, so any byte change in them needs a new init segment.
  return (
    a.codec === b.codec &&
    a.width === b.width &&
    a.height === b.height &&
    listsEqual(a.vps, b.vps) &&
    listsEqual(a.sps, b.sps) &&
    listsEqual(a.pps, b.pps)
  );
}

export function sameAudioConfig(a: AudioTrackConfig | undefined, b: AudioTrackConfig | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.codec !== b.codec || a.sampleRate !== b.sampleRate || a.channels !== b.channels) return false;
  if (a.codec === 'aac' && b.codec === 'aac') return sameBytes(a.audioSpecificConfig, b.audioSpecificConfig);
  if (a.codec === 'flac' && b.codec === 'flac') return sameBytes(a.streamInfo, b.streamInfo);
  return true;
}

/** True when two streams can share one init segment (one file); false means: start a new file. */
export function sameStreamConfig(a: StreamConfig, b: StreamConfig): boolean {
  return sameVideoConfig(a.video, b.video) && sameAudioConfig(a.audio, b.audio);
}

/**
 * The RFC 6381 `codecs` parameter of a stream, video first ("avc1.640028,flac"). A track without an
 * ISO-registered codec string is named by its sample entry type (G.711 µ-law: "ulaw").
 */
export function codecsParameter(c: StreamConfig): string {
  const parts: string[] = [];
  if (c.video) parts.push(c.video.codecString);
  if (c.audio) parts.push(c.audio.codec === 'pcmu' ? 'ulaw' : c.audio.codecString);
  return parts.join(',');
}

/** The MIME type of an MP4 holding these tracks, with its codecs (RFC 6381 §3, as MSE's isTypeSupported takes it). */
export function mp4MimeType(c: StreamConfig): string {
  return `${c.video ? 'video' : 'audio'}/mp4; codecs="${codecsParameter(c)}"`;
}
