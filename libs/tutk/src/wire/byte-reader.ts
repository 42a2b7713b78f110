import { TutkParseError } from './parse-error';

/**
 * Bounds-checked little/big-endian reads over a Uint8Array without copying. Every read past the end
 * throws TutkParseError(layer, 'short'), so parsers never trust a length field.
 */
export class ByteReader {
  private readonly view: DataView;
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly layer: string,
    offset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  need(n: number, what = 'field'): void {
    if (n < 0 || this.offset + n > this.bytes.length) {
      throw new TutkParseError(this.layer, 'short', `${what}: need ${n} at ${this.offset}, have ${this.bytes.length - this.offset}`);
    }
  }

  skip(n: number): void {
    this.need(n);
    this.offset += n;
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  u16le(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u16be(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, false);
    this.offset += 2;
    return v;
  }
  u24be(): number {
    this.need(3);
    const v = (this.bytes[this.offset] << 16) | (this.bytes[this.offset + 1] << 8) | this.bytes[this.offset + 2];
    this.offset += 3;
    return v;
  }
  u32le(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  u32be(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, false);
    this.offset += 4;
    return v;
  }
  u48be(): number {
    const hi = this.u16be();
    return hi * 0x1_0000_0000 + this.u32be();
  }
  u64le(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }
  /** A view (no copy) of the next n bytes. */
  take(n: number, what?: string): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  rest(): Uint8Array {
    return this.take(this.remaining);
  }
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
export function putU16le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
export function putU32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}
export function putU16be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}
export function putU32be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}
export const asciiBytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
