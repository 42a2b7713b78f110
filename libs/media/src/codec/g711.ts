/**
 * G.711 µ-law (ITU-T G.711 §3, Table 2a) to 16-bit linear PCM. The code word is stored inverted;
 * after inversion: sign (1 bit), segment/exponent (3 bits), mantissa (4 bits). The 14-bit linear value is
 * ((mantissa << 3) + 0x84) << exponent, minus the bias 0x84, scaled to 16 bits (one shift of 2 is folded in).
 */
function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const sign = u & 0x80;
  const exponent = (u >>> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

/** All 256 µ-law code words expanded once. */
export const ULAW_TO_PCM16: Int16Array = (() => {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = ulawToLinear(i);
  return t;
})();

/**
 * Expands µ-law bytes to 16-bit PCM in the requested byte order ('le' for `sowt`, 'be' for `twos`).
 * Writes into `out` when given (2 bytes per input byte), else allocates.
 */
export function expandUlaw(ulaw: Uint8Array, endian: 'le' | 'be' = 'le', out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(ulaw.length * 2);
  if (dst.length < ulaw.length * 2) throw new RangeError('expandUlaw: output buffer too small');
  const hiFirst = endian === 'be';
  for (let i = 0, o = 0; i < ulaw.length; i++, o += 2) {
    const s = ULAW_TO_PCM16[ulaw[i]];
    dst[o + (hiFirst ? 0 : 1)] = (s >>> 8) & 0xff;
    dst[o + (hiFirst ? 1 : 0)] = s & 0xff;
  }
  return dst;
}

/**
 * G.711 A-law (ITU-T G.711 §3, Table 1a) to 16-bit linear PCM. Even bits are inverted on the line (XOR
 * 0x55); then sign (1 = positive), segment (3 bits), mantissa (4 bits): segment 0 is linear, segment s > 0
 * is ((mantissa << 4) + 0x108) << (s − 1), on the 16-bit scale.
 */
function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  const segment = (a >>> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = segment === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

/** All 256 A-law code words expanded once. */
export const ALAW_TO_PCM16: Int16Array = (() => {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = alawToLinear(i);
  return t;
})();

/** G.711 bytes (µ-law or A-law, by `table`) to 16-bit samples, into `out` when it is large enough. */
export function decodeG711(bytes: Uint8Array, table: Int16Array, out?: Int16Array): Int16Array {
  const dst = out && out.length >= bytes.length ? out.subarray(0, bytes.length) : new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) dst[i] = table[bytes[i]];
  return dst;
}
