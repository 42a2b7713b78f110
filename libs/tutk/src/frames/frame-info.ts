import { TutkParseError } from '../wire/parse-error';
import { putU32le, u16le, u32le } from '../wire/byte-reader';
import { sampleRateIndex, sampleRateOfIndex } from './codecs';

/** FACTS §10.4 */
export const RX_FRAMEINFO_LENGTH = 40;
/** FACTS §11.3 */
export const TX_FRAMEINFO_LENGTH = 16;

/** The 40-byte FRAMEINFO at the end of a camera packet (FACTS §10.4, SEED §10.1). */
export interface FrameInfo {
  /** [0]; the codec fits in one byte (FACTS §10.4). */
  codec: number;
  /** [2]: video 1 = keyframe; audio (rate index << 2) | (16-bit << 1) | stereo. */
  flags: number;
  /** [3] */
  camIndex: number;
  /** [4] */
  onlineNum: number;
  /** [5] */
  fps: number;
  /** [6]: resolution tier; its meaning is OPEN (FACTS §16 item 6). */
  resTier: number;
  /** [7] */
  bitrate: number;
  /** [8-11]: µs within the second, 0..999,999. */
  timestampUs: number;
  /** [12-15]: probably Unix seconds, possibly a session constant (FACTS §10.4, OPEN). */
  timestampSec: number;
  /** [16-19]: total frame payload size; 0 = not given. */
  payloadSize: number;
  /** [20-23]: absolute frame counter. */
  frameNo: number;
  /** [24-39]: device id, the MAC in ASCII, up to the first NUL. */
  deviceId: string;
}

/** Audio parameters of a flags byte, read as go2rtc does (FACTS §10.4). */
export function audioFormatOfFlags(flags: number): { sampleRate: number; channels: 1 | 2; bits: 8 | 16 } {
  return { sampleRate: sampleRateOfIndex((flags >>> 2) & 15), channels: flags & 1 ? 2 : 1, bits: flags & 2 ? 16 : 8 };
}

/** FRAMEINFO [2] for audio: rate index, the 16-bit bit, the stereo bit. */
export function audioFlags(sampleRate: number, channels: number, bits16 = true): number {
  return (sampleRateIndex(sampleRate) << 2) | (bits16 ? 2 : 0) | (channels === 2 ? 1 : 0);
}

export function isKeyframeFlags(flags: number): boolean {
  return flags === 1;
}

/** Reads 40 bytes at `offset`; the codec validity check is the caller's (it depends on the channel). */
export function parseFrameInfo(b: Uint8Array, offset = 0): FrameInfo {
  if (offset < 0 || b.length - offset < RX_FRAMEINFO_LENGTH) throw new TutkParseError('frame', 'short', `FRAMEINFO needs 40 bytes at ${offset}, have ${b.length - offset}`);
  const o = offset;
  let idEnd = o + 24;
  while (idEnd < o + 40 && b[idEnd] !== 0) idEnd++;
  return {
    codec: b[o],
    flags: b[o + 2],
    camIndex: b[o + 3],
    onlineNum: b[o + 4],
    fps: b[o + 5],
    resTier: b[o + 6],
    bitrate: b[o + 7],
    timestampUs: u32le(b, o + 8),
    timestampSec: u32le(b, o + 12),
    payloadSize: u32le(b, o + 16),
    frameNo: u32le(b, o + 20),
    deviceId: Buffer.from(b.buffer, b.byteOffset + o + 24, idEnd - o - 24).toString('latin1'),
  };
}

/** [0-1] as a u16, for callers that want the seed's reading (SEED §10.1). */
export function frameInfoCodecU16(b: Uint8Array, offset = 0): number {
  if (b.length - offset < 2) throw new TutkParseError('frame', 'short', 'FRAMEINFO codec');
  return u16le(b, offset);
}

/** Writes a 40-byte RX FRAMEINFO into `out` at `offset` (the emulator's side). */
export function writeFrameInfo(out: Uint8Array, offset: number, fi: FrameInfo): void {
  out.fill(0, offset, offset + RX_FRAMEINFO_LENGTH);
  out[offset] = fi.codec;
  out[offset + 2] = fi.flags;
  out[offset + 3] = fi.camIndex;
  out[offset + 4] = fi.onlineNum;
  out[offset + 5] = fi.fps;
  out[offset + 6] = fi.resTier;
  out[offset + 7] = fi.bitrate;
  putU32le(out, offset + 8, fi.timestampUs);
  putU32le(out, offset + 12, fi.timestampSec);
  putU32le(out, offset + 16, fi.payloadSize);
  putU32le(out, offset + 20, fi.frameNo);
  const id = Buffer.from(fi.deviceId, 'latin1');
  out.set(id.subarray(0, 16), offset + 24);
}

export function buildFrameInfo(fi: FrameInfo): Uint8Array {
  const out = new Uint8Array(RX_FRAMEINFO_LENGTH);
  writeFrameInfo(out, 0, fi);
  return out;
}

/** The 16-byte FRAMEINFO after an intercom payload (FACTS §11.3). */
export interface TxFrameInfo {
  codec: number;
  /** [2] */
  flags: number;
  /** [4]: 1 */
  onlineNum: number;
  /** [12-15]: (frame number − 1) × frame duration, in ms. */
  timestampMs: number;
}

export function writeTxFrameInfo(out: Uint8Array, offset: number, fi: TxFrameInfo): void {
  out.fill(0, offset, offset + TX_FRAMEINFO_LENGTH);
  out[offset] = fi.codec;
  out[offset + 2] = fi.flags;
  out[offset + 4] = fi.onlineNum;
  putU32le(out, offset + 12, fi.timestampMs);
}

export function parseTxFrameInfo(b: Uint8Array, offset = 0): TxFrameInfo {
  if (offset < 0 || b.length - offset < TX_FRAMEINFO_LENGTH) throw new TutkParseError('frame', 'short', `TX FRAMEINFO needs 16 bytes at ${offset}`);
  return { codec: b[offset], flags: b[offset + 2], onlineNum: b[offset + 4], timestampMs: u32le(b, offset + 12) };
}
