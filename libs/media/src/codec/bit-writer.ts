/** MSB-first bit writer into a growing byte buffer (the FLAC encoder's frames). */
export class BitWriter {
  private buf: Uint8Array;
  private len = 0;
  /** Bits not yet in a whole byte (fewer than 8), right-aligned in `acc`. */
  private acc = 0;
  private pending = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Whole bytes written so far (the pending bits not counted). */
  get byteLength(): number {
    return this.len;
  }

  get bitLength(): number {
    return this.len * 8 + this.pending;
  }

  private push(byte: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = byte;
  }

  /** The low `bits` bits of `value` (0 ≤ bits ≤ 32), most significant first. */
  bits(value: number, bits: number): this {
    while (bits > 0) {
      const take = Math.min(bits, 8 - this.pending);
      bits -= take;
      const part = bits >= 32 ? 0 : (value >>> bits) & ((1 << take) - 1);
      this.acc = (this.acc << take) | part;
      this.pending += take;
      if (this.pending === 8) {
        this.push(this.acc & 0xff);
        this.acc = 0;
        this.pending = 0;
      }
    }
    return this;
  }

  /** A two's-complement value in `bits` bits. */
  signed(value: number, bits: number): this {
    return this.bits(value < 0 ? value + 2 ** bits : value, bits);
  }

  /** `q` zero bits then a one (unary, as FLAC's Rice codes write the quotient). */
  unary(q: number): this {
    while (q >= 24) {
      this.bits(0, 24);
      q -= 24;
    }
    return this.bits(1, q + 1);
  }

  /** Zero bits up to the next byte boundary. */
  align(): this {
    if (this.pending > 0) this.bits(0, 8 - this.pending);
    return this;
  }

  /** Whole bytes written so far, as a view (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** The bytes written, after `align()`. */
  build(): Uint8Array {
    this.align();
    return this.buf.slice(0, this.len);
  }
}
