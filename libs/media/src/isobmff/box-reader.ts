import { MediaParseError } from '../errors';

/** One box header (ISO/IEC 14496-12 §4.2), positions absolute in the scanned buffer. */
export interface BoxHeader {
  type: string;
  /** First byte of the box (its size field). */
  start: number;
  /** First byte of the payload (after size, type and any largesize). */
  payloadStart: number;
  /** One past the last byte, as declared; may exceed the buffer when the input is truncated. */
  end: number;
}

/**
 * Reads the box header at `offset`. Returns null when fewer than 8 (or 16 for largesize) bytes remain.
 * size 0 means "to the end of the buffer"; sizes smaller than the header are an error.
 */
export function readBoxHeader(data: Uint8Array, offset: number, limit = data.length): BoxHeader | null {
  if (limit - offset < 8) return null;
  const dv = new DataView(data.buffer, data.byteOffset + offset, limit - offset);
  let size = dv.getUint32(0);
  const type = String.fromCharCode(data[offset + 4], data[offset + 5], data[offset + 6], data[offset + 7]);
  let header = 8;
  if (size === 1) {
    if (limit - offset < 16) return null;
    size = dv.getUint32(8) * 0x1_0000_0000 + dv.getUint32(12); // largesize
    header = 16;
  } else if (size === 0) {
    size = limit - offset;
  }
  if (size < header) throw new MediaParseError('invalid', `box '${type}' at ${offset} has size ${size}`);
  return { type, start: offset, payloadStart: offset + header, end: offset + size };
}

/** The child boxes of [from, to); a child running past `to` is an error (the parent is complete). */
export function childBoxes(data: Uint8Array, from: number, to: number): BoxHeader[] {
  const out: BoxHeader[] = [];
  let off = from;
  while (off < to) {
    const h = readBoxHeader(data, off, to);
    if (!h) throw new MediaParseError('truncated', `box header at ${off} runs past its parent`);
    if (h.end > to) throw new MediaParseError('truncated', `box '${h.type}' at ${off} runs past its parent`);
    out.push(h);
    off = h.end;
  }
  return out;
}

export function findChild(data: Uint8Array, parent: BoxHeader, type: string): BoxHeader | undefined {
  return childBoxes(data, parent.payloadStart, parent.end).find((b) => b.type === type);
}

/** Bounds-checked big-endian reads within one box payload. */
export class BoxCursor {
  private readonly dv: DataView;
  pos: number;

  constructor(
    private readonly data: Uint8Array,
    private readonly box: BoxHeader,
    start = box.payloadStart,
  ) {
    this.dv = new DataView(data.buffer, data.byteOffset, data.length);
    this.pos = start;
  }

  private need(n: number): void {
    if (this.pos + n > this.box.end) throw new MediaParseError('truncated', `box '${this.box.type}' at ${this.box.start} is too short`);
  }

  u8(): number {
    this.need(1);
    return this.data[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): number {
    const hi = this.u32();
    const lo = this.u32();
    const v = hi * 0x1_0000_0000 + lo;
    if (!Number.isSafeInteger(v)) throw new MediaParseError('unsupported', `64-bit value in '${this.box.type}' exceeds 2^53`);
    return v;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  fourcc(): string {
    this.need(4);
    const s = String.fromCharCode(this.data[this.pos], this.data[this.pos + 1], this.data[this.pos + 2], this.data[this.pos + 3]);
    this.pos += 4;
    return s;
  }

  /** version(8) and flags(24) of a FullBox. */
  fullBoxHeader(): { version: number; flags: number } {
    const vf = this.u32();
    return { version: vf >>> 24, flags: vf & 0xffffff };
  }
}
