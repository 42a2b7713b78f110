/**
 * XXTEA ("corrected block TEA") over little-endian u32 words, as used by the K-auth
 * challenge-response (FACTS §9.2, SEED §15.1).
 */

const DELTA = 0x9e3779b9;
export const XXTEA_KEY_LENGTH = 16;

function words(bytes: Uint8Array): Uint32Array {
  const n = bytes.length >>> 2;
  const v = new Uint32Array(n);
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    v[i] = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
  }
  return v;
}

function toBytes(v: Uint32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  for (let i = 0, o = 0; i < v.length; i++, o += 4) {
    const w = v[i];
    out[o] = w & 0xff;
    out[o + 1] = (w >>> 8) & 0xff;
    out[o + 2] = (w >>> 16) & 0xff;
    out[o + 3] = w >>> 24;
  }
  return out;
}

function check(data: Uint8Array, key: Uint8Array): void {
  if (key.length !== XXTEA_KEY_LENGTH) throw new RangeError(`XXTEA key must be 16 bytes, got ${key.length}`);
  // n = 1 would make the round function degenerate; the algorithm is defined for n >= 2.
  if (data.length < 8 || data.length % 4 !== 0) throw new RangeError(`XXTEA data must be a multiple of 4 bytes and at least 8, got ${data.length}`);
}

// MX of FACTS §9.2; every term is reduced to u32 before the final xor.
function mx(sum: number, y: number, z: number, p: number, e: number, k: Uint32Array): number {
  return ((((z >>> 5) ^ (y << 2)) + ((y >>> 3) ^ (z << 4))) ^ ((sum ^ y) + (k[(p & 3) ^ e] ^ z))) >>> 0;
}

export function xxteaEncrypt(data: Uint8Array, key: Uint8Array): Uint8Array {
  check(data, key);
  const v = words(data);
  const k = words(key);
  const n = v.length;
  let rounds = 6 + Math.floor(52 / n);
  let sum = 0;
  let z = v[n - 1];
  let y: number;
  while (rounds-- > 0) {
    sum = (sum + DELTA) >>> 0;
    const e = (sum >>> 2) & 3;
    let p = 0;
    for (; p < n - 1; p++) {
      y = v[p + 1];
      z = v[p] = (v[p] + mx(sum, y, z, p, e, k)) >>> 0;
    }
    y = v[0];
    z = v[n - 1] = (v[n - 1] + mx(sum, y, z, p, e, k)) >>> 0;
  }
  return toBytes(v);
}

export function xxteaDecrypt(data: Uint8Array, key: Uint8Array): Uint8Array {
  check(data, key);
  const v = words(data);
  const k = words(key);
  const n = v.length;
  const rounds = 6 + Math.floor(52 / n);
  let sum = Math.imul(rounds, DELTA) >>> 0;
  let y = v[0];
  let z: number;
  for (let r = 0; r < rounds; r++) {
    const e = (sum >>> 2) & 3;
    let p = n - 1;
    for (; p > 0; p--) {
      z = v[p - 1];
      y = v[p] = (v[p] - mx(sum, y, z, p, e, k)) >>> 0;
    }
    z = v[n - 1];
    y = v[0] = (v[0] - mx(sum, y, z, 0, e, k)) >>> 0;
    sum = (sum - DELTA) >>> 0;
  }
  return toBytes(v);
}
