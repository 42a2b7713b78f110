import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { MediaChannel, samplesPerFrame } from './codecs';
import { TX_FRAMEINFO_LENGTH, audioFlags, audioFormatOfFlags, parseTxFrameInfo, writeTxFrameInfo } from './frame-info';
import { FrameType } from './packet';

/** FACTS §11.3 */
export const AUDIO_TX_HEADER_LENGTH = 36;
/** [2-3] of an intercom frame; the client writes 0x000c here, the camera 0x000b in its own media. */
const AUDIO_TX_VERSION = 0x000c;
/** [12-15]: first frame, then every later one (FACTS §11.3). */
const FIRST_FRAME_FLAGS = 0x00000001;
const LATER_FRAME_FLAGS = 0x00100001;

export interface AudioTxFrameFields {
  /** From 1; also the TX sequence (FACTS §11.3). */
  frameNo: number;
  /** Running µs count of the intercom track, not wrapped at 1 s. */
  timestampUs: number;
  codec: number;
  sampleRate: number;
  channels: number;
  payload: Uint8Array;
}

export interface AudioTxFrame {
  frameNo: number;
  /** [4-7] */
  txSeq: number;
  timestampUs: number;
  prevFrameNo: number;
  codec: number;
  sampleRate: number;
  channels: 1 | 2;
  bits: 8 | 16;
  /** TX FRAMEINFO [12-15]. */
  timestampMs: number;
  /** A view into the frame. */
  payload: Uint8Array;
}

/**
 * TX FRAMEINFO [12-15]: (frame number − 1) × samples per frame × 1000 / rate. Computed without go2rtc's
 * 32-bit overflow (FACTS §11.3); the camera does not check it.
 */
export function audioTxTimestampMs(frameNo: number, codec: number, sampleRate: number): number {
  const spf = samplesPerFrame(codec);
  if (spf === undefined) throw new RangeError(`no frame duration for codec 0x${codec.toString(16)}`);
  return Math.floor(((frameNo - 1) * spf * 1000) / sampleRate) >>> 0;
}

/** One intercom record: 36-byte header, payload, 16-byte TX FRAMEINFO (FACTS §11.3). */
export function buildAudioTxFrame(f: AudioTxFrameFields): Uint8Array {
  if (!(f.frameNo >= 1)) throw new RangeError('frameNo starts at 1');
  const prev = f.frameNo - 1;
  const out = new Uint8Array(AUDIO_TX_HEADER_LENGTH + f.payload.length + TX_FRAMEINFO_LENGTH);
  out[0] = MediaChannel.Audio;
  out[1] = FrameType.StartAlt;
  putU16le(out, 2, AUDIO_TX_VERSION);
  putU32le(out, 4, f.frameNo);
  putU32le(out, 8, f.timestampUs);
  putU32le(out, 12, f.frameNo === 1 ? FIRST_FRAME_FLAGS : LATER_FRAME_FLAGS);
  out[16] = MediaChannel.Audio;
  out[17] = FrameType.EndSingle;
  putU16le(out, 18, prev);
  putU16le(out, 20, 1);
  putU16le(out, 22, TX_FRAMEINFO_LENGTH);
  putU32le(out, 24, f.payload.length + TX_FRAMEINFO_LENGTH);
  putU32le(out, 28, prev);
  putU32le(out, 32, f.frameNo);
  out.set(f.payload, AUDIO_TX_HEADER_LENGTH);
  writeTxFrameInfo(out, AUDIO_TX_HEADER_LENGTH + f.payload.length, {
    codec: f.codec,
    flags: audioFlags(f.sampleRate, f.channels, true),
    onlineNum: 1,
    timestampMs: audioTxTimestampMs(f.frameNo, f.codec, f.sampleRate),
  });
  return out;
}

/**
 * Camera side. Checks the shape the client always sends (channel 3, type 0x09, one packet) and the
 * header's length against the record, then splits payload and FRAMEINFO.
 */
export function parseAudioTxFrame(b: Uint8Array): AudioTxFrame {
  if (b.length < AUDIO_TX_HEADER_LENGTH + TX_FRAMEINFO_LENGTH) throw new TutkParseError('frame', 'short', `audio TX frame of ${b.length} bytes`);
  if (b[0] !== MediaChannel.Audio || b[1] !== FrameType.StartAlt) throw new TutkParseError('frame', 'bad-type', `audio TX frame ${b[0]}/${b[1]}`);
  if (u16le(b, 20) !== 1) throw new TutkParseError('frame', 'bad-total', `audio TX pkt_total ${u16le(b, 20)}`);
  const declared = u32le(b, 24);
  if (declared !== b.length - AUDIO_TX_HEADER_LENGTH) throw new TutkParseError('frame', 'bad-length', `audio TX says ${declared}, has ${b.length - AUDIO_TX_HEADER_LENGTH}`);
  const fiAt = b.length - TX_FRAMEINFO_LENGTH;
  const fi = parseTxFrameInfo(b, fiAt);
  const fmt = audioFormatOfFlags(fi.flags);
  return {
    frameNo: u32le(b, 32),
    txSeq: u32le(b, 4),
    timestampUs: u32le(b, 8),
    prevFrameNo: u32le(b, 28),
    codec: fi.codec,
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    bits: fmt.bits,
    timestampMs: fi.timestampMs,
    payload: b.subarray(AUDIO_TX_HEADER_LENGTH, fiAt),
  };
}
