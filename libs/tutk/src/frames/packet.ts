import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { MediaChannel, isCodecValidFor, isMediaChannel } from './codecs';
import { type FrameInfo, RX_FRAMEINFO_LENGTH, parseFrameInfo } from './frame-info';

/** Frame type, byte 1 of a media packet (SEED §9.2, FACTS §10.2). */
export const FrameType = {
  Cont: 0x00,
  EndSingle: 0x01,
  ContAlt: 0x04,
  EndMulti: 0x05,
  Start: 0x08,
  StartAlt: 0x09,
  EndExt: 0x0d,
} as const;

/** pkt_idx value that marks the last packet: the FRAMEINFO length, 40 (FACTS §10.2). */
export const FRAMEINFO_MARKER = 0x28;
/** [2-3] of camera media packets. */
export const MEDIA_VERSION = 0x000b;
/** [6-7] of direct packets ("~P"). */
export const MEDIA_MAGIC = 0x507e;
/** Byte 0 of every resend = 1 record (SEED §9.6). */
export const RESEND_WRAPPER = 0x0c;
/** Outer header of a resend = 1 record, replacing the first 8 bytes of the direct header (SEED §9.6). */
const WRAPPED_OUTER = 16;
/** Smallest frame-index packet that reaches the frame numbers at [52-55] (SEED §9.7). */
const FRAME_INDEX_MIN = 56;

/** FACTS §10.2: types 0x08, 0x09, 0x0D have the 36-byte header, every other type 28. */
export function directHeaderSize(frameType: number): 28 | 36 {
  return frameType === FrameType.Start || frameType === FrameType.StartAlt || frameType === FrameType.EndExt ? 36 : 28;
}

/** End types: always carry a FRAMEINFO and satisfy the marker rule (FACTS §10.2). */
export function isEndType(frameType: number): boolean {
  return frameType === FrameType.EndSingle || frameType === FrameType.EndMulti || frameType === FrameType.EndExt;
}

/** Whether go2rtc looks for a FRAMEINFO in this packet (FACTS §10.2). */
export function carriesFrameInfo(frameType: number, pktTotal: number): boolean {
  return isEndType(frameType) || (frameType === FrameType.StartAlt && pktTotal === 1);
}

export interface MediaPacket {
  kind: 'media';
  /** 'direct' for resend = 0, 'wrapped' for the resend = 1 format (SEED §9.6, never used by go2rtc). */
  format: 'direct' | 'wrapped';
  channel: MediaChannel;
  frameType: number;
  headerSize: number;
  /** [4-5] */
  txSeq: number;
  pktTotal: number;
  /** After the marker rule; the raw field is `FRAMEINFO_MARKER` when `marker` is true. */
  pktIdx: number;
  /** The marker rule of FACTS §10.2 applied: this is the last packet of its frame. */
  marker: boolean;
  /** The header's payload size (u32); includes the FRAMEINFO on end packets. Never trusted. */
  payloadSizeField: number;
  prevFrameNo: number;
  /** Header frame number: the reassembly key. */
  frameNo: number;
  /** The packet's payload with any FRAMEINFO stripped (a view into the input). */
  payload: Uint8Array;
  /** Present only when the type allows one and its codec is valid for the channel. */
  frameInfo: FrameInfo | undefined;
}

/** resend = 1 "frame index" packet (inner byte 0x0c, SEED §9.7): parsed only to be ignored safely. */
export interface FrameIndexPacket {
  kind: 'frame-index';
  txSeq: number;
  channel: number;
  frameType: number;
  prevFrameNo: number;
  frameNo: number;
}

export type AvPacket = MediaPacket | FrameIndexPacket;

/**
 * Parses one media record from channel 0: a direct packet (byte 0 = 0x03/0x05/0x07), or a resend = 1
 * record (byte 0 = 0x0c), which is either a wrapped media packet or a frame-index packet.
 */
