/**
 * TransCode, the "Charlie" scrambler of the OLD (IOTC) flavour (FACTS §3). It is keyed obfuscation, not
 * encryption: 16-byte blocks, no chaining, a fixed key.
 *
 * Every function works on a [start, end) range of one buffer and writes the result in place, so a
 * datagram is scrambled or unscrambled without allocating. The copying wrappers at the bottom exist
 * for tests and cold paths.
 */

/** FACTS §3.1: only the first 16 bytes of "Charlie is the designer of P2P!!" are ever used. */
const KEY = Uint8Array.from(Buffer.from('Charlie is the d', 'latin1'));
const K0 = le32(KEY, 0);
const K1 = le32(KEY, 4);
const K2 = le32(KEY, 8);
const K3 = le32(KEY, 12);

/** FACTS §3.1: out[j] = in[P[j]]; every table is its own inverse. */
const P16 = [11, 9, 8, 15, 13, 10, 12, 14, 2, 1, 5, 0, 6, 4, 7, 3] as const;
const P8 = [7, 4, 3, 2, 1, 6, 5, 0] as const;
const P4 = [2, 3, 0, 1] as const;

/** Byte 3 of the plaintext header; bit 0 set selects the partial rule (FACTS §3.2). */
const MODE_OFFSET = 3;
/** Under the partial rule only bytes [0, 64) are scrambled. */
const PARTIAL_LIMIT = 64;

const scratch = new Uint8Array(16);

// Words are kept as signed int32 (`| 0`), never as uint32 (`>>> 0`): V8 boxes a uint32 above 2^31 as a
// heap number, and these run for every datagram of the OLD flavour.
function le32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}
function putLe32(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
  b[o + 2] = v >>> 16;
  b[o + 3] = v >>> 24;
}
const rotr = (v: number, n: number): number => (v >>> n) | (v << (32 - n));
const rotl = (v: number, n: number): number => (v << n) | (v >>> (32 - n));

/** Reads word k of the P16-permuted scratch block. */
function permutedWord(k: number): number {
  const j = k * 4;
  return scratch[P16[j]] | (scratch[P16[j + 1]] << 8) | (scratch[P16[j + 2]] << 16) | (scratch[P16[j + 3]] << 24);
}

/** FACTS §3.1 encode: rotate right (1, 5, 9, 13), XOR key, permute P16, rotate right (3, 7, 11, 15). */
function encodeBlock(b: Uint8Array, o: number): void {
  putLe32(scratch, 0, rotr(le32(b, o), 1) ^ K0);
  putLe32(scratch, 4, rotr(le32(b, o + 4), 5) ^ K1);
  putLe32(scratch, 8, rotr(le32(b, o + 8), 9) ^ K2);
  putLe32(scratch, 12, rotr(le32(b, o + 12), 13) ^ K3);
  putLe32(b, o, rotr(permutedWord(0), 3));
  putLe32(b, o + 4, rotr(permutedWord(1), 7));
  putLe32(b, o + 8, rotr(permutedWord(2), 11));
  putLe32(b, o + 12, rotr(permutedWord(3), 15));
}

/** FACTS §3.1 decode: rotate left (3, 7, 11, 15), permute P16, XOR key, rotate left (1, 5, 9, 13). */
function decodeBlock(b: Uint8Array, o: number): void {
  putLe32(scratch, 0, rotl(le32(b, o), 3));
  putLe32(scratch, 4, rotl(le32(b, o + 4), 7));
  putLe32(scratch, 8, rotl(le32(b, o + 8), 11));
  putLe32(scratch, 12, rotl(le32(b, o + 12), 15));
  putLe32(b, o, rotl(permutedWord(0) ^ K0, 1));
  putLe32(b, o + 4, rotl(permutedWord(1) ^ K1, 5));
  putLe32(b, o + 8, rotl(permutedWord(2) ^ K2, 9));
  putLe32(b, o + 12, rotl(permutedWord(3) ^ K3, 13));
}

