import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';

/** FACTS §8.7 */
export const HL_HEADER_LENGTH = 16;
/** [2-3] as go2rtc writes it; cameras send their own number (FACTS §8.7). */
export const HL_VERSION = 5;

export interface HlMessage {
  /** [2-3] read as a u16 "protocol" (FACTS §8.7). */
  version: number;
  /** [4-5] */
  cmd: number;
  /** The length the header declares: u32 at [6-9], or the u16 at [6-7] when only that fits. */
  length: number;
  /** `length` bytes after the header, cut at the end of the input when it declares more (a view). */
  payload: Uint8Array;
  /** True when the declared length ran past the end of the input. */
  truncated: boolean;
  /** The whole message from `HL` to the end of the input (a view); K10001 is read from here (FACTS §9). */
  raw: Uint8Array;
}

export function buildHl(cmd: number, payload: Uint8Array = new Uint8Array(0), version = HL_VERSION): Uint8Array {
  const p = new Uint8Array(HL_HEADER_LENGTH + payload.length);
  p[0] = 0x48; // 'H'
  p[1] = 0x4c; // 'L'
  putU16le(p, 2, version);
  putU16le(p, 4, cmd);
  // Written as a u32 so SDK readers see the same value; bytes 8-9 stay 0 below 64 KiB (FACTS §8.7).
  putU32le(p, 6, payload.length);
  p.set(payload, HL_HEADER_LENGTH);
  return p;
}

export function parseHl(b: Uint8Array): HlMessage {
  if (b.length < HL_HEADER_LENGTH) throw new TutkParseError('hl', 'short', `HL of ${b.length} bytes`);
  if (b[0] !== 0x48 || b[1] !== 0x4c) throw new TutkParseError('hl', 'bad-magic');
  const available = b.length - HL_HEADER_LENGTH;
  const l32 = u32le(b, 6);
  const l16 = u16le(b, 6);
  // Go2rtc writes a u16 and leaves 8-9 for reserved use; a u32 that overruns the record while its low
  // half fits means those bytes were not part of the length (FACTS §8.7 "read u32, falling back to u16").
  const length = l32 <= available || l16 > available ? l32 : l16;
  const truncated = length > available;
  return {
    version: u16le(b, 2),
    cmd: u16le(b, 4),
    length,
    payload: b.subarray(HL_HEADER_LENGTH, HL_HEADER_LENGTH + Math.min(length, available)),
    truncated,
    raw: b,
  };
}

/** An HL message given as bytes or already parsed. */
export type HlInput = Uint8Array | HlMessage;

/** The message, parsed if need be, checked to be command `cmd`. */
export function hlOf(input: HlInput, cmd: number): HlMessage {
  const m = input instanceof Uint8Array ? parseHl(input) : input;
  if (m.cmd !== cmd) throw new TutkParseError('hl', 'bad-cmd', `expected ${cmd}, got ${m.cmd}`);
  return m;
}

/** The payload of command `cmd`, at least `min` bytes of it. */
export function hlPayload(input: HlInput, cmd: number, min: number): Uint8Array {
  const m = hlOf(input, cmd);
  if (m.payload.length < min) throw new TutkParseError('hl', 'short', `K${cmd} payload ${m.payload.length} < ${min}`);
  return m.payload;
}