export function parseAvPacket(b: Uint8Array): AvPacket {
  if (b.length < 2) throw new TutkParseError('frame', 'short', `${b.length}-byte packet`);
  const b0 = b[0];
  if (isMediaChannel(b0)) return parseMedia(b, 'direct', b0, 0);
  if (b0 !== RESEND_WRAPPER) throw new TutkParseError('frame', 'not-media', `byte 0 = 0x${b0.toString(16)}`);
  if (b.length <= WRAPPED_OUTER) throw new TutkParseError('frame', 'short', `${b.length}-byte wrapped packet`);
  if (b[WRAPPED_OUTER] === RESEND_WRAPPER) {
    if (b.length < FRAME_INDEX_MIN) throw new TutkParseError('frame', 'short', `${b.length}-byte frame index`);
    return { kind: 'frame-index', txSeq: u16le(b, 4), channel: b[36], frameType: b[37], prevFrameNo: u32le(b, 48), frameNo: u32le(b, 52) };
  }
  // The wrapped header is the direct one with its first 8 bytes replaced by 16 (SEED §9.6).
  const tail = WRAPPED_OUTER + directHeaderSize(b[1]) - 8 - 20;
  if (b.length <= tail) throw new TutkParseError('frame', 'short', `${b.length}-byte wrapped packet`);
  const channel = b[tail];
  if (!isMediaChannel(channel)) throw new TutkParseError('frame', 'not-media', `wrapped channel 0x${channel.toString(16)}`);
  return parseMedia(b, 'wrapped', channel, WRAPPED_OUTER - 8);
}

/** `shift` moves every field after [0-7] (0 for direct packets, 8 for wrapped ones). */
function parseMedia(b: Uint8Array, format: 'direct' | 'wrapped', channel: MediaChannel, shift: number): MediaPacket {
  const frameType = b[1];
  const headerSize = directHeaderSize(frameType) + shift;
  if (b.length < headerSize) throw new TutkParseError('frame', 'short', `type 0x${frameType.toString(16)} needs ${headerSize}, have ${b.length}`);
  // The 20-byte tail of the header (channel copy .. frame number) sits at the same place from the end.
  const t = headerSize - 20;
  const pktTotal = u16le(b, t + 4);
  const idxField = u16le(b, t + 6);
  const marker = idxField === FRAMEINFO_MARKER && (isEndType(frameType) || pktTotal === 1);
  let frameInfo: FrameInfo | undefined;
  let payloadEnd = b.length;
  if (carriesFrameInfo(frameType, pktTotal) && b.length - headerSize >= RX_FRAMEINFO_LENGTH && isCodecValidFor(channel, b[b.length - RX_FRAMEINFO_LENGTH])) {
    payloadEnd = b.length - RX_FRAMEINFO_LENGTH;
    frameInfo = parseFrameInfo(b, payloadEnd);
  }
  return {
    kind: 'media',
    format,
    channel,
    frameType,
    headerSize,
    txSeq: u16le(b, 4),
    pktTotal,
    pktIdx: marker ? Math.max(pktTotal - 1, 0) : idxField,
    marker,
    payloadSizeField: u32le(b, t + 8),
    prevFrameNo: u32le(b, t + 12),
    frameNo: u32le(b, t + 16),
    payload: b.subarray(headerSize, payloadEnd),
    frameInfo,
  };
}

export interface MediaHeaderFields {
  channel: MediaChannel;
  frameType: number;
  txSeq: number;
  /** [9]/[17]: 0 normally, 1 on end packets (SEED §9.3). */
  streamIndex: number;
  /** [10-11]/[18-19]: running packet counter. */
  counter: number;
  pktTotal: number;
  /** pkt_idx, or FRAMEINFO_MARKER on the last packet. */
  pktIdxField: number;
  /** Bytes after the header, FRAMEINFO included (FACTS §10.2). */
  payloadSize: number;
  prevFrameNo: number;
  frameNo: number;
}

/** Header length for a frame type in either format. */
export function mediaHeaderSize(frameType: number, resend: 0 | 1): number {
  return directHeaderSize(frameType) + (resend === 1 ? WRAPPED_OUTER - 8 : 0);
}

/** Writes a media header at the start of `out`; returns its length. Bytes it does not name stay as they are (zero in a fresh buffer). */
export function writeMediaHeader(out: Uint8Array, h: MediaHeaderFields, resend: 0 | 1 = 0): number {
  const size = mediaHeaderSize(h.frameType, resend);
  if (resend === 1) {
    out[0] = RESEND_WRAPPER;
  } else {
    out[0] = h.channel;
    putU16le(out, 6, MEDIA_MAGIC);
  }
  out[1] = h.frameType;
  putU16le(out, 2, MEDIA_VERSION);
  putU16le(out, 4, h.txSeq & 0xffff);
  const t = size - 20;
  out[t] = h.channel;
  out[t + 1] = h.streamIndex;
  putU16le(out, t + 2, h.counter & 0xffff);
  putU16le(out, t + 4, h.pktTotal);
  putU16le(out, t + 6, h.pktIdxField);
  putU32le(out, t + 8, h.payloadSize);
  putU32le(out, t + 12, h.prevFrameNo);
  putU32le(out, t + 16, h.frameNo);
  return size;
}

