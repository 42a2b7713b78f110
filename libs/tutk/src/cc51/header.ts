import { createHmac, timingSafeEqual } from 'node:crypto';
import { TutkParseError } from '../wire/parse-error';
import { putU16le, u16le } from '../wire/byte-reader';
import { TransportKeys } from '../credentials/credentials';

/** `51 cc` at [0-1] (FACTS §5.1). */
export const CC51_MAGIC = 0xcc51;
/** [6-7] = packet length − 12 (FACTS §5.1). */
export const CC51_LENGTH_BIAS = 12;
/** HMAC-SHA1 output (FACTS §5.1). */
export const CC51_HMAC_LENGTH = 20;
/** Smallest packet that can hold magic, command and length. */
export const CC51_COMMON_LENGTH = 8;

/** Command at [4-5] (FACTS §5.1). */
export const Cc51Command = {
  Discovery: 0x1002,
  Keepalive: 0x1202,
  Dtls: 0x1502,
} as const;

/** Longest signed prefix whose HMAC verify() remembers (the 28-byte DTLS wrapper header; keepalives and discovery are longer or rare). */
const VERIFY_CACHE_MAX = 64;

/**
 * HMAC-SHA1 keyed with UID ‖ AuthKey (FACTS §5.1). The key uses the UID's own bytes, not the 20-byte
 * padded field, as go2rtc does; for the usual 20-character UID the two are the same.
 */
export class Cc51Signer {
  private readonly key: Buffer;

  constructor(keys: Pick<TransportKeys, 'uid' | 'authKey'>) {
    this.key = Buffer.from(keys.uid + keys.authKey, 'latin1');
  }

  /** The 28-byte key, for tests and vectors. */
  get keyBytes(): Uint8Array {
    return Uint8Array.from(this.key);
  }

  /** Writes HMAC(p[0, covered)) at p[at, at + 20). */
  sign(p: Uint8Array, covered: number, at: number): void {
    p.set(this.digest(p, covered), at);
  }

  /** Throws TutkParseError(layer 'cc51', reason 'bad-hmac') when p[at, at + 20) is not HMAC(p[0, covered)). */
  verify(p: Uint8Array, covered: number, at: number): void {
    const mac = this.verifiedDigest(p, covered);
    if (!timingSafeEqual(mac, p.subarray(at, at + CC51_HMAC_LENGTH))) throw new TutkParseError('cc51', 'bad-hmac');
  }

  // The HMAC of a 0x1502 covers only its 28-byte header (FACTS §5.4), which is the same for every full-size
  // datagram of a session: the last covered bytes and their HMAC are kept, and an identical header reuses
  // it instead of a new HMAC per datagram. The header is sent in the clear, so the shortcut hides nothing.
  private readonly lastCovered = new Uint8Array(VERIFY_CACHE_MAX);
  private lastCoveredLength = -1;
  private lastMac: Buffer | undefined;

  private verifiedDigest(p: Uint8Array, covered: number): Buffer {
    if (covered === this.lastCoveredLength && this.lastMac) {
      const last = this.lastCovered;
      let same = true;
      for (let i = 0; i < covered; i++) {
        if (p[i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastMac;
    }
    const mac = this.digest(p, covered);
    if (covered <= VERIFY_CACHE_MAX) {
      for (let i = 0; i < covered; i++) this.lastCovered[i] = p[i];
      this.lastCoveredLength = covered;
      this.lastMac = mac;
    }
    return mac;
  }

  private digest(p: Uint8Array, covered: number): Buffer {
    return createHmac('sha1', this.key).update(p.subarray(0, covered)).digest();
  }
}

/** Allocates a zeroed packet of `length` bytes with magic, command and the length field. */
export function newCc51Packet(cmd: number, length: number): Uint8Array {
  const p = new Uint8Array(length);
  putU16le(p, 0, CC51_MAGIC);
  putU16le(p, 4, cmd);
  putU16le(p, 6, length - CC51_LENGTH_BIAS);
  return p;
}

/** Whether a datagram starts with the 0xCC51 magic; used to tell flavours apart (FACTS §6). */
export function isCc51(p: Uint8Array): boolean {
  return p.length >= 2 && p[0] === 0x51 && p[1] === 0xcc;
}

export interface Cc51Header {
  cmd: number;
  /** [6-7] as sent; never trusted for bounds. */
  length: number;
}

export function readCc51Header(p: Uint8Array): Cc51Header {
  if (p.length < CC51_COMMON_LENGTH) throw new TutkParseError('cc51', 'short', `header: ${p.length} bytes`);
  if (!isCc51(p)) throw new TutkParseError('cc51', 'bad-magic', `${p[0]} ${p[1]}`);
  return { cmd: u16le(p, 4), length: u16le(p, 6) };
}

export function expectCc51(p: Uint8Array, cmd: number, minLength: number, what: string): Cc51Header {
  const h = readCc51Header(p);
  if (h.cmd !== cmd) throw new TutkParseError('cc51', 'unexpected-command', `${what}: got 0x${h.cmd.toString(16)}`);
  if (p.length < minLength) throw new TutkParseError('cc51', 'short', `${what}: ${p.length} < ${minLength} bytes`);
  return h;
}