/** The 2/4/8-byte tail permutations (FACTS §3.1); other tail lengths are not permuted. */
function permuteTail(b: Uint8Array, o: number, n: number): void {
  if (n === 2) {
    const t = b[o];
    b[o] = b[o + 1];
    b[o + 1] = t;
    return;
  }
  const table = n === 4 ? P4 : n === 8 ? P8 : undefined;
  if (!table) return;
  for (let i = 0; i < n; i++) scratch[i] = b[o + i];
  for (let i = 0; i < n; i++) b[o + i] = scratch[table[i]];
}

function xorTail(b: Uint8Array, o: number, n: number): void {
  for (let i = 0; i < n; i++) b[o + i] ^= KEY[i];
}

/** Raw TransCode encode of b[start, end) in place: whole blocks, then a 1..15-byte tail (FACTS §3.1). */
export function transcodeEncodeRange(b: Uint8Array, start = 0, end = b.length): void {
  let o = start;
  for (; o + 16 <= end; o += 16) encodeBlock(b, o);
  const n = end - o;
  if (n > 0) {
    xorTail(b, o, n);
    permuteTail(b, o, n);
  }
}

/** Inverse of {@link transcodeEncodeRange}; the tail is permuted before the XOR. */
export function transcodeDecodeRange(b: Uint8Array, start = 0, end = b.length): void {
  let o = start;
  for (; o + 16 <= end; o += 16) decodeBlock(b, o);
  const n = end - o;
  if (n > 0) {
    permuteTail(b, o, n);
    xorTail(b, o, n);
  }
}

/** Whether a packet's plaintext mode byte selects the partial rule (FACTS §3.2). */
export function isPartialMode(mode: number): boolean {
  return (mode & 1) === 1;
}

/**
 * Packet rule (FACTS §3.2), in place: the first 16 bytes as one block, then either everything else or,
 * when bit 0 of the plaintext byte 3 is set, only up to byte 64; the rest travels in the clear.
 */
export function transcodeEncodePacketInPlace(p: Uint8Array): void {
  const len = p.length;
  if (len < 16) {
    transcodeEncodeRange(p, 0, len);
    return;
  }
  const partial = isPartialMode(p[MODE_OFFSET]);
  encodeBlock(p, 0);
  transcodeEncodeRange(p, 16, partial ? Math.min(len, PARTIAL_LIMIT) : len);
}

/** Mirror of the packet rule; the partial choice comes from the *decoded* header byte 3 (FACTS §3.2). */
export function transcodeDecodePacketInPlace(p: Uint8Array): void {
  const len = p.length;
  if (len < 16) {
    transcodeDecodeRange(p, 0, len);
    return;
  }
  decodeBlock(p, 0);
  transcodeDecodeRange(p, 16, isPartialMode(p[MODE_OFFSET]) ? Math.min(len, PARTIAL_LIMIT) : len);
}

/**
 * Decodes only the 16-byte header of a wire packet into `out` (at least 16 bytes), leaving `wire`
 * untouched. Lets a receiver look at the command before committing to decode the datagram in place.
 * Returns false when the packet is shorter than a header.
 */
export function transcodeDecodeHeader(wire: Uint8Array, out: Uint8Array): boolean {
  if (wire.length < 16) return false;
  // Byte by byte: a subarray of a socket's Buffer would allocate for every datagram.
  for (let i = 0; i < 16; i++) out[i] = wire[i];
  decodeBlock(out, 0);
  return true;
}

export function transcodeEncode(plain: Uint8Array): Uint8Array {
  const b = Uint8Array.from(plain);
  transcodeEncodeRange(b);
  return b;
}
export function transcodeDecode(wire: Uint8Array): Uint8Array {
  const b = Uint8Array.from(wire);
  transcodeDecodeRange(b);
  return b;
}
export function transcodeEncodePacket(plain: Uint8Array): Uint8Array {
  const b = Uint8Array.from(plain);
  transcodeEncodePacketInPlace(b);
  return b;
}
export function transcodeDecodePacket(wire: Uint8Array): Uint8Array {
  const b = Uint8Array.from(wire);
  transcodeDecodePacketInPlace(b);
  return b;
}
