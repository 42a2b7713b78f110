import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { AvMagic, AV_VERSION } from './constants';
import { HL_HEADER_LENGTH, type HlMessage, parseHl } from './hl';

/** FACTS §8.5 */
export const IOCTRL_HEADER_LENGTH = 40;
/** [36-39]: the SDK's IOTYPE_USER_DEFINED_START, one u32 (FACTS §8.5). */
export const IOCTRL_TYPE_USER_DEFINED = 0x100;
/** FACTS §8.1: the HL search starts here. */
export const HL_SEARCH_FROM = 32;
/** [2-3] of the recommended camera shape (FACTS §8.6). */
export const CAMERA_IOCTRL_VERSION = 0x000b;

export interface IoctrlFrameFields {
  /** [4-7]: the client's AV sequence (shared with ACKs), or the camera's own sequence. */
  avSeq: number;
  /** [18-19] and [28-31]: the command sequence of the request (a reply echoes it; FACTS §8.6). */
  cmdSeq: number;
  /** The complete HL message (header and payload). */
  hl: Uint8Array;
  /**
   * 'client' writes the client frame of FACTS §8.5; 'camera' the mirror image recommended for the
   * emulator in §8.6 (only [2-3] differs). Default 'client'.
   */
  from?: 'client' | 'camera';
}

/** 40-byte header and the HL message, with nothing after it (FACTS §8.6, §9.3). */
export function buildIoctrlFrame(f: IoctrlFrameFields): Uint8Array {
  const p = new Uint8Array(IOCTRL_HEADER_LENGTH + f.hl.length);
  putU16le(p, 0, AvMagic.Control);
  putU16le(p, 2, f.from === 'camera' ? CAMERA_IOCTRL_VERSION : AV_VERSION);
  putU32le(p, 4, f.avSeq);
  putU16le(p, 16, AvMagic.Ioctrl);
  putU16le(p, 18, f.cmdSeq & 0xffff);
  putU32le(p, 20, 1);
  // "+4" counts the u32 type at [36-39] (FACTS §8.5).
  putU32le(p, 24, f.hl.length + 4);
  putU32le(p, 28, f.cmdSeq);
  putU32le(p, 36, IOCTRL_TYPE_USER_DEFINED);
  p.set(f.hl, IOCTRL_HEADER_LENGTH);
  return p;
}

/** Records that go into the command queue and may carry an HL reply (FACTS §8.6 item 1). */
export function isIoctrlMagic(magic: number): boolean {
  return magic === AvMagic.Control || magic === AvMagic.Ioctrl || magic === AvMagic.ChannelMessage;
}

/**
 * The normative HL search of FACTS §8.1: the first `48 4c` at offset >= 32 with at least 16 bytes
 * from there to the end of the record. Returns -1 when there is none.
 */
export function findHl(record: Uint8Array): number {
  const last = record.length - HL_HEADER_LENGTH;
  for (let i = HL_SEARCH_FROM; i <= last; i++) {
    if (record[i] === 0x48 && record[i + 1] === 0x4c) return i;
  }
  return -1;
}

export interface IoctrlFrame {
  /** [0-1], one of 0x000c, 0x7000, 0x1000. */
  magic: number;
  /** [4-7] when the record is a 0x000c wrapper (it feeds the ACK window, FACTS §8.4); else undefined. */
  avSeq: number | undefined;
  /** Offset of the HL message in the record. */
  hlOffset: number;
  hl: HlMessage;
}

/**
 * Either direction: the HL message of a command record, found only by the search rule, so both the
 * 0x000c wrapper and a bare 0x7000 frame (vector ioctrl_parse_camera_k10001) are accepted.
 */
export function parseIoctrlFrame(record: Uint8Array): IoctrlFrame {
  if (record.length < 2) throw new TutkParseError('av', 'short', 'ioctrl');
  const magic = u16le(record, 0);
  if (!isIoctrlMagic(magic)) throw new TutkParseError('av', 'bad-magic', `ioctrl 0x${magic.toString(16)}`);
  const hlOffset = findHl(record);
  if (hlOffset < 0) throw new TutkParseError('av', 'no-hl', `${record.length}-byte record`);
  return {
    magic,
    avSeq: magic === AvMagic.Control && record.length >= 8 ? u32le(record, 4) : undefined,
    hlOffset,
    hl: parseHl(record.subarray(hlOffset)),
  };
}
