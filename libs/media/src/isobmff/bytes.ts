/**
 * Field-by-field byte building for boxes that are written once per file (init segment, codec records).
 * The per-GOP moof is written with a DataView instead (see fragment.ts).
 */
export class ByteBuilder {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    this.room(3);
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.buf[this.len++] = (v >>> 24) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  /** Unsigned 64-bit from a JS number (exact up to 2^53). */
  u64(v: number): this {
    return this.u32(Math.floor(v / 0x1_0000_0000)).u32(v >>> 0);
  }

  /** Four ASCII characters (a box type or brand). */
  fourcc(s: string): this {
    if (s.length !== 4) throw new RangeError(`fourcc '${s}'`);
    for (let i = 0; i < 4; i++) this.u8(s.charCodeAt(i));
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  zeros(n: number): this {
    this.room(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }

  get length(): number {
    return this.len;
  }

  build(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Box (ISO/IEC 14496-12 §4.2): size(32), type(32), payload. */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  let size = 8;
  for (const p of payload) size += p.length;
  const out = new ByteBuilder().u32(size).fourcc(type);
  for (const p of payload) out.bytes(p);
  return out.build();
}

/** FullBox (ISO/IEC 14496-12 §4.2): Box plus version(8) and flags(24). */
export function fullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array {
  return box(type, new ByteBuilder().u8(version).u24(flags).build(), ...payload);
}
