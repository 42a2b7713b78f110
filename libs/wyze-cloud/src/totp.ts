import { hmac } from '@noble/hashes/hmac';
import { sha1 } from '@noble/hashes/sha1';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Thrown for a TOTP secret that is not base32; the message never repeats the secret. */
export class TotpSecretError extends Error {
  override readonly name = 'TotpSecretError';
}

/**
 * RFC 4648 §6 base32, as authenticator apps show secrets: case-insensitive, spaces and dashes allowed
 * between groups, padding optional.
 */
export function decodeBase32(text: string): Uint8Array {
  const s = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (s.length === 0) throw new TotpSecretError('TOTP secret is empty');
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const v = BASE32_ALPHABET.indexOf(s[i]);
    if (v < 0) throw new TotpSecretError(`TOTP secret is not base32 (bad character at position ${i + 1})`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

export interface TotpOptions {
  /** Unix time in milliseconds; defaults to now. */
  timeMs?: number;
  /** X in RFC 6238 §4.1, seconds. */
  stepSeconds?: number;
  /** T0 in RFC 6238 §4.1, seconds. */
  epochSeconds?: number;
  digits?: number;
}

/** RFC 4226 §5.3: HOTP with HMAC-SHA-1 and dynamic truncation. */
export function hotp(key: Uint8Array, counter: number, digits = 6): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('HOTP counter must be a non-negative integer');
  const msg = new Uint8Array(8);
  // The counter is an 8-byte big-endian integer; safe integers fit in 53 bits.
  new DataView(msg.buffer).setUint32(0, Math.floor(counter / 2 ** 32));
  new DataView(msg.buffer).setUint32(4, counter >>> 0);
  const mac = hmac(sha1, key, msg);
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238: the code an authenticator app shows for a base32 secret (SHA-1, 30 s steps, 6 digits). */
export function totp(secretBase32: string, opts: TotpOptions = {}): string {
  const step = opts.stepSeconds ?? 30;
  const t0 = opts.epochSeconds ?? 0;
  const seconds = Math.floor((opts.timeMs ?? Date.now()) / 1000);
  return hotp(decodeBase32(secretBase32), Math.floor((seconds - t0) / step), opts.digits ?? 6);
}
