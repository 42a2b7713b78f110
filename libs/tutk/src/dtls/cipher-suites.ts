import { DTLS_1_2, RECORD_HEADER_LENGTH } from './constants';
import type { DtlsCrypto } from './crypto/dtls-crypto';
import { putRecordAad, putRecordHeader } from './record-header';

/** Traffic keys for one direction pair, already assigned to our role (write = ours, read = the peer's). */
export interface TrafficKeys {
  writeKey: Uint8Array;
  readKey: Uint8Array;
  /** Empty for suites without a fixed IV or MAC. */
  writeIv: Uint8Array;
  readIv: Uint8Array;
  writeMacKey: Uint8Array;
  readMacKey: Uint8Array;
}

/** Protects and unprotects records of one epoch. Not reentrant: scratch buffers are reused across calls. */
export interface RecordCipher {
  /** Most bytes protection adds to a plaintext, for MTU arithmetic. */
  readonly maxOverhead: number;
  /** A whole record (header included) carrying `plaintext` protected. */
  seal(type: number, epoch: number, seq: number, plaintext: Uint8Array): Uint8Array;
  /**
   * The plaintext of a record's payload, or null when it does not authenticate. With `consume`, the caller
   * gives `payload` up and the plaintext may be written over it.
   */
  open(type: number, version: number, epoch: number, seq: number, payload: Uint8Array, consume?: boolean): Uint8Array | null;
}

export interface CipherSuite {
  readonly id: number;
  readonly name: string;
  /** 'ecdhe_psk': RFC 5489; 'psk': RFC 4279 (no ephemeral key). */
  readonly keyExchange: 'ecdhe_psk' | 'psk';
  /** Bytes of key block to derive; the PRF is a stream, so asking for more than is used changes nothing. */
  readonly keyBlockLength: number;
  /** Splits the key block (RFC 5246 §6.3 order: MAC keys, write keys, IVs; client before server). */
  trafficKeys(keyBlock: Uint8Array, role: 'client' | 'server'): TrafficKeys;
  createCipher(crypto: DtlsCrypto, keys: TrafficKeys): RecordCipher;
}

const EMPTY = new Uint8Array(0);

function assign(role: 'client' | 'server', c: [Uint8Array, Uint8Array, Uint8Array], s: [Uint8Array, Uint8Array, Uint8Array]): TrafficKeys {
  const [w, r] = role === 'client' ? [c, s] : [s, c];
  return { writeMacKey: w[0], writeKey: w[1], writeIv: w[2], readMacKey: r[0], readKey: r[1], readIv: r[2] };
}

/** RFC 7905 §2: nonce = fixed IV XOR (0^32 ‖ epoch ‖ seq48), the 64-bit DTLS seq_num left-padded to 96 bits. */
function putChachaNonce(nonce: Uint8Array, iv: Uint8Array, epoch: number, seq: number): void {
  nonce.set(iv);
  nonce[4] ^= epoch >>> 8;
  nonce[5] ^= epoch & 0xff;
  const hi = Math.floor(seq / 0x1_0000_0000);
  const lo = seq >>> 0;
  nonce[6] ^= hi >>> 8;
  nonce[7] ^= hi & 0xff;
  nonce[8] ^= lo >>> 24;
  nonce[9] ^= (lo >>> 16) & 0xff;
  nonce[10] ^= (lo >>> 8) & 0xff;
  nonce[11] ^= lo & 0xff;
}

class ChachaRecordCipher implements RecordCipher {
  readonly maxOverhead = 16;
  private readonly nonce = new Uint8Array(12);
  private readonly aad = new Uint8Array(13);

  constructor(
    private readonly crypto: DtlsCrypto,
    private readonly keys: TrafficKeys,
  ) {}

  seal(type: number, epoch: number, seq: number, plaintext: Uint8Array): Uint8Array {
    const out = new Uint8Array(RECORD_HEADER_LENGTH + plaintext.length + 16);
    putRecordHeader(out, 0, type, DTLS_1_2, epoch, seq, plaintext.length + 16);
    putChachaNonce(this.nonce, this.keys.writeIv, epoch, seq);
    putRecordAad(this.aad, type, DTLS_1_2, epoch, seq, plaintext.length);
    this.crypto.chachaSeal(this.keys.writeKey, this.nonce, this.aad, plaintext, out.subarray(RECORD_HEADER_LENGTH));
    return out;
  }

  open(type: number, version: number, epoch: number, seq: number, payload: Uint8Array, consume = false): Uint8Array | null {
    if (payload.length < 16) return null;
    putChachaNonce(this.nonce, this.keys.readIv, epoch, seq);
    putRecordAad(this.aad, type, version, epoch, seq, payload.length - 16);
    const c = this.crypto;
    if (consume && c.chachaOpenInPlace) return c.chachaOpenInPlace(this.keys.readKey, this.nonce, this.aad, payload);
    return c.chachaOpen(this.keys.readKey, this.nonce, this.aad, payload);
  }
}

const MAC_LENGTH = 32;
const BLOCK = 16;

