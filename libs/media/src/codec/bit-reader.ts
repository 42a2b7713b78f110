import { MediaParseError } from '../errors';

/**
 * Removes emulation_prevention_three_byte (H.264 §7.4.1, H.265 §7.4.2): 0x000003 → 0x0000.
 * Returns the input view itself when there is nothing to remove, so the common case copies nothing.
 */
export function toRbsp(nal: Uint8Array): Uint8Array {
  let i = findEmulation(nal, 0);
  if (i < 0) return nal;
  const out = new Uint8Array(nal.length);
  let o = 0;
  let from = 0;
  while (i >= 0) {
    // i is the index of the 0x03 byte; keep everything before it.
    out.set(nal.subarray(from, i), o);
    o += i - from;
    from = i + 1;
    i = findEmulation(nal, from);
  }
  out.set(nal.subarray(from), o);
  o += nal.length - from;
  return out.subarray(0, o);
}

function findEmulation(b: Uint8Array, from: number): number {
  for (let i = Math.max(from, 2); i < b.length; i++) {
    if (b[i] === 3 && b[i - 1] === 0 && b[i - 2] === 0 && i - 2 >= from) return i;
  }
  return -1;
}

/** MSB-first reader over an RBSP (emulation prevention already removed). Every read is bounds-checked. */
export class BitReader {
  private pos = 0; // in bits

  constructor(private readonly bytes: Uint8Array) {}

  get bitsLeft(): number {
    return this.bytes.length * 8 - this.pos;
  }

  get bitPosition(): number {
    return this.pos;
  }

  /** u(n), n ≤ 32. */
  readBits(n: number): number {
    if (n < 0 || n > 32) throw new MediaParseError('invalid', `readBits(${n})`);
    if (n > this.bitsLeft) throw new MediaParseError('truncated', `bitstream ends: need ${n} bits, ${this.bitsLeft} left`);
    let v = 0;
    for (let k = 0; k < n; k++) {
      const byte = this.bytes[this.pos >>> 3];
      v = v * 2 + ((byte >>> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }

  readBit(): number {
    return this.readBits(1);
  }

  readFlag(): boolean {
    return this.readBits(1) === 1;
  }

  skipBits(n: number): void {
    if (n > this.bitsLeft) throw new MediaParseError('truncated', `bitstream ends: skip ${n} bits, ${this.bitsLeft} left`);
    this.pos += n;
  }

  /** ue(v), H.264 §9.1 / H.265 §9.2. Values above 2^32−2 are rejected (no real syntax element needs them). */
  readExpGolomb(): number {
    let leadingZeros = 0;
    while (this.readBits(1) === 0) {
      leadingZeros++;
      if (leadingZeros > 31) throw new MediaParseError('invalid', 'exp-Golomb code longer than 32 bits');
    }
    return leadingZeros === 0 ? 0 : 2 ** leadingZeros - 1 + this.readBits(leadingZeros);
  }

  /** se(v): k ↦ (−1)^(k+1) · ⌈k ÷ 2⌉. */
  readSignedExpGolomb(): number {
    const k = this.readExpGolomb();
    return k & 1 ? (k + 1) / 2 : k === 0 ? 0 : -(k / 2);
  }
}