/** TLS 1.2 GenericBlockCipher: explicit IV ‖ CBC(plaintext ‖ HMAC ‖ padding), MAC-then-encrypt (RFC 5246 §6.2.3.2). */
class CbcSha256RecordCipher implements RecordCipher {
  readonly maxOverhead = BLOCK + MAC_LENGTH + BLOCK;
  private readonly header = new Uint8Array(13);

  constructor(
    private readonly crypto: DtlsCrypto,
    private readonly keys: TrafficKeys,
    /** Fixed explicit IV, for known-answer tests only; records must otherwise use a fresh random IV. */
    private readonly fixedIv?: Uint8Array,
  ) {}

  seal(type: number, epoch: number, seq: number, plaintext: Uint8Array): Uint8Array {
    putRecordAad(this.header, type, DTLS_1_2, epoch, seq, plaintext.length);
    const mac = this.crypto.hmacSha256(this.keys.writeMacKey, this.header, plaintext);
    // Shortest padding: p+1 bytes of value p (RFC 5246 §6.2.3.2), as pion sends it.
    const pad = BLOCK - 1 - ((plaintext.length + MAC_LENGTH) % BLOCK);
    const inner = new Uint8Array(plaintext.length + MAC_LENGTH + pad + 1);
    inner.set(plaintext);
    inner.set(mac, plaintext.length);
    inner.fill(pad, plaintext.length + MAC_LENGTH);
    const iv = this.fixedIv ?? this.crypto.randomBytes(BLOCK);
    const out = new Uint8Array(RECORD_HEADER_LENGTH + BLOCK + inner.length);
    putRecordHeader(out, 0, type, DTLS_1_2, epoch, seq, BLOCK + inner.length);
    out.set(iv, RECORD_HEADER_LENGTH);
    this.crypto.aes128CbcEncrypt(this.keys.writeKey, iv, inner, out.subarray(RECORD_HEADER_LENGTH + BLOCK));
    return out;
  }

  open(type: number, version: number, epoch: number, seq: number, payload: Uint8Array): Uint8Array | null {
    const n = payload.length - BLOCK;
    if (n < MAC_LENGTH + 1 || n % BLOCK !== 0) return null;
    const inner = this.crypto.aes128CbcDecrypt(this.keys.readKey, payload.subarray(0, BLOCK), payload.subarray(BLOCK));
    const pad = inner[n - 1];
    // Check padding and MAC without branching on which failed, to narrow the Lucky Thirteen timing signal
    // (RFC 5246 §6.2.3.2 implementation note); DTLS also drops such records silently, so no oracle answers.
    let bad = pad + 1 + MAC_LENGTH > n ? 1 : 0;
    const padLen = bad ? 0 : pad;
    for (let i = 0; i < 256 && i <= padLen; i++) bad |= inner[n - 1 - i] ^ padLen;
    const ptLen = n - padLen - 1 - MAC_LENGTH;
    const plaintext = inner.subarray(0, ptLen);
    putRecordAad(this.header, type, version, epoch, seq, ptLen);
    const mac = this.crypto.hmacSha256(this.keys.readMacKey, this.header, plaintext);
    for (let i = 0; i < MAC_LENGTH; i++) bad |= mac[i] ^ inner[ptLen + i];
    return bad ? null : plaintext;
  }
}

/** The suites we implement, one row each. */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  {
    id: 0xccac,
    name: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256',
    keyExchange: 'ecdhe_psk',
    // RFC 7905: no MAC key, 32-byte key, 12-byte fixed IV.
    keyBlockLength: 2 * 32 + 2 * 12,
    trafficKeys: (kb, role) =>
      assign(role, [EMPTY, kb.subarray(0, 32), kb.subarray(64, 76)], [EMPTY, kb.subarray(32, 64), kb.subarray(76, 88)]),
    createCipher: (crypto, keys) => new ChachaRecordCipher(crypto, keys),
  },
  {
    id: 0x00ae,
    name: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
    keyExchange: 'psk',
    // pion derives client/server IVs too (FACTS §7.3); they go unused because every record carries its own IV.
    keyBlockLength: 2 * 32 + 2 * 16 + 2 * 16,
    trafficKeys: (kb, role) =>
      assign(role, [kb.subarray(0, 32), kb.subarray(64, 80), EMPTY], [kb.subarray(32, 64), kb.subarray(80, 96), EMPTY]),
    createCipher: (crypto, keys) => new CbcSha256RecordCipher(crypto, keys),
  },
];

export const TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xccac;
export const TLS_PSK_WITH_AES_128_CBC_SHA256 = 0x00ae;

export function cipherSuite(id: number): CipherSuite | undefined {
  return CIPHER_SUITES.find((s) => s.id === id);
}

/** A CBC cipher with a fixed explicit IV, so a known-answer vector can check a whole record. Never for traffic. */
export function cbcCipherWithFixedIv(crypto: DtlsCrypto, keys: TrafficKeys, iv: Uint8Array): RecordCipher {
  return new CbcSha256RecordCipher(crypto, keys, iv);
}

/** The RFC 7905 nonce on its own, for vectors and tests. */
export function chachaNonce(iv: Uint8Array, epoch: number, seq: number): Uint8Array {
  const n = new Uint8Array(12);
  putChachaNonce(n, iv, epoch, seq);
  return n;
}
